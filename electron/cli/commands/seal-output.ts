// Where `seal` writes the sealed message as it is made (core/smime/seal.ts sealMessageTo): each
// piece goes out before the next is made, so a 25 MB message is never held whole once encrypted
// or encoded (bench/smime.ts). The file is opened at the first piece, which comes only after the
// key file unlocked and the message was signed and its envelope begun, so a message that fails
// before then leaves an existing file as it was; one that fails after is removed, not left half.
import { open, rm, type FileHandle } from 'node:fs/promises';
import { SealmailError } from '../../../core/errors.js';
import type { PieceWriter } from '../../../core/smime/seal.js';

function writeFailed(path: string, what: string, error: unknown): SealmailError {
  return new SealmailError(
    'STORAGE_FAILED',
    `Cannot write the ${what} ${path}: ${(error as Error).message}`,
    {
      cause: error,
    },
  );
}

/** Runs `produce` with a writer to `path` (`-` for stdout). */
export async function writeAsMade(
  path: string,
  what: string,
  produce: (write: PieceWriter) => Promise<void>,
): Promise<void> {
  if (path === '-') {
    await produce(
      (piece) =>
        new Promise<void>((resolve, reject) =>
          process.stdout.write(piece, (error) => (error ? reject(error) : resolve())),
        ),
    );
    return;
  }
  let file: FileHandle | undefined;
  try {
    await produce(async (piece) => {
      try {
        file ??= await open(path, 'w');
        await file.write(piece);
      } catch (error) {
        throw writeFailed(path, what, error);
      }
    });
    await file?.close();
  } catch (error) {
    if (file) {
      await file.close().catch(() => undefined);
      await rm(path, { force: true }).catch(() => undefined);
    }
    throw error;
  }
}
