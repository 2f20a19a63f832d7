// RSAES-PKCS1-v1_5 key transport (RFC 8017 §7.2; RFC 3370 §4.2.1) without a padding oracle.
//
// Bleichenbacher (CRYPTO '98) and, 25 years on, Marvin (Kario 2023) recover the content key of
// any PKCS#1 v1.5 ciphertext from a decrypter that behaves differently, even by a few
// microseconds, when the padding is wrong. Two defences are combined here:
//  - RFC 3218 §2.3 (the "random CEK" defence for CMS): when the padding is wrong, or the key it
//    holds is not the length the content cipher needs, carry on with a substitute key, so every
//    failure surfaces later as the same content-decryption failure;
//  - implicit rejection (draft-irtf-cfrg-rsa-guidance §7, as in OpenSSL 3.2): the substitute is
//    derived deterministically from the private key and the ciphertext, so sending the same
//    ciphertext twice does not tell a real key (same result) from a substitute (a random one).
// The padding check itself reads every byte at fixed positions with no branch on secret data:
// CMS fixes the key length L, so a valid EM is 00 02 PS 00 K with K at the last L bytes.
import { subtle } from '../../crypto/engine.js';
import {
  bigIntOf,
  bytesOf,
  rsaPrivate,
  rsaPublic,
  type RsaPrivateKey,
  type RsaPublicKey,
} from './raw-rsa.js';
import { webBytes } from './der.js';

/** RFC 8017 §7.2.1: the smallest padding string is 8 bytes. */
const MIN_PADDING = 8;

export function pkcs1Encrypt(key: RsaPublicKey, message: Uint8Array): Uint8Array {
  const k = key.modulusBytes;
  if (message.byteLength > k - 3 - MIN_PADDING) throw new RangeError('message too long for the RSA key');
  const em = new Uint8Array(k);
  em[1] = 0x02;
  const separator = k - message.byteLength - 1;
  // PS: non-zero random bytes; redraw the zeros.
  const padding = em.subarray(2, separator);
  globalThis.crypto.getRandomValues(padding);
  for (let i = 0; i < padding.byteLength; i++) {
    while (padding[i] === 0) padding[i] = globalThis.crypto.getRandomValues(new Uint8Array(1))[0]!;
  }
  em.set(message, separator + 1);
  return rsaPublic(key, em);
}

/** 1 when the byte is zero, else 0, without a branch. */
function zeroBit(byte: number): number {
  return ((byte & 0xff) - 1) >>> 31;
}

async function hmacSha256(key: Uint8Array, data: Uint8Array): Promise<Uint8Array> {
  const hmac = await subtle().importKey('raw', webBytes(key), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  return new Uint8Array(await subtle().sign('HMAC', hmac, webBytes(data)));
}

/**
 * The implicit-rejection substitute key: KDK = HMAC-SHA256(SHA-256(I2OSP(d, k)), C), then
 * IRPRF(KDK, "message", 8L) = HMAC(KDK, I2OSP(i, 2) || label || I2OSP(8L, 2)) for i = 0, 1, ...
 */
async function syntheticKey(key: RsaPrivateKey, ciphertext: Uint8Array, length: number): Promise<Uint8Array> {
  const dHash = new Uint8Array(await subtle().digest('SHA-256', webBytes(bytesOf(key.d, key.modulusBytes))));
  const kdk = await hmacSha256(dHash, ciphertext);
  const label = new TextEncoder().encode('message');
  const out = new Uint8Array(length);
  for (let i = 0, at = 0; at < length; i++) {
    const input = new Uint8Array(2 + label.byteLength + 2);
    input.set([i >> 8, i & 0xff]);
    input.set(label, 2);
    input.set([(length * 8) >> 8, (length * 8) & 0xff], 2 + label.byteLength);
    const block = await hmacSha256(kdk, input);
    out.set(block.subarray(0, length - at), at);
    at += block.byteLength;
  }
  return out;
}

/**
 * Decrypts a PKCS#1 v1.5 encrypted content key of `keyLength` bytes. Never fails on bad
 * padding: it returns the substitute key instead, and the content cipher then fails exactly as
 * it would with any wrong key.
 */
export async function pkcs1DecryptContentKey(
  key: RsaPrivateKey,
  ciphertext: Uint8Array,
  keyLength: number,
): Promise<Uint8Array> {
  const k = key.modulusBytes;
  const synthetic = await syntheticKey(key, ciphertext, keyLength);
  // RFC 8017 §7.2.2 step 1 and RSADP's range check: public facts about the ciphertext, so a
  // branch on them reveals nothing the attacker did not choose.
  if (ciphertext.byteLength !== k || keyLength > k - 3 - MIN_PADDING || bigIntOf(ciphertext) >= key.n) {
    return synthetic;
  }
  const em = rsaPrivate(key, ciphertext);
  const separator = k - keyLength - 1;
  let bad = em[0]! | (em[1]! ^ 0x02) | em[separator]!;
  for (let i = 2; i < separator; i++) bad |= zeroBit(em[i]!);
  const mask = -zeroBit(bad) & 0xff; // 0xff when the padding is good
  const out = new Uint8Array(keyLength);
  for (let i = 0; i < keyLength; i++)
    out[i] = (em[separator + 1 + i]! & mask) | (synthetic[i]! & ~mask & 0xff);
  return out;
}
