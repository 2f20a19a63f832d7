// Raw RSA (RFC 8017 §5.1) with BigInt, for the one operation neither WebCrypto nor Node 20 offers:
// RSAES-PKCS1-v1_5 key transport, which most S/MIME senders still use (ARCHITECTURE.md). The
// private operation uses the CRT (RFC 8017 §5.1.2, 2.b) and base blinding (Kocher 1996), so that
// its running time does not follow the attacker-chosen ciphertext. BigInt arithmetic is not
// constant-time; blinding is what keeps the exponent from leaking through timing.
import * as asn1js from 'asn1js';
import { SealmailError } from '../../errors.js';
import { algorithmIdentifier, asSequence, malformed, octets, parseDer } from './der.js';
import { RSA_ENCRYPTION, RSAES_OAEP } from './oids.js';

export interface RsaPublicKey {
  n: bigint;
  e: bigint;
  /** k in RFC 8017: the modulus length in bytes. */
  modulusBytes: number;
}

export interface RsaPrivateKey extends RsaPublicKey {
  d: bigint;
  p: bigint;
  q: bigint;
  dp: bigint;
  dq: bigint;
  qInv: bigint;
}

export function bigIntOf(bytes: Uint8Array): bigint {
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex === '' ? 0n : BigInt(`0x${hex}`);
}

/** I2OSP (RFC 8017 §4.1): `value` as exactly `length` big-endian bytes. */
export function bytesOf(value: bigint, length: number): Uint8Array {
  const hex = value.toString(16).padStart(length * 2, '0');
  if (hex.length > length * 2) throw new RangeError('integer too large');
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let square = base % modulus;
  for (let rest = exponent; rest > 0n; rest >>= 1n) {
    if (rest & 1n) result = (result * square) % modulus;
    square = (square * square) % modulus;
  }
  return result;
}

function modInverse(value: bigint, modulus: bigint): bigint {
  let [oldR, r] = [value % modulus, modulus];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const quotient = oldR / r;
    [oldR, r] = [r, oldR - quotient * r];
    [oldS, s] = [s, oldS - quotient * s];
  }
  if (oldR !== 1n) throw new RangeError('not invertible');
  return ((oldS % modulus) + modulus) % modulus;
}

function integerOf(node: asn1js.BaseBlock | undefined, what: string): bigint {
  if (!(node instanceof asn1js.Integer)) throw badKey(`${what} is missing`);
  return bigIntOf(node.valueBlock.valueHexView);
}

function badKey(detail: string): SealmailError {
  return new SealmailError(
    'MALFORMED_KEY',
    `An RSA decryption key in the key file cannot be read: ${detail}. Import the key file again.`,
  );
}

/** Reads an RSA private key from PKCS#8 (RFC 5208) holding RSAPrivateKey (RFC 8017 §A.1.2). */
export function readRsaPrivateKey(pkcs8: Uint8Array): RsaPrivateKey {
  let fields: asn1js.BaseBlock[];
  try {
    const info = asSequence(parseDer(pkcs8, 'private key'), 'PrivateKeyInfo');
    const algorithm = algorithmIdentifier(info[1], 'private key algorithm');
    if (algorithm.oid !== RSA_ENCRYPTION && algorithm.oid !== RSAES_OAEP)
      throw badKey('it is not an RSA key');
    fields = asSequence(parseDer(octets(info[2], 'privateKey'), 'RSAPrivateKey'), 'RSAPrivateKey');
  } catch (error) {
    if (error instanceof SealmailError && error.code === 'MALFORMED_CMS') throw badKey('it is not PKCS#8');
    throw error;
  }
  const [, n, e, d, p, q, dp, dq, qInv] = fields.map((field, index) => integerOf(field, `field ${index}`));
  if (n === undefined || e === undefined || d === undefined || p === undefined || q === undefined) {
    throw badKey('it lacks the modulus or exponents');
  }
  if (dp === undefined || dq === undefined || qInv === undefined || p * q !== n) {
    throw badKey('its CRT parameters are missing or inconsistent');
  }
  return { n, e, d, p, q, dp, dq, qInv, modulusBytes: Math.ceil(n.toString(16).length / 2) };
}

/** Reads RSAPublicKey (RFC 8017 §A.1.1) from a SubjectPublicKeyInfo. */
export function readRsaPublicKey(subjectPublicKeyInfo: Uint8Array): RsaPublicKey {
  const [, bits] = asSequence(parseDer(subjectPublicKeyInfo, 'public key'), 'SubjectPublicKeyInfo');
  if (!(bits instanceof asn1js.BitString)) throw malformed('the RSA public key is not a BIT STRING');
  const [n, e] = asSequence(parseDer(bits.valueBlock.valueHexView, 'RSAPublicKey'), 'RSAPublicKey');
  if (!(n instanceof asn1js.Integer) || !(e instanceof asn1js.Integer)) {
    throw malformed('the RSA public key lacks its modulus or exponent');
  }
  const modulus = bigIntOf(n.valueBlock.valueHexView);
  return {
    n: modulus,
    e: bigIntOf(e.valueBlock.valueHexView),
    modulusBytes: Math.ceil(modulus.toString(16).length / 2),
  };
}

/** RSAEP (RFC 8017 §5.1.1). */
export function rsaPublic(key: RsaPublicKey, message: Uint8Array): Uint8Array {
  return bytesOf(modPow(bigIntOf(message), key.e, key.n), key.modulusBytes);
}

function randomBelow(modulus: bigint, length: number): bigint {
  for (;;) {
    const candidate = bigIntOf(globalThis.crypto.getRandomValues(new Uint8Array(length))) % modulus;
    if (candidate > 1n) return candidate;
  }
}

/**
 * RSADP (RFC 8017 §5.1.2) with blinding. The caller has checked that the ciphertext is k bytes
 * and below n (both public facts). Returns the k-byte encoded message EM.
 */
export function rsaPrivate(key: RsaPrivateKey, ciphertext: Uint8Array): Uint8Array {
  const c = bigIntOf(ciphertext);
  const blind = randomBelow(key.n, key.modulusBytes);
  const blinded = (c * modPow(blind, key.e, key.n)) % key.n;
  // CRT: m1 = c^dP mod p, m2 = c^dQ mod q, h = qInv (m1 - m2) mod p, m = m2 + q h
  const m1 = modPow(blinded, key.dp, key.p);
  const m2 = modPow(blinded, key.dq, key.q);
  const h = (((m1 - m2) % key.p) + key.p) % key.p;
  const mBlinded = m2 + key.q * ((key.qInv * h) % key.p);
  const m = (mBlinded * modInverse(blind, key.n)) % key.n;
  return bytesOf(m, key.modulusBytes);
}
