// Synchronous SHA-1 and SHA-256 (FIPS 180-4) for the PKCS#12 key derivation of RFC 7292
// appendix B, which hashes its own output thousands of times in a row. WebCrypto's digest is
// asynchronous, and one await per round costs about 40 µs here, which would make a MAC with a
// useful iteration count take seconds. Nothing else in Sealmail should hash with these: use
// subtle().digest, which is faster for a single large input. Long runs of SHA-256 go to
// sha256-rounds-wasm.ts, which does the same rounds about twice as fast.

import { sha256InitialState, sha256RoundConstants } from './sha256-constants.js';
import { sha256RoundsInWasm } from './sha256-rounds-wasm.js';

/** Below this many rounds compiling the WebAssembly module costs more than it saves. */
const wasmWorthwhile = 20_000;

export type HashName = 'SHA-1' | 'SHA-256';

export interface HashShape {
  /** Output length in bytes (u in RFC 7292 B.2). */
  outputBytes: number;
  /** Block length in bytes (v in RFC 7292 B.2). */
  blockBytes: number;
}

export const hashShapes: Record<HashName, HashShape> = {
  'SHA-1': { outputBytes: 20, blockBytes: 64 },
  'SHA-256': { outputBytes: 32, blockBytes: 64 },
};

// Int32Array, not Uint32Array, everywhere in the rounds: a word read from a Uint32Array may be
// above 2^31, which V8 holds as a double, and the rounds then run in floating point; as int32 they
// stay small integers, which made 600,000 rounds about twice as fast.
const sha256K = new Int32Array(sha256RoundConstants);

/** Pads a message per FIPS 180-4 §5.1.1 and returns it as big-endian 32-bit words. */
function paddedWords(data: Uint8Array): Int32Array {
  const blocks = Math.ceil((data.length + 9) / 64);
  const words = new Int32Array(blocks * 16);
  for (let i = 0; i < data.length; i++) words[i >>> 2] |= data[i] << (24 - 8 * (i & 3));
  words[data.length >>> 2] |= 0x80 << (24 - 8 * (data.length & 3));
  const bitLength = data.length * 8;
  words[words.length - 2] = Math.floor(bitLength / 2 ** 32);
  words[words.length - 1] = bitLength >>> 0;
  return words;
}

function wordsToBytes(words: Int32Array): Uint8Array {
  const out = new Uint8Array(words.length * 4);
  for (let i = 0; i < out.length; i++) out[i] = words[i >>> 2] >>> (24 - 8 * (i & 3));
  return out;
}

const rotr = (x: number, n: number): number => (x >>> n) | (x << (32 - n));
const rotl = (x: number, n: number): number => (x << n) | (x >>> (32 - n));

/** One SHA-256 compression of the block in w[0..15] into the state h (FIPS 180-4 §6.2.2). */
function compress256(h: Int32Array, w: Int32Array): void {
  for (let t = 16; t < 64; t++) {
    const w15 = w[t - 15];
    const w2 = w[t - 2];
    const s0 = rotr(w15, 7) ^ rotr(w15, 18) ^ (w15 >>> 3);
    const s1 = rotr(w2, 17) ^ rotr(w2, 19) ^ (w2 >>> 10);
    w[t] = (w[t - 16] + s0 + w[t - 7] + s1) | 0;
  }
  let a = h[0],
    b = h[1],
    c = h[2],
    d = h[3],
    e = h[4],
    f = h[5],
    g = h[6],
    hh = h[7];
  for (let t = 0; t < 64; t++) {
    const s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
    const ch = (e & f) ^ (~e & g);
    const t1 = (hh + s1 + ch + sha256K[t] + w[t]) | 0;
    const s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
    const maj = (a & b) ^ (a & c) ^ (b & c);
    hh = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + s0 + maj) | 0;
  }
  h[0] += a;
  h[1] += b;
  h[2] += c;
  h[3] += d;
  h[4] += e;
  h[5] += f;
  h[6] += g;
  h[7] += hh;
}

/** One SHA-1 compression of the block in w[0..15] into the state h (FIPS 180-4 §6.1.2). */
function compress1(h: Int32Array, w: Int32Array): void {
  for (let t = 16; t < 80; t++) w[t] = rotl(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1);
  let a = h[0],
    b = h[1],
    c = h[2],
    d = h[3],
    e = h[4];
  for (let t = 0; t < 80; t++) {
    // No [f, k] destructuring here: it allocates an array per round, 80 rounds per block.
    let fk: number;
    if (t < 20) fk = ((b & c) | (~b & d)) + 0x5a827999;
    else if (t < 40) fk = (b ^ c ^ d) + 0x6ed9eba1;
    else if (t < 60) fk = ((b & c) | (b & d) | (c & d)) + 0x8f1bbcdc;
    else fk = (b ^ c ^ d) + 0xca62c1d6;
    const temp = (rotl(a, 5) + fk + e + w[t]) | 0;
    e = d;
    d = c;
    c = rotl(b, 30);
    b = a;
    a = temp;
  }
  h[0] += a;
  h[1] += b;
  h[2] += c;
  h[3] += d;
  h[4] += e;
}

const initialState: Record<HashName, readonly number[]> = {
  'SHA-1': [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0],
  'SHA-256': sha256InitialState,
};

/**
 * H^count(data): the hash applied `count` times (RFC 7292 B.2 step 6a). After the first round
 * the input is one digest, which fits in one block, so later rounds feed the state words straight
 * back in without converting to bytes.
 */
export function iteratedHash(name: HashName, data: Uint8Array, count: number): Uint8Array {
  const compress = name === 'SHA-1' ? compress1 : compress256;
  const w = new Int32Array(name === 'SHA-1' ? 80 : 64);
  const h = new Int32Array(initialState[name]);
  const m = paddedWords(data);
  for (let offset = 0; offset < m.length; offset += 16) {
    w.set(m.subarray(offset, offset + 16));
    compress(h, w);
  }
  const digestWords = h.length;
  // The long runs (a key file's MAC key: 600,000 rounds) go to WebAssembly where it is available.
  const fast = name === 'SHA-256' && count > wasmWorthwhile ? sha256RoundsInWasm() : null;
  if (fast) {
    fast(h, count - 1);
    return wordsToBytes(h);
  }
  for (let round = 1; round < count; round++) {
    w.fill(0);
    w.set(h);
    w[digestWords] = 0x80000000;
    w[15] = digestWords * 32;
    h.set(initialState[name]);
    compress(h, w);
  }
  return wordsToBytes(h);
}

export const sha256 = (data: Uint8Array): Uint8Array => iteratedHash('SHA-256', data, 1);
export const sha1 = (data: Uint8Array): Uint8Array => iteratedHash('SHA-1', data, 1);
