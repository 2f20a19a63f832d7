// The PKCS#12 password-based encryption schemes of RFC 7292 appendix C (pkcs-12PbeParams), still
// written by OpenSSL's `-legacy`, by OpenSSL 1.x by default, and by older Windows and macOS
// exports: SHA-1 with the appendix B.2 KDF, then 3DES or RC2. Sealmail reads them to import
// keys and never writes them. RC4 variants are left out: no current exporter uses them.
import { SealmailError } from '../errors.js';
import { octetsOf, sequenceItems, smallIntegerOf } from './der-fields.js';
import { decryptRc2Cbc, decryptTripleDesCbc } from './legacy-ciphers.js';
import type { PasswordKeys } from './password-keys.js';
import { kdfPurpose } from './pkcs12-kdf.js';
import { pkcs12Oids } from './pkcs12-oids.js';

interface LegacyScheme {
  keyBytes: number;
  decrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Promise<Uint8Array | null>;
}

export const legacySchemes: Record<string, LegacyScheme> = {
  [pkcs12Oids.pbeWithShaAnd3KeyTripleDesCbc]: { keyBytes: 24, decrypt: decryptTripleDesCbc },
  [pkcs12Oids.pbeWithShaAnd2KeyTripleDesCbc]: { keyBytes: 16, decrypt: decryptTripleDesCbc },
  [pkcs12Oids.pbeWithShaAnd128BitRc2Cbc]: {
    keyBytes: 16,
    decrypt: (key, iv, data) => decryptRc2Cbc(key, 128, iv, data),
  },
  [pkcs12Oids.pbeWithShaAnd40BitRc2Cbc]: {
    keyBytes: 5,
    decrypt: (key, iv, data) => decryptRc2Cbc(key, 40, iv, data),
  },
};

/** Decrypts with a legacy scheme; null when the padding is wrong (a wrong password, usually). */
export async function decryptLegacyPbe(
  scheme: LegacyScheme,
  params: unknown,
  data: Uint8Array,
  keys: PasswordKeys,
): Promise<Uint8Array | null> {
  const [saltNode, iterationsNode] = sequenceItems(params, 'PKCS#12 PBE parameters');
  const salt = octetsOf(saltNode, 'PKCS#12 PBE salt');
  const iterations = smallIntegerOf(iterationsNode, 'PKCS#12 PBE iteration count');
  if (data.length === 0 || data.length % 8 !== 0) {
    throw new SealmailError('MALFORMED_KEYFILE', 'An encrypted part of the key file has a broken length.');
  }
  const key = await keys.pkcs12('SHA-1', kdfPurpose.encryptionKey, salt, iterations, scheme.keyBytes);
  const iv = await keys.pkcs12('SHA-1', kdfPurpose.iv, salt, iterations, 8);
  return scheme.decrypt(key, iv, data);
}
