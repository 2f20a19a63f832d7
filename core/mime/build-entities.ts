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

/** A boundary that does not occur in any of `contents` (RFC 2046 §5.1.1 requires it). */
function boundaryFor(contents: readonly Uint8Array[]): string {
  for (;;) {
    const boundary = randomBoundary();
    const marker = asciiBytes(`--${boundary}`);
    if (contents.every((content) => indexOfBytes(content, marker) === -1)) return boundary;
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
  const boundary = boundaryFor([signedEntity]);
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
  return concatBytes([head, signedEntity, middle, signature.subarray(0, signature.length - 2), tail]);
}

/**
 * An application/pkcs7-mime entity carrying a CMS ContentInfo (RFC 8551 §3.2), whole or in
 * pieces that concatenate to it. `before` (the message header, when this entity is the whole
 * body) is written in the same allocation, so a 25 MB message is not copied once more to put its
 * header in front.
 */
export function buildPkcs7MimeEntity(
  contentInfoDer: Uint8Array | readonly Uint8Array[],
  smimeType: SmimeType,
  before?: Uint8Array,
): Uint8Array {
  const head = asciiBytes(
    `Content-Type: application/pkcs7-mime; smime-type=${smimeType}; name="smime.p7m"\r\n` +
      `Content-Transfer-Encoding: base64\r\n` +
      `Content-Disposition: attachment; filename="smime.p7m"\r\n` +
      `Content-Description: S/MIME Cryptographic Message\r\n\r\n`,
  );
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
