// Reads a CMS SignedData (RFC 5652 §5) from untrusted bytes. Only the ASN.1 shape is checked
// here; what makes a signature acceptable (one signer, detached or not, digests) is decided by
// verify-signature.ts, so that a well-formed but wrong signature gets a verdict, not an error.
import type * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { cmsLimits } from '../../asn1/limits.js';
import { oids } from '../../asn1/oids.js';
import { assertInput, decodeSchema, parseBer, viewOf } from '../../asn1/parse-der.js';
import { concatBytes } from '../../mime/message-bytes.js';

export interface SignedDataObject {
  signedData: pkijs.SignedData;
  /** encapContentInfo.eContentType. */
  contentType: string;
  /** The encapsulated content's octets, or null when the signature is detached. */
  content: Uint8Array | null;
  /** The carried X.509 certificates as pkijs objects with their exact DER, in order. */
  certificates: { certificate: pkijs.Certificate; der: Uint8Array }[];
}

/**
 * The exact encodings of the certificates field ([0] IMPLICIT CertificateSet, RFC 5652 §5.1),
 * taken from the parsed input so that nothing is re-encoded (pkijs would re-encode each one).
 */
function carriedCertificates(signedDataSchema: asn1js.AsnType, signedData: pkijs.SignedData) {
  const fields = (signedDataSchema as asn1js.Sequence).valueBlock.value;
  const set = fields.find((field) => field.idBlock.tagClass === 3 && field.idBlock.tagNumber === 0);
  const ders = set
    ? (set as asn1js.Constructed).valueBlock.value
        .filter((choice) => choice.idBlock.tagClass === 1 && choice.idBlock.tagNumber === 16)
        .map((choice) => viewOf(choice.valueBeforeDecodeView))
    : [];
  const certificates = (signedData.certificates ?? []).filter(
    (entry): entry is pkijs.Certificate => entry instanceof pkijs.Certificate,
  );
  assertInput(
    ders.length === certificates.length,
    'MALFORMED_CMS',
    'The certificates in the signature cannot be read.',
  );
  return certificates.map((certificate, i) => ({ certificate, der: ders[i] }));
}

/**
 * The octets of an OCTET STRING, joining the chunks of a constructed (BER, streamed) one, as
 * OpenSSL writes for opaque signed-data. Nested chunks are allowed by X.690 §8.7.3.
 */
export function octetStringBytes(value: asn1js.BaseBlock): Uint8Array {
  if (!value.idBlock.isConstructed) {
    return viewOf((value as asn1js.OctetString).valueBlock.valueHexView);
  }
  const chunks: Uint8Array[] = [];
  const collect = (block: asn1js.BaseBlock, depth: number) => {
    assertInput(depth < 8, 'MALFORMED_CMS', 'The signed content is nested too deeply.');
    if (!block.idBlock.isConstructed) {
      chunks.push(viewOf((block as asn1js.OctetString).valueBlock.valueHexView));
      return;
    }
    const children = (block as asn1js.Constructed).valueBlock.value;
    for (const child of children) {
      assertInput(
        child.idBlock.tagClass === 1 && child.idBlock.tagNumber === 4,
        'MALFORMED_CMS',
        'The signed content is not an OCTET STRING.',
      );
      collect(child, depth + 1);
    }
  };
  collect(value, 0);
  return chunks.length === 1 ? chunks[0] : concatBytes(chunks);
}

/** Parses a ContentInfo that must hold SignedData (RFC 5652 §3, §5.1). */
export function readSignedData(der: Uint8Array, maxMessageBytes?: number): SignedDataObject {
  const what = 'The S/MIME signature';
  const schema = parseBer(der, cmsLimits(maxMessageBytes), what, 'MALFORMED_CMS');
  const contentInfo = decodeSchema(
    (s) => new pkijs.ContentInfo({ schema: s }),
    schema,
    what,
    'MALFORMED_CMS',
  );
  assertInput(
    contentInfo.contentType === oids.signedData,
    'MALFORMED_CMS',
    `${what} is not CMS signed-data (its content type is ${contentInfo.contentType}).`,
  );
  const signedData = decodeSchema(
    (s) => new pkijs.SignedData({ schema: s }),
    contentInfo.content as asn1js.AsnType,
    what,
    'MALFORMED_CMS',
  );
  const eContent = signedData.encapContentInfo.eContent;
  let content: Uint8Array | null = null;
  if (eContent) {
    assertInput(
      eContent.idBlock.tagClass === 1 && eContent.idBlock.tagNumber === 4,
      'MALFORMED_CMS',
      `${what} carries its content in something other than an OCTET STRING.`,
    );
    content = octetStringBytes(eContent);
  }
  return {
    signedData,
    contentType: signedData.encapContentInfo.eContentType,
    content,
    certificates: carriedCertificates(contentInfo.content as asn1js.AsnType, signedData),
  };
}
