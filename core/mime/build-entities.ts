// Builds the S/MIME entities Sealmail sends: multipart/signed (RFC 8551 §3.5) and
// application/pkcs7-mime (RFC 8551 §3.2, §3.3). Everything written uses CRLF, the canonical form
// (RFC 8551 §3.1.1), so that what is signed is exactly what is sent.
import { encodeBase64Lines } from './base64.js';
import { toCanonicalLineEndings } from './canonical.js';
import { asciiBytes, concatBytes, indexOfBytes } from './message-bytes.js';

export type Micalg = 'sha-256' | 'sha-384' | 'sha-512';

/** RFC 8551 §3.2.2 smime-type values Sealmail writes or reads. */
export type SmimeType = 'enveloped-data' | 'authEnveloped-data' | 'signed-data';

function randomBoundary(): string {
  const random = crypto.getRandomValues(new Uint8Array(18));
  let text = '';
  for (const byte of random) text += byte.toString(16).padStart(2, '0');
  return `----=_sealmail_${text}`;
}

/** Whether `marker` occurs in the concatenation of `pieces`, across their joins too. */
function occursIn(pieces: readonly Uint8Array[], marker: Uint8Array): boolean {
  const overlap = marker.length - 1;
  // The last `overlap` bytes so far, however many pieces they came from.
  let before: Uint8Array = new Uint8Array(0);
  for (const piece of pieces) {
    if (indexOfBytes(piece, marker) !== -1) return true;
    const join = concatBytes([before, piece.subarray(0, overlap)]);
    if (indexOfBytes(join, marker) !== -1) return true;
    before = concatBytes([before, piece.subarray(-overlap)]).subarray(-overlap);
  }
  return false;
}

/** A boundary that does not occur in the content (RFC 2046 §5.1.1 requires it). */
export function boundaryFor(content: readonly Uint8Array[]): string {
  for (;;) {
    const boundary = randomBoundary();
    if (!occursIn(content, asciiBytes(`--${boundary}`))) return boundary;
  }
}

/**
 * A multipart/signed entity. `signedEntity` must already be canonical: it is placed verbatim
 * as the first part, and its bytes are the ones the signature covers.
 */
export function buildMultipartSignedEntity(
  signedEntity: Uint8Array,
  signatureDer: Uint8Array,
  micalg: Micalg,
): Uint8Array {
  return concatBytes(buildMultipartSignedParts([signedEntity], signatureDer, micalg));
}

/**
 * buildMultipartSignedEntity for a signed entity given as pieces that concatenate to it, and as
 * pieces: the signed entity's own pieces are among them, not copied (`seal` encrypts them as
 * they are, bench/smime.ts).
 */
export function buildMultipartSignedParts(
  signedEntity: readonly Uint8Array[],
  signatureDer: Uint8Array,
  micalg: Micalg,
  /** boundaryFor(signedEntity), when the caller chose it already. */
  boundary = boundaryFor(signedEntity),
): Uint8Array[] {
  const head = asciiBytes(
    `Content-Type: multipart/signed; protocol="application/pkcs7-signature";\r\n` +
      ` micalg=${micalg}; boundary="${boundary}"\r\n\r\n` +
      `This is a cryptographically signed message in MIME format.\r\n\r\n--${boundary}\r\n`,
  );
  const middle = asciiBytes(
    `\r\n--${boundary}\r\n` +
      `Content-Type: application/pkcs7-signature; name="smime.p7s"\r\n` +
      `Content-Transfer-Encoding: base64\r\n` +
      `Content-Disposition: attachment; filename="smime.p7s"\r\n` +
      `Content-Description: S/MIME Cryptographic Signature\r\n\r\n`,
  );
  const tail = asciiBytes(`\r\n--${boundary}--\r\n`);
  const signature = encodeBase64Lines(signatureDer);
  // encodeBase64Lines ends with CRLF; the delimiter's own CRLF follows it.
  return [head, ...signedEntity, middle, signature.subarray(0, signature.length - 2), tail];
}

/**
 * An application/pkcs7-mime entity carrying a CMS ContentInfo (RFC 8551 §3.2), whole or in
 * pieces that concatenate to it. `before` (the message header, when this entity is the whole
 * body) is written in the same allocation, so a 25 MB message is not copied once more to put its
 * header in front.
 */
/** The header fields of an application/pkcs7-mime entity (RFC 8551 §3.2), with the empty line. */
export function pkcs7MimeHead(smimeType: SmimeType): Uint8Array {
  return asciiBytes(
    `Content-Type: application/pkcs7-mime; smime-type=${smimeType}; name="smime.p7m"\r\n` +
      `Content-Transfer-Encoding: base64\r\n` +
      `Content-Disposition: attachment; filename="smime.p7m"\r\n` +
      `Content-Description: S/MIME Cryptographic Message\r\n\r\n`,
  );
}

export function buildPkcs7MimeEntity(
  contentInfoDer: Uint8Array | readonly Uint8Array[],
  smimeType: SmimeType,
  before?: Uint8Array,
): Uint8Array {
  const head = pkcs7MimeHead(smimeType);
  return encodeBase64Lines(contentInfoDer, 76, before ? concatBytes([before, head]) : head);
}

/**
 * The header of a whole message: the kept message header fields (From, To, Subject, ...; never
 * Content-*), each ending in CRLF, then MIME-Version. The entity's own fields follow it.
 */
export function messageHead(messageFields: readonly Uint8Array[]): Uint8Array {
  const fields = messageFields.map((field) => {
    const canonical = toCanonicalLineEndings(field);
    const last = canonical[canonical.length - 1];
    return last === 0x0a ? canonical : concatBytes([canonical, asciiBytes('\r\n')]);
  });
  return concatBytes([...fields, asciiBytes('MIME-Version: 1.0\r\n')]);
}

/** A whole message: `messageHead` followed by the entity's own header fields and body. */
export function buildMessage(messageFields: readonly Uint8Array[], entity: Uint8Array): Uint8Array {
  return concatBytes([messageHead(messageFields), entity]);
}
