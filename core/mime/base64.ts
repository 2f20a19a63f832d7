// Base64 on bytes (RFC 2045 §6.8), table-driven so that a 25 MB message is encoded and decoded
// without building intermediate strings. Encoded output is wrapped at 76 characters with CRLF.
import { SealmailError } from '../errors.js';

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const encodeTable = new Uint8Array(64);
const decodeTable = new Int16Array(256).fill(-1);
for (let i = 0; i < 64; i++) {
  encodeTable[i] = alphabet.charCodeAt(i);
  decodeTable[alphabet.charCodeAt(i)] = i;
}
const PAD = 0x3d;

/**
 * Base64 with CRLF after every `lineLength` characters (a multiple of 4) and after the last line,
 * written after `prefix` in one allocation so that a 25 MB body is not copied again to put a
 * header in front of it. Whole lines are encoded in a tight loop: this is the hot path of `seal`.
 */
export function encodeBase64Lines(bytes: Uint8Array, lineLength = 76, prefix?: Uint8Array): Uint8Array {
  const start = prefix?.length ?? 0;
  const chars = Math.ceil(bytes.length / 3) * 4;
  const lines = Math.ceil(chars / lineLength);
  const out = new Uint8Array(start + chars + lines * 2);
  if (prefix) out.set(prefix);
  const lineBytes = (lineLength / 4) * 3;
  const whole = bytes.length - (bytes.length % 3);
  let o = start;
  let i = 0;
  while (i < whole) {
    const lineEnd = Math.min(i + lineBytes, whole);
    const full = lineEnd - i === lineBytes;
    for (; i < lineEnd; i += 3) {
      const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
      out[o] = encodeTable[n >>> 18];
      out[o + 1] = encodeTable[(n >>> 12) & 63];
      out[o + 2] = encodeTable[(n >>> 6) & 63];
      out[o + 3] = encodeTable[n & 63];
      o += 4;
    }
    if (full) {
      out[o++] = 0x0d;
      out[o++] = 0x0a;
    }
  }
  const rest = bytes.length - whole;
  if (rest > 0) {
    const n = (bytes[whole] << 16) | (rest === 2 ? bytes[whole + 1] << 8 : 0);
    out[o++] = encodeTable[n >>> 18];
    out[o++] = encodeTable[(n >>> 12) & 63];
    out[o++] = rest === 2 ? encodeTable[(n >>> 6) & 63] : PAD;
    out[o++] = PAD;
  }
  // The last line ends in CRLF too, unless it already did (a body of whole lines).
  if (o > start && out[o - 1] !== 0x0a) {
    out[o++] = 0x0d;
    out[o++] = 0x0a;
  }
  return out.subarray(0, o);
}

/**
 * Decodes base64, skipping line breaks and whitespace. Any other character outside the
 * alphabet, or data after the padding, is an error: a signature or ciphertext that does not
 * decode exactly is not one we should act on.
 */
export function decodeBase64(text: Uint8Array, what = 'The base64 content'): Uint8Array {
  const out = new Uint8Array(Math.floor((text.length * 3) / 4) + 3);
  let o = 0;
  let quad = 0;
  let count = 0;
  let padding = 0;
  for (let i = 0; i < text.length; i++) {
    const v = decodeTable[text[i]];
    if (v >= 0) {
      if (padding > 0)
        throw new SealmailError('MALFORMED_MESSAGE', `${what} has data after its base64 padding.`);
      quad = (quad << 6) | v;
      if (++count === 4) {
        out[o] = quad >>> 16;
        out[o + 1] = (quad >>> 8) & 0xff;
        out[o + 2] = quad & 0xff;
        o += 3;
        count = 0;
        quad = 0;
      }
      continue;
    }
    const c = text[i];
    if (c === 0x0d || c === 0x0a || c === 0x20 || c === 0x09) continue;
    if (c === PAD) {
      padding++;
      continue;
    }
    throw new SealmailError('MALFORMED_MESSAGE', `${what} is not valid base64 (byte ${i}).`);
  }
  if (padding > 2) throw new SealmailError('MALFORMED_MESSAGE', `${what} has too much base64 padding.`);
  // A final group of 2 or 3 characters carries 1 or 2 bytes (RFC 4648 §4).
  if (count === 2) out[o++] = (quad >>> 4) & 0xff;
  else if (count === 3) {
    out[o++] = (quad >>> 10) & 0xff;
    out[o++] = (quad >>> 2) & 0xff;
  }
  return out.subarray(0, o);
}
