// The MIME entity inside a message: its Content-* header fields and its body, without the
// message's own fields (From, To, Subject ...). This is what `seal` signs and encrypts, and
// what `open` hands back once the security layers are removed.
import { toCanonicalLineEndings } from './canonical.js';
import type { MimeEntity } from './entity.js';
import { isContentField } from './headers.js';
import { asciiBytes, concatBytes } from './message-bytes.js';
import { toSevenBit } from './seven-bit.js';

export interface MessageParts {
  /** The message's own header fields, exact bytes, in order. */
  messageFields: Uint8Array[];
  /** The content entity in canonical form (RFC 8551 §3.1.1), ready to sign. */
  contentEntity: Uint8Array;
}

export function separateMessage(message: MimeEntity): MessageParts {
  const messageFields = message.headers.filter((field) => !isContentField(field)).map((field) => field.raw);
  const contentFields = message.headers
    .filter((field) => isContentField(field) && field.key !== 'mime-version')
    .map((field) => field.raw);
  const entity = concatBytes([...contentFields, asciiBytes('\r\n'), message.body]);
  // RFC 8551 §3.1.2 first (8-bit and binary parts become base64, from their exact bytes), then
  // §3.1.1: with everything 7-bit, canonical CRLF line endings change only line breaks.
  return { messageFields, contentEntity: toCanonicalLineEndings(toSevenBit(entity)) };
}
