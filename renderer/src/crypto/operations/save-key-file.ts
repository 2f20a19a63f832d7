// Seals key file contents with the user's password and hands main the encrypted bytes and the
// public certificates inside, so that main can show the status and verify signed mail without
// ever holding a private key or the password (ARCHITECTURE.md invariant 1).
import type { SecurityStatus } from '../../../../core/api/security-types.js';
import {
  encryptionKeysOf,
  sealKeyFile,
  signingKeyOf,
  type KeyFileContents,
} from '../../../../core/keyfile/key-file.js';
import { SealmailError } from '../../../../core/errors.js';
import { ipcBytes, type Invoke } from './worker-ipc.js';

/** Refuses a password that would leave the keys unprotected, before any work is done. */
export function checkNewPassword(password: string): void {
  if (password.length === 0) {
    throw new SealmailError(
      'INVALID_REQUEST',
      'Choose a key-file password: an empty one would leave your keys unprotected.',
    );
  }
}

/**
 * The certificates of the keys, in the order a reader of the list expects: the signing
 * certificate, the current encryption certificate, older encryption certificates, then any key
 * kept without a role.
 */
export function publicCertificatesOf(contents: KeyFileContents): Uint8Array[] {
  const signing = signingKeyOf(contents);
  const encryption = encryptionKeysOf(contents);
  const ordered = [...(signing ? [signing] : []), ...encryption.filter((key) => key !== signing)];
  const rest = contents.keys.filter((key) => !ordered.includes(key));
  return [...ordered, ...rest].map((key) => key.certificate);
}

export async function saveKeyFile(
  invoke: Invoke,
  accountId: string,
  contents: KeyFileContents,
  password: string,
): Promise<SecurityStatus> {
  const bytes = await sealKeyFile(contents, password);
  return invoke('keyfile.save', {
    accountId,
    bytes: ipcBytes(bytes),
    certificates: publicCertificatesOf(contents).map(ipcBytes),
    caCertificates: contents.caCertificates.map(ipcBytes),
  });
}
