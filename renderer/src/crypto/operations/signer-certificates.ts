// The signer's certificate chain (DER, signer first) for the reader's banner details. openMessage
// reports who signed, not the certificates, so this walks the same layers again (RFC 8551 §3.7,
// as core/smime/open.ts does) using the decrypted contents the first pass already produced, and
// takes the certificates of the innermost signature: the one whose signer the report names.
import { oids } from '../../../../core/asn1/oids.js';
import { decodeBase64 } from '../../../../core/mime/base64.js';
import { decodedBody, parseEntity, type MimeEntity } from '../../../../core/mime/entity.js';
import { readCertificateInfo, type CertificateInfo } from '../../../../core/pki/certificate-info.js';
import { contentInfoType } from '../../../../core/smime/content-info-type.js';
import type { SignerSummary } from '../../../../core/smime/verify/verdict.js';
import { readMultipartSigned } from '../../../../core/smime/verify/multipart-signed.js';
import { readSignedData } from '../../../../core/smime/verify/signed-data.js';

const maxLayers = 6;
const pkcs7MimeTypes = ['application/pkcs7-mime', 'application/x-pkcs7-mime'];

function cmsOf(entity: MimeEntity): Uint8Array {
  return entity.transferEncoding === 'base64'
    ? decodeBase64(entity.body, 'The S/MIME content')
    : decodedBody(entity);
}

function isPkcs7Mime(entity: MimeEntity): boolean {
  if (pkcs7MimeTypes.includes(entity.contentType.mediaType)) return true;
  const name = (entity.contentType.parameters.name ?? '').toLowerCase();
  return entity.contentType.mediaType === 'application/octet-stream' && name.endsWith('.p7m');
}

/** The carried certificates of the innermost signature, or [] when there is none to read. */
function innermostSignatureCertificates(raw: Uint8Array, decrypted: readonly Uint8Array[]): Uint8Array[] {
  const contents = [...decrypted];
  let entity = parseEntity(raw);
  let found: Uint8Array[] = [];
  for (let layer = 0; layer < maxLayers; layer++) {
    if (entity.contentType.mediaType === 'multipart/signed') {
      const signed = readMultipartSigned(entity);
      if ('der' in signed.signature) {
        found = readSignedData(signed.signature.der).certificates.map((entry) => entry.der);
      }
      entity = parseEntity(signed.signedPart);
      continue;
    }
    if (!isPkcs7Mime(entity)) break;
    if ((entity.contentType.parameters['smime-type'] ?? '').toLowerCase() === 'certs-only') break;
    const der = cmsOf(entity);
    if (contentInfoType(der) === oids.signedData) {
      const object = readSignedData(der);
      found = object.certificates.map((entry) => entry.der);
      if (object.content === null) break;
      entity = parseEntity(object.content);
      continue;
    }
    const content = contents.shift();
    if (!content) break;
    entity = parseEntity(content);
  }
  return found;
}

/**
 * The signer first, then each issuer found among the carried certificates and, at the top, the
 * trust anchor (senders leave out the root: the reader must already trust it).
 */
export function signerCertificates(
  raw: Uint8Array,
  decrypted: readonly Uint8Array[],
  signer: SignerSummary | null,
  anchors: readonly CertificateInfo[],
): Uint8Array[] {
  if (!signer) return [];
  let carried: CertificateInfo[];
  try {
    carried = innermostSignatureCertificates(raw, decrypted).map((der) => readCertificateInfo(der));
  } catch {
    // The verdict already says what is wrong with the signature; the details stay empty.
    return [];
  }
  const chain: CertificateInfo[] = [];
  let next = carried.find((info) => info.serialHex === signer.serial && info.subject === signer.subject);
  while (next && !chain.includes(next)) {
    chain.push(next);
    if (next.selfIssued) break;
    const issuer: string = next.issuer;
    next = [...carried, ...anchors].find((info) => info.subject === issuer);
  }
  return chain.map((info) => info.der);
}
