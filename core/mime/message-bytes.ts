// Byte-level primitives for MIME on exact bytes. The signature path must see the very bytes that
// were signed (RFC 8551 §3.1.1), so MIME parsing works on Uint8Array views (subarray, no copy)
// and decodes to strings only for header values.

const utf8 = new TextDecoder('utf-8', { fatal: false });
const encoder = new TextEncoder();

export const CR = 0x0d;
export const LF = 0x0a;

export function asciiBytes(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Header values are US-ASCII or, under RFC 6532, UTF-8; anything else shows as U+FFFD. */
export function decodeHeaderText(bytes: Uint8Array): string {
  return utf8.decode(bytes);
}

export function indexOfBytes(haystack: Uint8Array, needle: Uint8Array, from = 0): number {
  const first = needle[0];
  if (needle.length === 0) return from;
  const last = haystack.length - needle.length;
  for (let i = haystack.indexOf(first, from); i !== -1 && i <= last; i = haystack.indexOf(first, i + 1)) {
    let match = true;
    for (let j = 1; j < needle.length; j++) {
      if (haystack[i + j] !== needle[j]) {
        match = false;
        break;
      }
    }
    if (match) return i;
  }
  return -1;
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Index just past the end of the line that starts at `from` (after its LF), or the length. */
export function endOfLine(bytes: Uint8Array, from: number): number {
  const lf = bytes.indexOf(LF, from);
  return lf === -1 ? bytes.length : lf + 1;
}
