// PBES2 (RFC 8018 §6.2) with PBKDF2: what Sealmail writes (PBKDF2-HMAC-SHA256, AES-256-CBC) and
// what OpenSSL 3 writes by default. Reading also takes the other PRFs and AES sizes of RFC 8018
// appendix B, and des-ede3-cbc, which OpenSSL's `-keypbe des-ede3-cbc` produces.
import * as asn1js from 'asn1js';
import { subtle } from '../crypto/engine.js';
import { SealmailError } from '../errors.js';
import { octetsOf, oidOf, sequenceItems, smallIntegerOf } from './der-fields.js';
import { keyFileProtection } from './key-file-parameters.js';
import { decryptTripleDesCbc } from './legacy-ciphers.js';
import type { PasswordKeys, Pbkdf2Hash } from './password-keys.js';
import { pkcs12Oids } from './pkcs12-oids.js';

const prfHashes: Record<string, Pbkdf2Hash> = {
  [pkcs12Oids.hmacWithSha1]: 'SHA-1',
  [pkcs12Oids.hmacWithSha256]: 'SHA-256',
  [pkcs12Oids.hmacWithSha384]: 'SHA-384',
  [pkcs12Oids.hmacWithSha512]: 'SHA-512',
};

const ciphers: Record<string, { keyBytes: number; name: 'AES-CBC' | '3DES-CBC'; label: string }> = {
  [pkcs12Oids.aes128Cbc]: { keyBytes: 16, name: 'AES-CBC', label: 'AES-128-CBC' },
  [pkcs12Oids.aes192Cbc]: { keyBytes: 24, name: 'AES-CBC', label: 'AES-192-CBC' },
  [pkcs12Oids.aes256Cbc]: { keyBytes: 32, name: 'AES-CBC', label: 'AES-256-CBC' },
  [pkcs12Oids.desEde3Cbc]: { keyBytes: 24, name: '3DES-CBC', label: 'DES-EDE3-CBC' },
};

function unsupported(what: string): SealmailError {
  return new SealmailError(
    'UNSUPPORTED_ALGORITHM',
    `The key file is protected with ${what}, which Sealmail does not read. Export it again from ` +
      'the program that made it with AES-256 (OpenSSL 3: the default of `openssl pkcs12 -export`).',
  );
}

export interface Pbes2Parameters {
  hash: Pbkdf2Hash;
  salt: Uint8Array;
  iterations: number;
  cipher: (typeof ciphers)[string];
  iv: Uint8Array;
}

/** Reads PBES2-params (RFC 8018 appendix A.4) and the PBKDF2-params inside (A.2). */
export function readParameters(params: unknown): Pbes2Parameters {
  const [kdf, scheme] = sequenceItems(params, 'PBES2 parameters');
  const [kdfOid, kdfParams] = sequenceItems(kdf, 'key derivation function');
  const kdfId = oidOf(kdfOid, 'key derivation function');
  if (kdfId !== pkcs12Oids.pbkdf2) throw unsupported(`the key derivation ${kdfId}`);
  const fields = sequenceItems(kdfParams, 'PBKDF2 parameters');
  // salt CHOICE { specified OCTET STRING, otherSource AlgorithmIdentifier }: only "specified"
  // is defined by any standard.
  const salt = octetsOf(fields[0], 'PBKDF2 salt');
  const iterations = smallIntegerOf(fields[1], 'PBKDF2 iteration count');
  let rest = fields.slice(2);
  let keyLength: number | undefined;
  if (rest[0] instanceof asn1js.Integer) {
    keyLength = smallIntegerOf(rest[0], 'PBKDF2 key length');
    rest = rest.slice(1);
  }
  let hash: Pbkdf2Hash = 'SHA-1'; // RFC 8018 A.2: the default PRF is hmacWithSHA1
  if (rest[0] !== undefined) {
    const prfId = oidOf(sequenceItems(rest[0], 'PBKDF2 PRF')[0], 'PBKDF2 PRF');
    const prfHash = prfHashes[prfId];
    if (!prfHash) throw unsupported(`the PBKDF2 PRF ${prfId}`);
    hash = prfHash;
  }
  const [schemeOid, ivNode] = sequenceItems(scheme, 'encryption scheme');
  const schemeId = oidOf(schemeOid, 'encryption scheme');
  const cipher = ciphers[schemeId];
  if (!cipher) throw unsupported(`the cipher ${schemeId}`);
  if (keyLength !== undefined && keyLength !== cipher.keyBytes) {
    throw new SealmailError(
      'MALFORMED_KEYFILE',
      'The key file states a key length its cipher does not have.',
    );
  }
  const iv = octetsOf(ivNode, 'cipher IV');
  if (iv.length !== (cipher.name === 'AES-CBC' ? 16 : 8)) {
    throw new SealmailError('MALFORMED_KEYFILE', 'The key file has a cipher IV of the wrong length.');
  }
  return { hash, salt, iterations, cipher, iv };
}

/**
 * Decrypts PBES2-protected bytes. Returns null when the padding is wrong, which is what a wrong
 * password (or a damaged ciphertext) looks like from here; the caller tells the two apart.
 */
export async function decryptPbes2(
  params: unknown,
  data: Uint8Array,
  keys: PasswordKeys,
): Promise<Uint8Array | null> {
  const p = readParameters(params);
  const key = await keys.pbkdf2(p.hash, p.salt, p.iterations, p.cipher.keyBytes);
  if (p.cipher.name === '3DES-CBC') return decryptTripleDesCbc(key, p.iv, data);
  if (data.length === 0 || data.length % 16 !== 0) return null;
  const aes = await subtle().importKey('raw', key.slice(), 'AES-CBC', false, ['decrypt']);
  try {
    // WebCrypto checks and strips the PKCS#7 padding and rejects a bad one (OperationError).
    return new Uint8Array(await subtle().decrypt({ name: 'AES-CBC', iv: p.iv.slice() }, aes, data.slice()));
  } catch {
    return null;
  }
}

export interface Pbes2Output {
  /** The AlgorithmIdentifier (pbes2, PBES2-params) to store beside the ciphertext. */
  algorithm: asn1js.Sequence;
  ciphertext: Uint8Array;
}

/** Encrypts with PBES2: PBKDF2-HMAC-SHA256 with `salt`, AES-256-CBC with a fresh IV. */
export async function encryptPbes2(
  data: Uint8Array,
  keys: PasswordKeys,
  salt: Uint8Array,
  iterations: number = keyFileProtection.pbkdf2Iterations,
): Promise<Pbes2Output> {
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(16));
  const key = await keys.pbkdf2('SHA-256', salt, iterations, 32);
  const aes = await subtle().importKey('raw', key.slice(), 'AES-CBC', false, ['encrypt']);
  const ciphertext = new Uint8Array(await subtle().encrypt({ name: 'AES-CBC', iv }, aes, data.slice()));
  const algorithm = new asn1js.Sequence({
    value: [
      new asn1js.ObjectIdentifier({ value: pkcs12Oids.pbes2 }),
      new asn1js.Sequence({
        value: [
          new asn1js.Sequence({
            value: [
              new asn1js.ObjectIdentifier({ value: pkcs12Oids.pbkdf2 }),
              new asn1js.Sequence({
                value: [
                  new asn1js.OctetString({ valueHex: salt.slice().buffer }),
                  new asn1js.Integer({ value: iterations }),
                  new asn1js.Sequence({
                    value: [
                      new asn1js.ObjectIdentifier({ value: pkcs12Oids.hmacWithSha256 }),
                      new asn1js.Null(),
                    ],
                  }),
                ],
              }),
            ],
          }),
          new asn1js.Sequence({
            value: [
              new asn1js.ObjectIdentifier({ value: pkcs12Oids.aes256Cbc }),
              new asn1js.OctetString({ valueHex: iv.slice().buffer }),
            ],
          }),
        ],
      }),
    ],
  });
  return { algorithm, ciphertext };
}
