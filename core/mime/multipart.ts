// Splits a multipart body at its boundary on exact bytes (RFC 2046 §5.1.1). The CRLF before a
// boundary delimiter belongs to the delimiter, not to the part before it; that matters for
// multipart/signed, whose first part must be hashed byte for byte (RFC 8551 §3.5).
import { SealmailError } from '../errors.js';
import { CR, LF, asciiBytes, endOfLine, indexOfBytes } from './message-bytes.js';

export interface MultipartBody {
  /** Each body part, headers included, without the line break that precedes the next delimiter. */
  parts: Uint8Array[];
  /** Was the close delimiter (`--boundary--`) found? A truncated multipart lacks it. */
  closed: boolean;
}

const DASH = 0x2d;

function isValidBoundary(boundary: string): boolean {
  // RFC 2046 §5.1.1: 1 to 70 characters from a restricted set, not ending in a space.
  return /^[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]$/.test(boundary);
}

export function splitMultipart(body: Uint8Array, boundary: string): MultipartBody {
  if (!isValidBoundary(boundary)) {
    throw new SealmailError(
      'MALFORMED_MESSAGE',
      `The multipart boundary "${boundary.slice(0, 80)}" is not valid.`,
    );
  }
  const marker = asciiBytes(`--${boundary}`);
  const parts: Uint8Array[] = [];
  let partStart = -1;
  let closed = false;
  let search = 0;
  while (search <= body.length) {
    const at = indexOfBytes(body, marker, search);
    if (at === -1) break;
    // A delimiter starts a line: at the very start of the body or right after a line break.
    const atLineStart = at === 0 || body[at - 1] === LF;
    const after = at + marker.length;
    const isClose = body[after] === DASH && body[after + 1] === DASH;
    const tail = isClose ? after + 2 : after;
    // Only transport padding (spaces, tabs) may follow the boundary on its line; anything else
    // means this is a longer boundary or body text that merely contains ours.
    let k = tail;
    while (body[k] === 0x20 || body[k] === 0x09) k++;
    const lineEnds = k === body.length || body[k] === LF || (body[k] === CR && body[k + 1] === LF);
    if (!atLineStart || !lineEnds) {
      search = at + 1;
      continue;
    }
    if (partStart !== -1) {
      // Drop the line break before the delimiter (CRLF, or LF in a non-canonical file).
      let end = at;
      if (end > partStart && body[end - 1] === LF) end--;
      if (end > partStart && body[end - 1] === CR) end--;
      parts.push(body.subarray(partStart, end));
    }
    const next = endOfLine(body, at);
    if (isClose) {
      closed = true;
      break;
    }
    partStart = next;
    search = next;
  }
  return { parts, closed };
}
