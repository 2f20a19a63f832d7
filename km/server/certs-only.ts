// The "certs-only" CMS of RFC 8551 §3.8 / RFC 7030 §4.1.3: a SignedData with certificates and no
// signers, which EST uses to return certificates (cacerts, simpleenroll, serverkeygen).
import * as pkijs from 'pkijs';

export function certsOnly(certificates: readonly Uint8Array[]): Uint8Array {
  const signedData = new pkijs.SignedData({
    version: 1,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: '1.2.840.113549.1.7.1' }),
    certificates: certificates.map((der) => pkijs.Certificate.fromBER(new Uint8Array(der))),
    signerInfos: [],
  });
  const contentInfo = new pkijs.ContentInfo({
    contentType: pkijs.ContentInfo.SIGNED_DATA,
    content: signedData.toSchema(true),
  });
  return new Uint8Array(contentInfo.toSchema().toBER(false));
}
