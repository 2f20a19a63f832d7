// The key file on disk. Main handles only its encrypted bytes (ARCHITECTURE.md invariant 1):
// opening and sealing happen in core/keyfile, in the crypto worker or the CLI process.
// A write goes through writeFileAtomic (temp file, fsync, rename, fsync of the directory), so a
// crash mid-write leaves the previous key file as it was (issue 3).
import { readdir, readFile, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { SealmailError } from '../../core/errors.js';
import { writeFileAtomic } from './files/atomic-write.js';

function errnoOf(error: unknown): string | undefined {
  return error && typeof error === 'object' && 'code' in error ? String(error.code) : undefined;
}

export async function readKeyFileBytes(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') {
      throw new SealmailError(
        'NOT_FOUND',
        `There is no key file at ${path}. Check the path, or import a .p12 with \`sealmail keyfile import\`.`,
        { cause: error },
      );
    }
    throw new SealmailError(
      'STORAGE_FAILED',
      `Cannot read the key file ${path}: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

export async function keyFileExists(path: string): Promise<boolean> {
  try {
    await readFile(path);
    return true;
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return false;
    throw new SealmailError(
      'STORAGE_FAILED',
      `Cannot read the key file ${path}: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

/**
 * Removes temp files an earlier write left when its process died before the rename (the name
 * atomic-write.ts gives them: `.<name>.<12 hex>.tmp`). A write cut short is worth nothing.
 */
async function removeLeftoverTempFiles(path: string): Promise<void> {
  const dir = dirname(path);
  const prefix = `.${basename(path)}.`;
  const leftover = (name: string) =>
    name.startsWith(prefix) && /^[0-9a-f]{12}\.tmp$/.test(name.slice(prefix.length));
  for (const name of (await readdir(dir)).filter(leftover)) {
    await unlink(join(dir, name)).catch(() => undefined); // another writer may have removed it
  }
}

/** Replaces the key file atomically, readable by its owner only. */
export async function saveKeyFileBytes(path: string, bytes: Uint8Array): Promise<void> {
  try {
    await writeFileAtomic(path, bytes, 0o600);
  } catch (error) {
    throw new SealmailError(
      'STORAGE_FAILED',
      `Cannot write the key file ${path}: ${(error as Error).message}. The previous key file, if any, is unchanged.`,
      { cause: error },
    );
  }
  // Best effort: the key file is saved by now, and a leftover only takes space.
  await removeLeftoverTempFiles(path).catch(() => undefined);
}
