// Canonical form for signing (RFC 8551 §3.1.1): every line ends in CRLF. A bare LF (as files on
// Unix have) becomes CRLF; a CR already followed by LF is kept. The copy is made only when
// something changes, because a 25 MB message that is already canonical should not be copied.
import { CR, LF } from './message-bytes.js';

export function isCanonical(bytes: Uint8Array): boolean {
  for (let i = bytes.indexOf(LF); i !== -1; i = bytes.indexOf(LF, i + 1)) {
    if (i === 0 || bytes[i - 1] !== CR) return false;
  }
  return true;
}

export function toCanonicalLineEndings(bytes: Uint8Array): Uint8Array {
  if (isCanonical(bytes)) return bytes;
  let bare = 0;
  for (let i = bytes.indexOf(LF); i !== -1; i = bytes.indexOf(LF, i + 1)) {
    if (i === 0 || bytes[i - 1] !== CR) bare++;
  }
  const out = new Uint8Array(bytes.length + bare);
  let written = 0;
  let start = 0;
  for (let i = bytes.indexOf(LF); i !== -1; i = bytes.indexOf(LF, i + 1)) {
    if (i === 0 || bytes[i - 1] !== CR) {
      out.set(bytes.subarray(start, i), written);
      written += i - start;
      out[written++] = CR;
      start = i; // the LF itself is copied with the next run
    }
  }
  out.set(bytes.subarray(start), written);
  return out;
}
