// What a Sealmail key file holds (issue 3, ARCHITECTURE.md "Enrollment"): the signing key and
// certificate, every encryption key and certificate the user ever had (so that old mail stays
// readable), and the CA chain. Users have separate signing and encryption keys (RFC 8551
// §2.5.3); a key imported from elsewhere may serve both.
//
// In the PKCS#12 file each key's role is its friendlyName (RFC 2985 §5.5.1), in words a person
// reading `openssl pkcs12 -info` understands, and the key is paired with its certificate by
// localKeyId (RFC 2985 §5.5.2), the SHA-1 of the certificate as OpenSSL and Windows make it.
import { SealmailError } from '../errors.js';

export type EncryptionRole = 'current' | 'previous';

export interface KeyFileKey {
  /** PKCS#8 PrivateKeyInfo, DER (RFC 5208). */
  privateKey: Uint8Array;
  /** The key's X.509 certificate, DER. */
  certificate: Uint8Array;
  /** The key that signs outgoing mail. At most one key has this. */
  signing: boolean;
  /** Decrypts mail: 'current' receives new mail (at most one), 'previous' keys read old mail. */
  encryption: EncryptionRole | null;
}

export interface KeyFileContents {
  keys: KeyFileKey[];
  /** Issuer certificates up to the root, DER. */
  caCertificates: Uint8Array[];
}

const namePrefix = 'Sealmail ';

/** The friendlyName that records a key's role. A key with no role is kept, not used. */
export function friendlyNameFor(key: Pick<KeyFileKey, 'signing' | 'encryption'>): string {
  if (key.signing && key.encryption) return `${namePrefix}signing and encryption key (${key.encryption})`;
  if (key.signing) return `${namePrefix}signing key`;
  if (key.encryption) return `${namePrefix}encryption key (${key.encryption})`;
  return `${namePrefix}retired key`;
}

const namePattern =
  /^Sealmail (signing and encryption|signing|encryption|retired) key(?: \((current|previous)\))?$/;

/** The role a Sealmail friendlyName records, or null for a name Sealmail did not write. */
export function rolesFromFriendlyName(
  name: string | undefined,
): Pick<KeyFileKey, 'signing' | 'encryption'> | null {
  const match = name === undefined ? null : namePattern.exec(name);
  if (!match) return null;
  const [, what, when] = match;
  const encryption = what.includes('encryption') ? ((when as EncryptionRole | undefined) ?? 'current') : null;
  return { signing: what.includes('signing'), encryption };
}

export function signingKeyOf(contents: KeyFileContents): KeyFileKey | null {
  return contents.keys.find((key) => key.signing) ?? null;
}

/** Every key that decrypts mail, the current one first: the order to try them in. */
export function encryptionKeysOf(contents: KeyFileContents): KeyFileKey[] {
  return [
    ...contents.keys.filter((key) => key.encryption === 'current'),
    ...contents.keys.filter((key) => key.encryption === 'previous'),
  ];
}

/** Refuses contents that would make an ambiguous key file. */
export function checkContents(contents: KeyFileContents): void {
  if (contents.keys.length === 0) {
    throw new SealmailError('INVALID_REQUEST', 'A key file needs at least one key and its certificate.');
  }
  if (contents.keys.filter((key) => key.signing).length > 1) {
    throw new SealmailError('INVALID_REQUEST', 'A key file can have only one signing key.');
  }
  if (contents.keys.filter((key) => key.encryption === 'current').length > 1) {
    throw new SealmailError('INVALID_REQUEST', 'A key file can have only one current encryption key.');
  }
}
