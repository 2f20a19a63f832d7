// Splits an RFC 5322 message (or a MIME entity) into its header block and body at the first
// empty line (RFC 5322 §2.1), as views into the input: nothing is copied.
import { CR, LF } from './message-bytes.js';

export interface SplitMessage {
  /** The header fields, including the line break that ends the last one. */
  header: Uint8Array;
  /** The body after the empty line. */
  body: Uint8Array;
  /** The line break style the header block used, for writing headers back alike. */
  lineBreak: '\r\n' | '\n';
}

export function splitMessage(bytes: Uint8Array): SplitMessage {
  // An entity with no header fields starts with the empty line (RFC 2046 §5.1.1 body parts).
  if (bytes[0] === LF) return { header: bytes.subarray(0, 0), body: bytes.subarray(1), lineBreak: '\n' };
  if (bytes[0] === CR && bytes[1] === LF) {
    return { header: bytes.subarray(0, 0), body: bytes.subarray(2), lineBreak: '\r\n' };
  }
  for (let i = bytes.indexOf(LF); i !== -1; i = bytes.indexOf(LF, i + 1)) {
    const next = i + 1;
    if (bytes[next] === LF) {
      return { header: bytes.subarray(0, next), body: bytes.subarray(next + 1), lineBreak: '\n' };
    }
    if (bytes[next] === CR && bytes[next + 1] === LF) {
      return { header: bytes.subarray(0, next), body: bytes.subarray(next + 2), lineBreak: '\r\n' };
    }
  }
  // No empty line: all header, no body (RFC 5322 §3.5 makes the body optional).
  const crlf = bytes.indexOf(LF) > 0 && bytes[bytes.indexOf(LF) - 1] === CR;
  return { header: bytes, body: bytes.subarray(bytes.length), lineBreak: crlf ? '\r\n' : '\n' };
}
