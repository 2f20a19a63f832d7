// The outbox on disk: one directory per message under home.outboxDir, holding
//   message.eml   the raw RFC 5322 bytes, exactly what is sent and copied to Sent
//   state.json    the OutboxRecord
// and .locks/<id>.lock, which one process at a time holds while it delivers the item (item-lock.ts).
// A new item is built in a dot-directory and renamed into place, so an item either exists whole
// or not at all; a removed item is renamed away first for the same reason. Names starting with a
// dot are never items.
import { mkdir, readFile, readdir, rename, rm, open } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { writeFileAtomic } from '../files/atomic-write.js';
import { removeLocksOfGoneItems } from './item-lock.js';
import { SealmailError } from '../../../core/errors.js';
import { isOutboxId, outboxRecordSchema, type OutboxRecord } from './outbox-record.js';

const messageFile = 'message.eml';
const stateFile = 'state.json';

async function fsyncDirectory(dir: string): Promise<void> {
  // Windows cannot open a directory for fsync; NTFS journals the rename itself.
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function isMissing(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'ENOENT';
}

export function newOutboxId(now: Date): string {
  return `${now.getTime().toString(36).padStart(10, '0')}-${randomBytes(6).toString('hex')}`;
}

export class OutboxStore {
  constructor(readonly dir: string) {}

  /** Where the items' locks live (item-lock.ts); a dot-name, so never taken for an item. */
  get lockDir(): string {
    return join(this.dir, '.locks');
  }

  lockFile(id: string): string {
    return join(this.lockDir, `${this.checkedId(id)}.lock`);
  }

  itemDir(id: string): string {
    return join(this.dir, this.checkedId(id));
  }

  private checkedId(id: string): string {
    if (!isOutboxId(id))
      throw new SealmailError(
        'INVALID_REQUEST',
        `"${id}" is not an outbox item id; see \`sealmail outbox list\`.`,
      );
    return id;
  }

  /** Durable when it resolves: bytes and state are fsynced and the item's name is in the directory. */
  async create(record: OutboxRecord, raw: Uint8Array): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const staging = join(this.dir, `.new-${record.id}`);
    // Left by a crash while creating an item with a derived id (refused-recipients.ts) that is now
    // created again; random ids never meet one.
    await rm(staging, { recursive: true, force: true });
    await mkdir(staging, { mode: 0o700 });
    await writeFileAtomic(join(staging, messageFile), raw);
    await writeFileAtomic(join(staging, stateFile), JSON.stringify(record, null, 2));
    await rename(staging, this.itemDir(record.id));
    await fsyncDirectory(this.dir);
  }

  async write(record: OutboxRecord): Promise<void> {
    await writeFileAtomic(join(this.itemDir(record.id), stateFile), JSON.stringify(record, null, 2));
  }

  /** null when the item does not exist (sent and removed, or removed by the user). */
  async read(id: string): Promise<OutboxRecord | null> {
    const path = join(this.itemDir(id), stateFile);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if (isMissing(error)) return null;
      throw new SealmailError('STORAGE_FAILED', `cannot read outbox item ${id}: ${String(error)}`, {
        cause: error,
      });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new SealmailError(
        'STORAGE_FAILED',
        `outbox item ${id} has a damaged state.json; remove it with \`sealmail outbox remove ${id}\``,
        { cause: error },
      );
    }
    const parsed = outboxRecordSchema.safeParse(json);
    if (!parsed.success || parsed.data.id !== id)
      throw new SealmailError(
        'STORAGE_FAILED',
        `outbox item ${id} has an unreadable state.json; remove it with \`sealmail outbox remove ${id}\``,
      );
    return parsed.data;
  }

  async readRaw(id: string): Promise<Uint8Array> {
    const bytes = await readFile(join(this.itemDir(id), messageFile));
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Ids of all items, oldest first. */
  async ids(): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      if (isMissing(error)) return [];
      throw error;
    }
    return names.filter((name) => !name.startsWith('.') && isOutboxId(name)).sort();
  }

  /** After the lock is released: a removed item's lock file is no longer needed by anyone. */
  removeLockIfGone(id: string): void {
    removeLocksOfGoneItems(this.lockDir, (other) => other !== id || existsSync(this.itemDir(id)));
  }

  async remove(id: string): Promise<void> {
    const gone = join(this.dir, `.removed-${id}-${randomBytes(4).toString('hex')}`);
    try {
      await rename(this.itemDir(id), gone);
    } catch (error) {
      if (isMissing(error)) return;
      throw error;
    }
    await fsyncDirectory(this.dir);
    await rm(gone, { recursive: true, force: true });
  }
}

/**
 * Removes what crashes leave behind: renamed-away items (their removal had already happened) and
 * half-built new items older than `staleAfterMs` (younger ones may be another process's enqueue
 * in progress; their send() never resolved, so nobody was told they were queued).
 */
export async function sweepOutboxLeftovers(
  store: OutboxStore,
  now: Date,
  staleAfterMs = 60 * 60_000,
): Promise<void> {
  let names: string[];
  try {
    names = await readdir(store.dir);
  } catch (error) {
    if (isMissing(error)) return;
    throw error;
  }
  removeLocksOfGoneItems(store.lockDir, (id) => isOutboxId(id) && existsSync(store.itemDir(id)));
  for (const name of names) {
    if (name.startsWith('.removed-')) await rm(join(store.dir, name), { recursive: true, force: true });
    if (name.startsWith('.new-')) {
      const created = Number.parseInt(name.slice('.new-'.length).split('-')[0] ?? '', 36);
      if (Number.isFinite(created) && now.getTime() - created > staleAfterMs)
        await rm(join(store.dir, name), { recursive: true, force: true });
    }
  }
}
