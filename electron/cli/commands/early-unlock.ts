// `seal` and `open` start unlocking the key file before anything else and await it only where a
// key is needed. The unlock is mostly waiting for PBKDF2 (600,000 rounds, off the JavaScript
// thread), and the message can be read, parsed, decoded and digested meanwhile (bench/smime.ts).
// Nothing is written out before the unlock, MAC check included, has succeeded.
import type { KeyFileContents } from '../../../core/keyfile/key-file-contents.js';
import { unlockKeyFile } from './smime-inputs.js';

/** A promise awaited later: until then its failure must not count as an unhandled rejection. */
export function awaitedLater<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

/** The key file's contents on their way, or null without --key-file. */
export function startUnlock(keyFile?: string, passwordFile?: string): Promise<KeyFileContents> | null {
  if (!keyFile || !passwordFile) return null;
  return awaitedLater(unlockKeyFile(keyFile, passwordFile));
}

/**
 * Runs `work` with the unlock under way. When the work fails, a failed unlock is what the user
 * hears about (a wrong password explains more than what followed from it), as when the unlock
 * came first; either way the unlock has finished before this returns.
 */
export async function withUnlock<T>(
  unlocking: Promise<KeyFileContents> | null,
  work: () => Promise<T>,
): Promise<T> {
  let result: T;
  try {
    result = await work();
  } catch (error) {
    if (unlocking) await unlocking;
    throw error;
  }
  if (unlocking) await unlocking;
  return result;
}
