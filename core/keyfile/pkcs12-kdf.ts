// The PKCS#12 key derivation of RFC 7292 appendix B.2. It derives the MAC key of MacData (ID 3),
// and the key (ID 1) and IV (ID 2) of the legacy pbeWithSHAAnd... schemes (appendix C).
//
// pkijs has this KDF too (makePKCS12B2Key, behind CryptoEngine.stampDataWithPassword). We read it:
// its arithmetic is right, but it fixes ID to 3, so it cannot derive legacy 3DES/RC2 keys and
// IVs, it is not exported, and its hash allocates on every round, which makes a MAC iteration
// count high enough to matter (see key-file-parameters.ts) slow. So Sealmail has its own.
import { subtle } from '../crypto/engine.js';
import { SealmailError } from '../errors.js';
import { hashShapes, iteratedHash, type HashName, type HashShape } from './iterated-hash.js';

export const kdfPurpose = { encryptionKey: 1, iv: 2, macKey: 3 } as const;

/**
 * The password as RFC 7292 B.1 wants it: a BMPString (UTF-16 big-endian) with a two-byte NUL
 * terminator. Characters outside the BMP become surrogate pairs, as OpenSSL 3's OPENSSL_utf82uni
 * does, so a password typed in Sealmail opens in OpenSSL and the other way round.
 */
export function bmpPassword(password: string): Uint8Array {
  const out = new Uint8Array(password.length * 2 + 2);
  for (let i = 0; i < password.length; i++) {
    const unit = password.charCodeAt(i);
    out[i * 2] = unit >>> 8;
    out[i * 2 + 1] = unit & 0xff;
  }
  return out;
}

/** Repeats `bytes` to fill whole v-byte blocks (steps 2 and 3 of B.2). */
function repeatToBlocks(bytes: Uint8Array, v: number): Uint8Array {
  const out = new Uint8Array(v * Math.ceil(bytes.length / v));
  for (let i = 0; i < out.length; i++) out[i] = bytes[i % bytes.length];
  return out;
}

/** Digests a PKCS#12 file may name for its MAC or KDF (OpenSSL's -macalg). */
export type Pkcs12Hash = HashName | 'SHA-384' | 'SHA-512';

export const pkcs12HashShapes: Record<Pkcs12Hash, HashShape> = {
  ...hashShapes,
  'SHA-384': { outputBytes: 48, blockBytes: 128 },
  'SHA-512': { outputBytes: 64, blockBytes: 128 },
};

/** About 40 s at WebCrypto's one await per round: the most a file may make Sealmail wait. */
const maximumAsyncRounds = 1_000_000;

/**
 * H^count(data). SHA-1 and SHA-256, which Sealmail and OpenSSL use, run on the synchronous
 * hashes; SHA-384 and SHA-512, rare in PKCS#12, take WebCrypto's digest once per round, which is
 * slow per round but fine for the counts other programs use (OpenSSL: 2,048).
 */
async function hashRounds(hash: Pkcs12Hash, data: Uint8Array, count: number): Promise<Uint8Array> {
  if (hash === 'SHA-1' || hash === 'SHA-256') return iteratedHash(hash, data, count);
  if (count > maximumAsyncRounds) {
    throw new SealmailError(
      'UNSUPPORTED_ALGORITHM',
      `The file asks for ${count} rounds of ${hash} in its PKCS#12 key derivation; Sealmail does at ` +
        `most ${maximumAsyncRounds} with that digest. Export it again with SHA-256 (OpenSSL: -macalg sha256).`,
    );
  }
  let out = data.slice();
  for (let round = 0; round < count; round++) out = new Uint8Array(await subtle().digest(hash, out));
  return out;
}

export async function pkcs12Kdf(
  hash: Pkcs12Hash,
  purpose: number,
  password: string,
  salt: Uint8Array,
  iterations: number,
  outputBytes: number,
): Promise<Uint8Array> {
  const { outputBytes: u, blockBytes: v } = pkcs12HashShapes[hash];
  const diversifier = new Uint8Array(v).fill(purpose);
  const input = new Uint8Array([...repeatToBlocks(salt, v), ...repeatToBlocks(bmpPassword(password), v)]);
  const result = new Uint8Array(Math.ceil(outputBytes / u) * u);
  for (let i = 0; i * u < outputBytes; i++) {
    const a = await hashRounds(hash, new Uint8Array([...diversifier, ...input]), iterations);
    result.set(a, i * u);
    // Step 6c: I_j = (I_j + B + 1) mod 2^(8v) for each v-byte block I_j, where B is A repeated.
    const b = repeatToBlocks(a, v).subarray(0, v);
    for (let j = 0; j < input.length; j += v) {
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        const sum = input[j + k] + b[k] + carry;
        input[j + k] = sum & 0xff;
        carry = sum >>> 8;
      }
    }
  }
  return result.slice(0, outputBytes);
}
