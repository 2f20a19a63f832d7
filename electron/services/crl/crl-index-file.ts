// A verified CRL index on disk: the snapshot of core/pki/crl/index-snapshot.ts followed by its
// SHA-256, written atomically (temp file, fsync, rename). Start-up reads it back as views over one
// buffer, with no CRL parse and no signature check: it was verified before it was written, and
// the digest catches a file damaged since (bit rot, a copy cut short by a full disk).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { SealmailError } from '../../../core/errors.js';
import { decodeSnapshot, encodeSnapshot } from '../../../core/pki/crl/index-snapshot.js';
import type { VerifiedCrl } from '../../../core/pki/crl/verified-crl.js';
import { writeFileAtomic } from '../files/atomic-write.js';

const DIGEST_LENGTH = 32;

export async function writeCrlIndex(path: string, crl: VerifiedCrl): Promise<void> {
  const snapshot = encodeSnapshot(crl);
  const digest = createHash('sha256').update(snapshot).digest();
  const file = new Uint8Array(snapshot.length + DIGEST_LENGTH);
  file.set(snapshot, 0);
  file.set(digest, snapshot.length);
  try {
    await writeFileAtomic(path, file, 0o600);
  } catch (error) {
    throw new SealmailError(
      'STORAGE_FAILED',
      `Cannot store the CRL index at ${path}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
}

/** Reads an index written by writeCrlIndex; null when there is none, CRL_INDEX_INVALID when damaged. */
export function readCrlIndex(path: string): VerifiedCrl | null {
  let file: Buffer;
  try {
    file = readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new SealmailError(
      'STORAGE_FAILED',
      `Cannot read the CRL index at ${path}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  if (file.length < DIGEST_LENGTH) {
    throw new SealmailError(
      'CRL_INDEX_INVALID',
      `The CRL index ${path} is cut short; Sealmail will fetch the CRL again.`,
    );
  }
  const snapshot = file.subarray(0, file.length - DIGEST_LENGTH);
  const digest = createHash('sha256').update(snapshot).digest();
  if (!digest.equals(file.subarray(file.length - DIGEST_LENGTH))) {
    throw new SealmailError(
      'CRL_INDEX_INVALID',
      `The CRL index ${path} does not match its checksum (the file was damaged); Sealmail will fetch the CRL again.`,
    );
  }
  return decodeSnapshot(snapshot);
}
