// One process at a time delivers a given outbox item: the desktop app and a `sealmail outbox
// flush` in a terminal share the same outbox, and two senders of one item would send it twice.
//
// The lock is an exclusive transaction on a small SQLite file, which SQLite holds as an OS file
// lock (fcntl on POSIX, LockFileEx on Windows). The operating system drops it the moment its
// process dies, SIGKILL included, so a crashed sender never leaves a lock that someone has to
// judge stale. (A lock file holding a pid, taken over when that pid is gone, cannot do this
// safely: two processes that find the same dead lock can both take it over.) SQLite also keeps
// two connections in one process apart, so two deliveries inside the app exclude each other too.
//
// The lock files live in their own directory, not in the item's, so that the item can be renamed
// away (removed) while its lock is held, which Windows forbids for a directory with an open file.
import Database from 'better-sqlite3';
import { mkdirSync, readdirSync, rmSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SealmailError } from '../../../core/errors.js';

export interface ItemLock {
  release(): Promise<void>;
}

function isBusy(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
}

/** null when another process, or another delivery in this one, holds the lock right now. */
export async function lockItem(lockFile: string): Promise<ItemLock | null> {
  mkdirSync(dirname(lockFile), { recursive: true, mode: 0o700 });
  let db: Database.Database;
  try {
    // timeout 0: never wait for the holder; the caller moves on and comes back later.
    db = new Database(lockFile, { timeout: 0 });
  } catch (error) {
    if (isBusy(error)) return null;
    throw new SealmailError('STORAGE_FAILED', `cannot open the outbox lock ${lockFile}: ${String(error)}`, {
      cause: error,
    });
  }
  try {
    // Takes SQLite's EXCLUSIVE lock at once, without writing anything.
    db.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    db.close();
    if (isBusy(error)) return null;
    throw new SealmailError('STORAGE_FAILED', `cannot take the outbox lock ${lockFile}: ${String(error)}`, {
      cause: error,
    });
  }
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      try {
        db.exec('ROLLBACK');
      } finally {
        db.close();
      }
    },
  };
}

/**
 * Deletes the lock files of items that no longer exist. Safe against a process that still holds
 * or is about to open one: item ids are never reused, and whoever gets the lock of a removed item
 * finds no item and does nothing.
 */
export function removeLocksOfGoneItems(lockDir: string, itemExists: (id: string) => boolean): void {
  if (!existsSync(lockDir)) return;
  for (const name of readdirSync(lockDir)) {
    const id = /^([a-z0-9-]+)\.lock/.exec(name)?.[1];
    if (id === undefined || itemExists(id)) continue;
    try {
      rmSync(join(lockDir, name), { force: true });
    } catch {
      // Windows: still open in another process; the next sweep gets it.
    }
  }
}
