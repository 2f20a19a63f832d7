// Key pairs the KM makes: the CA's ECDSA P-256 signing key, and users' encryption keys, P-256
// (key agreement, RFC 5753) by default or RSA-3072 (key transport) for older correspondents.
import { webcrypto } from 'node:crypto';
import { SealmailError } from '../../core/errors.js';

// km/ runs on Node: WebCrypto's types come from node:crypto (core/ uses the DOM's names).
export type CryptoKey = webcrypto.CryptoKey;
export type CryptoKeyPair = webcrypto.CryptoKeyPair;
const subtle = (): webcrypto.SubtleCrypto => webcrypto.subtle;

export const encryptionKeyTypes = ['P-256', 'RSA-3072'] as const;
export type EncryptionKeyType = (typeof encryptionKeyTypes)[number];

export const caSigningAlgorithm: webcrypto.EcKeyImportParams = { name: 'ECDSA', namedCurve: 'P-256' };

export async function generateCaKeyPair(): Promise<CryptoKeyPair> {
  return subtle().generateKey(caSigningAlgorithm, true, ['sign', 'verify']);
}

export async function importCaPrivateKey(pkcs8: Uint8Array): Promise<CryptoKey> {
  try {
    return await subtle().importKey('pkcs8', pkcs8, caSigningAlgorithm, false, ['sign']);
  } catch (error) {
    throw new SealmailError('MALFORMED_KEY', 'the KM CA private key does not import', { cause: error });
  }
}

/** An extractable encryption key pair: the private half is archived (issue 4, serverkeygen). */
export async function generateEncryptionKeyPair(type: EncryptionKeyType): Promise<CryptoKeyPair> {
  if (type === 'P-256') {
    return subtle().generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveBits']);
  }
  return subtle().generateKey(
    { name: 'RSA-OAEP', modulusLength: 3072, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
    true,
    ['encrypt', 'decrypt'],
  );
}
