// The key file as the rest of Sealmail sees it: open with a password, seal with a password, and
// import or export a .p12 from or for another program. The bytes go to and from disk through
// electron/services/keyfile-storage.ts; private keys never leave core/ (ARCHITECTURE.md).
import type { KeyFileContents } from './key-file-contents.js';
import type { ProtectionSettings } from './key-file-parameters.js';
import { contentsFromBags, mergeImported } from './key-roles.js';
import { readPkcs12, type Pkcs12Protection } from './read-pkcs12.js';
import { writeKeyFile } from './write-key-file.js';

export interface OpenedKeyFile {
  contents: KeyFileContents;
  protection: Pkcs12Protection;
}

/** Opens a Sealmail key file, or any PKCS#12 (.p12/.pfx) file, with its password. */
export async function openKeyFile(
  bytes: Uint8Array,
  password: string,
  what = 'key file',
): Promise<OpenedKeyFile> {
  const { bags, protection } = await readPkcs12(bytes, password, what);
  return { contents: await contentsFromBags(bags), protection };
}

/** The bytes of a key file holding `contents`, protected by `password`. */
export function sealKeyFile(
  contents: KeyFileContents,
  password: string,
  settings?: ProtectionSettings,
): Promise<Uint8Array> {
  return writeKeyFile(contents, password, settings);
}

/**
 * A key file with the keys of a .p12 from another program added: to `existing` if there is one
 * (the imported keys become current), or on their own.
 */
export async function importPkcs12(
  p12: Uint8Array,
  p12Password: string,
  existing: KeyFileContents | null,
): Promise<KeyFileContents> {
  const imported = (await openKeyFile(p12, p12Password, '.p12 file')).contents;
  return existing ? mergeImported(existing, imported) : imported;
}

export type { KeyFileContents, KeyFileKey } from './key-file-contents.js';
export { signingKeyOf, encryptionKeysOf } from './key-file-contents.js';
