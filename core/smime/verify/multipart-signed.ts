// Reads a multipart/signed entity (RFC 8551 §3.5, RFC 1847 §2.1): exactly two parts, the first
// the signed content (hashed byte for byte, in canonical CRLF form), the second the
// application/pkcs7-signature holding a detached CMS SignedData.
import { SealmailError } from '../../errors.js';
import { decodeBase64 } from '../../mime/base64.js';
import { toCanonicalLineEndings } from '../../mime/canonical.js';
import { decodedBody, parseEntity, type MimeEntity } from '../../mime/entity.js';
import { splitMultipart } from '../../mime/multipart.js';

export interface MultipartSigned {
  /** The first part exactly as sent, headers included: what the reader is shown. */
  signedPart: Uint8Array;
  /** The first part in canonical form: what the signature covers. */
  signedContent: Uint8Array;
  /** The DER of the signature, or the reason it could not be read. */
  signature: { der: Uint8Array } | { problem: string };
}

const signatureTypes = ['application/pkcs7-signature', 'application/x-pkcs7-signature'];

export function readMultipartSigned(entity: MimeEntity): MultipartSigned {
  const boundary = entity.contentType.parameters.boundary;
  if (!boundary) {
    throw new SealmailError(
      'MALFORMED_MESSAGE',
      'The signed message has no multipart boundary, so its parts cannot be found.',
    );
  }
  const { parts } = splitMultipart(entity.body, boundary);
  if (parts.length === 0) {
    throw new SealmailError('MALFORMED_MESSAGE', 'The signed message has no parts.');
  }
  const signedPart = parts[0];
  const signedContent = toCanonicalLineEndings(signedPart);
  const protocol = (entity.contentType.parameters.protocol ?? '').toLowerCase();
  if (!signatureTypes.includes(protocol)) {
    return { signedPart, signedContent, signature: { problem: `its protocol "${protocol}" is not S/MIME` } };
  }
  if (parts.length !== 2) {
    return { signedPart, signedContent, signature: { problem: `it has ${parts.length} parts instead of 2` } };
  }
  const signatureEntity = parseEntity(parts[1]);
  if (!signatureTypes.includes(signatureEntity.contentType.mediaType)) {
    return {
      signedPart,
      signedContent,
      signature: { problem: 'its second part is not an S/MIME signature' },
    };
  }
  try {
    const der =
      signatureEntity.transferEncoding === 'base64'
        ? decodeBase64(signatureEntity.body, 'The signature part')
        : decodedBody(signatureEntity);
    return { signedPart, signedContent, signature: { der } };
  } catch (error) {
    if (error instanceof SealmailError)
      return { signedPart, signedContent, signature: { problem: error.message } };
    throw error;
  }
}
