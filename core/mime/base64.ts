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
 * header in front of it. `bytes` may come in pieces (a DER envelope whose ciphertext was never
 * joined to its header, der.ts `encodeParts`): they are encoded as if concatenated, without
 * concatenating them. Whole lines are encoded in a tight loop: this is the hot path of `seal`.
 */
export function encodeBase64Lines(
  bytes: Uint8Array | readonly Uint8Array[],
  lineLength = 76,
  prefix?: Uint8Array,
): Uint8Array {
  const parts = bytes instanceof Uint8Array ? [bytes] : bytes;
  let total = 0;
  for (const part of parts) total += part.length;
  const start = prefix?.length ?? 0;
  const chars = Math.ceil(total / 3) * 4;
  const lines = Math.ceil(chars / lineLength);
  const out = new Uint8Array(start + chars + lines * 2);
  if (prefix) out.set(prefix);
  const writer: LineWriter = { out, o: start, column: 0, lineLength };
  // Up to two bytes left over from one piece, completed with the first bytes of the next.
  const carry = new Uint8Array(3);
  let carried = 0;
  for (const part of parts) {
    let i = 0;
    while (carried > 0 && carried < 3 && i < part.length) carry[carried++] = part[i++];
    if (carried === 3) {
      encodeGroups(carry, 0, 3, writer);
      carried = 0;
    }
    const whole = part.length - ((part.length - i) % 3);
    encodeGroups(part, i, whole, writer);
    while (whole + carried < part.length) {
      carry[carried] = part[whole + carried];
      carried++;
    }
  }
  let o = writer.o;
  if (carried > 0) {
    const n = (carry[0] << 16) | (carried === 2 ? carry[1] << 8 : 0);
    out[o++] = encodeTable[n >>> 18];
    out[o++] = encodeTable[(n >>> 12) & 63];
    out[o++] = carried === 2 ? encodeTable[(n >>> 6) & 63] : PAD;
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
 * The same lines as encodeBase64Lines, for content that arrives a piece at a time (`seal` writes
 * a 25 MB message out as it encrypts it, so that it is never whole in memory). Each `push`
 * returns the characters its bytes complete; `finish` returns the padding and the last CRLF.
 */
export class Base64LineEncoder {
  /** Up to two bytes left over from one piece, completed with the first bytes of the next. */
  private readonly carry = new Uint8Array(3);
  private carried = 0;
  /** Characters already on the current line. */
  private column = 0;

  constructor(private readonly lineLength = 76) {}

  push(bytes: Uint8Array): Uint8Array {
    const groups = Math.floor((this.carried + bytes.length) / 3);
    const breaks = Math.floor((this.column + groups * 4) / this.lineLength);
    const out = new Uint8Array(groups * 4 + breaks * 2);
    const writer: LineWriter = { out, o: 0, column: this.column, lineLength: this.lineLength };
    let i = 0;
    if (this.carried > 0) {
      while (this.carried < 3 && i < bytes.length) this.carry[this.carried++] = bytes[i++];
      if (this.carried < 3) return out.subarray(0, 0);
      encodeGroups(this.carry, 0, 3, writer);
      this.carried = 0;
    }
    const whole = bytes.length - ((bytes.length - i) % 3);
    encodeGroups(bytes, i, whole, writer);
    for (let j = whole; j < bytes.length; j++) this.carry[this.carried++] = bytes[j];
    this.column = writer.column;
    return out.subarray(0, writer.o);
  }

  finish(): Uint8Array {
    const out = new Uint8Array(6);
    let o = 0;
    if (this.carried > 0) {
      const n = (this.carry[0] << 16) | (this.carried === 2 ? this.carry[1] << 8 : 0);
      out[o++] = encodeTable[n >>> 18];
      out[o++] = encodeTable[(n >>> 12) & 63];
      out[o++] = this.carried === 2 ? encodeTable[(n >>> 6) & 63] : PAD;
      out[o++] = PAD;
      this.column += 4;
      this.carried = 0;
    }
    // As encodeBase64Lines: the last line ends in CRLF, unless the lines came out whole.
    if (this.column > 0) {
      out[o++] = 0x0d;
      out[o++] = 0x0a;
      this.column = 0;
    }
    return out.subarray(0, o);
  }
}

interface LineWriter {
  out: Uint8Array;
  o: number;
  /** Characters already on the current line. */
  column: number;
  lineLength: number;
}

/** Encodes bytes[from..to), a whole number of 3-byte groups, continuing the current line. */
function encodeGroups(bytes: Uint8Array, from: number, to: number, writer: LineWriter): void {
  const { out, lineLength } = writer;
  let { o, column } = writer;
  let i = from;
  while (i < to) {
    const lineEnd = Math.min(i + ((lineLength - column) / 4) * 3, to);
    for (; i < lineEnd; i += 3) {
      const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
      out[o] = encodeTable[n >>> 18];
      out[o + 1] = encodeTable[(n >>> 12) & 63];
      out[o + 2] = encodeTable[(n >>> 6) & 63];
      out[o + 3] = encodeTable[n & 63];
      o += 4;
      column += 4;
    }
    if (column === lineLength) {
      out[o++] = 0x0d;
      out[o++] = 0x0a;
      column = 0;
    }
  }
  writer.o = o;
  writer.column = column;
}

/**
 * Decodes base64, skipping line breaks and whitespace. Any other character outside the
 * alphabet, or data after the padding, is an error: a signature or ciphertext that does not
 * decode exactly is not one we should act on.
 */
export function decodeBase64(text: Uint8Array, what = 'The base64 content'): Uint8Array {
  return decodeBase64Into(text, new Uint8Array(Math.floor((text.length * 3) / 4) + 3), what);
}

/**
 * decodeBase64 into the very bytes it reads, which it may, since every 4 characters read give at
 * most 3 bytes written behind them: for a 25 MB body that the caller no longer needs (`open`
 * read the file for this alone), this saves a second message-sized buffer (bench/smime.ts).
 * Returns the decoded bytes as a view at the start of `text`; the rest of `text` is left over.
 */
export function decodeBase64InPlace(text: Uint8Array, what = 'The base64 content'): Uint8Array {
  return decodeBase64Into(text, text, what);
}

function decodeBase64Into(text: Uint8Array, out: Uint8Array, what: string): Uint8Array {
  let o = 0;
  let quad = 0;
  let count = 0;
  let padding = 0;
  const last = text.length - 3;
  for (let i = 0; i < text.length; i++) {
    // The bulk of a body: four alphabet characters at a group boundary, decoded in one step (a
    // 34 MB body took 0.2 s one character at a time). Anything else takes the careful path below.
    // A whole line of groups is decoded without leaving this inner loop.
    if (count === 0 && padding === 0) {
      while (i < last) {
        const a = decodeTable[text[i]];
        const b = decodeTable[text[i + 1]];
        const c = decodeTable[text[i + 2]];
        const d = decodeTable[text[i + 3]];
        if ((a | b | c | d) < 0) break;
        out[o] = (a << 2) | (b >>> 4);
        out[o + 1] = ((b & 15) << 4) | (c >>> 2);
        out[o + 2] = ((c & 3) << 6) | d;
        o += 3;
        i += 4;
      }
      if (i >= text.length) break;
    }
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
