// A strict check that every constructed BER element ends exactly where its parent says. asn1js
// lets a child run past its parent's end as long as the input has bytes, so a key file whose
// outer lengths were changed would still open; issue 3 wants every change noticed. The check
// walks tags and lengths only (X.690 §8.1), never contents, so it costs one pass over the file.

const maxDepth = 32;

class NestingError extends Error {}

/** Returns the offset after the element at `at`, which must end at or before `end`. */
function element(bytes: Uint8Array, at: number, end: number, depth: number): number {
  if (depth > maxDepth) throw new NestingError('too deep');
  if (at >= end) throw new NestingError('missing tag');
  const tag = bytes[at++];
  if ((tag & 0x1f) === 0x1f) {
    // high tag number form: base-128 digits, the last without bit 8
    while (at < end && bytes[at] & 0x80) at++;
    at++;
  }
  if (at >= end) throw new NestingError('missing length');
  const constructed = (tag & 0x20) !== 0;
  const first = bytes[at++];
  if (first === 0x80) {
    // indefinite length (X.690 §8.1.3.6): constructed only, ends with two zero octets
    if (!constructed) throw new NestingError('indefinite primitive');
    while (at + 1 < end && !(bytes[at] === 0 && bytes[at + 1] === 0)) at = element(bytes, at, end, depth + 1);
    if (at + 1 >= end) throw new NestingError('no end-of-contents');
    return at + 2;
  }
  let length = first;
  if (first & 0x80) {
    const count = first & 0x7f;
    if (count > 4 || at + count > end) throw new NestingError('bad length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + bytes[at++];
  }
  const contentEnd = at + length;
  if (contentEnd > end) throw new NestingError('runs past its parent');
  if (constructed) {
    while (at < contentEnd) at = element(bytes, at, contentEnd, depth + 1);
  }
  return contentEnd;
}

/** True when `bytes` is exactly one BER element whose every part nests properly. */
export function nestsProperly(bytes: Uint8Array): boolean {
  try {
    return bytes.length > 0 && element(bytes, 0, bytes.length, 0) === bytes.length;
  } catch (error) {
    if (error instanceof NestingError) return false;
    throw error;
  }
}
