// The MIME entity inside a message: its Content-* header fields and its body, without the
// message's own fields (From, To, Subject ...). This is what `seal` signs and encrypts, and
// what `open` hands back once the security layers are removed.
import { isCanonical, toCanonicalLineEndings } from './canonical.js';
import type { MimeEntity } from './entity.js';
import { isContentField } from './headers.js';
import { asciiBytes, concatBytes } from './message-bytes.js';
import { sevenBitForm } from './seven-bit.js';

export interface MessageParts {
  /** The message's own header fields, exact bytes, in order. */
  messageFields: Uint8Array[];
  /** The content entity in canonical form (RFC 8551 §3.1.1), ready to sign. */
  contentEntity: Uint8Array;
}

export function separateMessage(message: MimeEntity): MessageParts {
  const { messageFields, contentEntity } = separateMessageInPieces(message);
  return {
    messageFields,
    contentEntity: contentEntity.length === 1 ? contentEntity[0]! : concatBytes(contentEntity),
  };
}

/**
 * separateMessage with the content entity as pieces that concatenate to it: its header fields,
 * then the message's body as a view. A 25 MB body that is already 7-bit and canonical, as a
 * base64 attachment is, is thus never copied (bench/smime.ts); otherwise it is rewritten whole.
 */
export function separateMessageInPieces(message: MimeEntity): {
  messageFields: Uint8Array[];
  contentEntity: Uint8Array[];
} {
  const messageFields = message.headers.filter((field) => !isContentField(field)).map((field) => field.raw);
  const contentHeaders = message.headers.filter(
    (field) => isContentField(field) && field.key !== 'mime-version',
  );
  const header = concatBytes(contentHeaders.map((field) => field.raw));
  // The header fields and the empty line that ends them (RFC 5322 §2.1).
  const head = concatBytes([header, asciiBytes('\r\n')]);
  // RFC 8551 §3.1.2 first (8-bit and binary parts become base64, from their exact bytes), then
  // §3.1.1: with everything 7-bit, canonical CRLF line endings change only line breaks.
  const sevenBit = sevenBitForm({ ...message, header, headers: contentHeaders });
  if (sevenBit === null && isCanonical(head) && isCanonical(message.body)) {
    return { messageFields, contentEntity: [head, message.body] };
  }
  const entity = sevenBit ?? concatBytes([head, message.body]);
  return { messageFields, contentEntity: [toCanonicalLineEndings(entity)] };
}
