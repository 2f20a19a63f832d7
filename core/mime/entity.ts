// A MIME entity (RFC 2045 §2.4) read from exact bytes: its header fields, its content type and
// its body, all as views into the input.
import { parseContentType, type ContentType } from './content-type.js';
import { headerValue, parseHeaderBlock, type HeaderField } from './headers.js';
import { splitMessage } from './split-message.js';
import { decodeBase64 } from './base64.js';
import { decodeQuotedPrintable } from './quoted-printable.js';

export interface MimeEntity {
  /** The whole entity, headers and body. */
  raw: Uint8Array;
  header: Uint8Array;
  headers: HeaderField[];
  body: Uint8Array;
  contentType: ContentType;
  /** Lower-case Content-Transfer-Encoding; '7bit' when absent (RFC 2045 §6.1). */
  transferEncoding: string;
  lineBreak: '\r\n' | '\n';
}

export function parseEntity(raw: Uint8Array): MimeEntity {
  const { header, body, lineBreak } = splitMessage(raw);
  const headers = parseHeaderBlock(header);
  return {
    raw,
    header,
    headers,
    body,
    contentType: parseContentType(headerValue(headers, 'content-type')),
    transferEncoding: (headerValue(headers, 'content-transfer-encoding') ?? '7bit').trim().toLowerCase(),
    lineBreak,
  };
}

/** The body with its transfer encoding undone (RFC 2045 §6). */
export function decodedBody(entity: MimeEntity, what = 'The message body'): Uint8Array {
  switch (entity.transferEncoding) {
    case 'base64':
      return decodeBase64(entity.body, what);
    case 'quoted-printable':
      return decodeQuotedPrintable(entity.body);
    default:
      return entity.body;
  }
}
