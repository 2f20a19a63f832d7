// Settings › Security and "Import an existing key file" (seed 003): bring in a .p12 from another
// computer, change the key-file password, and export a .p12 for another client. Each opens the
// key file with a password typed for this operation; none of them keeps the key unlocked.
import type { SecurityStatus } from '../../../../core/api/security-types.js';
import { SealmailError } from '../../../../core/errors.js';
import { importPkcs12, sealKeyFile, type KeyFileContents } from '../../../../core/keyfile/key-file.js';
import { mergeImported } from '../../../../core/keyfile/key-roles.js';
import type { KeyAccess } from './key-access.js';
import { checkNewPassword, saveKeyFile } from './save-key-file.js';
import type { Invoke } from './worker-ipc.js';

/** The account's current key file opened with `password`, or null when it has none yet. */
async function existingContents(
  keys: KeyAccess,
  accountId: string,
  password: string,
): Promise<KeyFileContents | null> {
  try {
    return await keys.open(accountId, password);
  } catch (error) {
    if (error instanceof SealmailError && error.code === 'NOT_FOUND') return null;
    if (error instanceof SealmailError && error.code === 'WRONG_PASSWORD') {
      // Replacing the key file would lose the older encryption keys and with them old mail, so
      // the imported keys are added to it, which needs its password.
      throw new SealmailError(
        'WRONG_PASSWORD',
        'This account already has a key file, and the new key-file password does not open it. ' +
          'Type the password of your current key file, so the imported keys can be added to it.',
      );
    }
    throw error;
  }
}

export async function importKeyFile(
  invoke: Invoke,
  keys: KeyAccess,
  request: { accountId: string; bytes: Uint8Array; password: string; newPassword: string },
): Promise<SecurityStatus> {
  checkNewPassword(request.newPassword);
  // The .p12 first: a wrong password for it is the likeliest mistake and costs nothing stored.
  const imported = await importPkcs12(request.bytes, request.password, null);
  const existing = await existingContents(keys, request.accountId, request.newPassword);
  const contents = existing ? mergeImported(existing, imported) : imported;
  return saveKeyFile(invoke, request.accountId, contents, request.newPassword);
}

export async function changePassword(
  invoke: Invoke,
  keys: KeyAccess,
  request: { accountId: string; oldPassword: string; newPassword: string },
): Promise<void> {
  checkNewPassword(request.newPassword);
  const contents = await keys.open(request.accountId, request.oldPassword);
  await saveKeyFile(invoke, request.accountId, contents, request.newPassword);
}

/** A standard PKCS#12 that `openssl pkcs12` and other clients open with `exportPassword`. */
export async function exportKeyFile(
  keys: KeyAccess,
  request: { accountId: string; password: string; exportPassword: string },
): Promise<Uint8Array> {
  checkNewPassword(request.exportPassword);
  const contents = await keys.open(request.accountId, request.password);
  return sealKeyFile(contents, request.exportPassword);
}
