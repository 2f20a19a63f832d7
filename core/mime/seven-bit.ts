// RFC 8551 §3.1.2: a signed entity must survive transport unchanged, so every 8-bit or binary
// leaf part is base64-encoded before signing; multipart entities are rebuilt around the
// converted parts. An entity that is already 7-bit comes back as the very same bytes.
import { encodeBase64Lines } from './base64.js';
import { toCanonicalLineEndings } from './canonical.js';
import { parseEntity, type MimeEntity } from './entity.js';
import { splitMultipart } from './multipart.js';
import { asciiBytes, concatBytes } from './message-bytes.js';

/** Does this body need a transfer encoding to travel 7-bit-clean (RFC 8551 §3.1.2)? */
export function needsEncoding(body: Uint8Array): boolean {
  let lineLength = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c >= 0x80 || c === 0) return true;
    if (c === 0x0a) lineLength = 0;
    else if (++lineLength > 998) return true; // RFC 5322 §2.1.1
  }
  return false;
}

/** Deeper nesting than this is left as it is; no real message needs it. */
const maxDepth = 16;

export function toSevenBit(entityBytes: Uint8Array, depth = 0): Uint8Array {
  return sevenBitForm(parseEntity(entityBytes), depth) ?? entityBytes;
}

/** What sevenBitForm reads of an entity: not its raw bytes, which may not exist in one piece. */
export type EntityParts = Pick<
  MimeEntity,
  'header' | 'headers' | 'body' | 'contentType' | 'transferEncoding'
>;

/** The entity rewritten 7-bit-clean, or null when it already is (and may be used as it is). */
export function sevenBitForm(entity: EntityParts, depth = 0): Uint8Array | null {
  const { type } = entity.contentType;
  if (type === 'multipart') {
    const boundary = entity.contentType.parameters.boundary;
    if (!boundary || depth >= maxDepth) return null;
    const { parts } = splitMultipart(entity.body, boundary);
    const converted = parts.map((part) => toSevenBit(part, depth + 1));
    if (converted.every((part, i) => part === parts[i])) return null;
    // Rebuilt with the same boundary: converted parts are base64, so it cannot occur in them.
    // The preamble and epilogue carry nothing a reader sees (RFC 2046 §5.1.1) and are dropped.
    const pieces: Uint8Array[] = [entity.header, asciiBytes('\r\n')];
    for (const part of converted) pieces.push(asciiBytes(`--${boundary}\r\n`), part, asciiBytes('\r\n'));
    pieces.push(asciiBytes(`--${boundary}--\r\n`));
    return concatBytes(pieces);
  }
  // message/* bodies must not be base64-encoded (RFC 2046 §5.2.1); they are left as they are.
  if (type === 'message') return null;
  if (entity.transferEncoding === 'base64' || entity.transferEncoding === 'quoted-printable') return null;
  if (!needsEncoding(entity.body)) return null;
  // Text is encoded in canonical form (RFC 2049 §4); anything else byte for byte.
  const body = type === 'text' ? toCanonicalLineEndings(entity.body) : entity.body;
  const kept = entity.headers
    .filter((field) => field.key !== 'content-transfer-encoding')
    .map((field) => field.raw);
  return concatBytes([
    ...kept,
    asciiBytes('Content-Transfer-Encoding: base64\r\n\r\n'),
    encodeBase64Lines(body),
  ]);
}
