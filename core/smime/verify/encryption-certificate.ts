// Which certificate to encrypt to when writing back to a signer. Sealmail users (like Exchange's)
// have separate signing and encryption keys, so the signing certificate is usually not the one
// to encrypt to. RFC 8551 §2.5.3: the SMIMEEncryptionKeyPreference signed attribute names the
// signer's encryption certificate, which the SignedData carries (§2.5.3 asks senders to include
// it). Without that attribute, RFC 8550 §4.4.2's key usage decides: a carried end-entity
// certificate for the signer's address that allows keyEncipherment or keyAgreement. The caller
// keeps the result only for a valid signature and checks it again (chain, validity, CRL) before
// encrypting to it.
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { oids } from '../../asn1/oids.js';
import { viewOf } from '../../asn1/parse-der.js';
import { bytesEqual } from '../../mime/message-bytes.js';
import type { CertificateInfo } from '../../pki/certificate-info.js';

/** RFC 5280 §4.2.1.3: no keyUsage extension means any use is allowed. */
function mayEncryptTo(info: CertificateInfo, signer: CertificateInfo): boolean {
  const usage = info.keyUsage;
  const encipherment = usage === null || usage.keyEncipherment || usage.keyAgreement;
  const sameAddress = info.emails.some((email) =>
    signer.emails.some((named) => named.toLowerCase() === email.toLowerCase()),
  );
  return encipherment && sameAddress && !info.isCa;
}

function subjectKeyIdentifier(info: CertificateInfo): Uint8Array | null {
  const ski = info.certificate.extensions?.find((e) => e.extnID === oids.subjectKeyIdentifier)?.parsedValue;
  return ski instanceof asn1js.OctetString ? viewOf(ski.valueBlock.valueHexView) : null;
}

function octets(block: asn1js.BaseBlock | undefined): Uint8Array | null {
  if (!block) return null;
  const hex = (block.valueBlock as { valueHexView?: Uint8Array }).valueHexView;
  return hex instanceof Uint8Array && hex.length > 0 ? viewOf(hex) : null;
}

/**
 * The certificate SMIMEEncryptionKeyPreference names, if the SignedData carries it:
 *   issuerAndSerialNumber   [0] IMPLICIT IssuerAndSerialNumber
 *   receipentKeyId          [1] IMPLICIT RecipientKeyIdentifier (its subjectKeyIdentifier)
 *   subjectAltKeyIdentifier [2] IMPLICIT SubjectKeyIdentifier
 */
function preferred(
  value: asn1js.BaseBlock,
  carried: readonly CertificateInfo[],
): CertificateInfo | undefined {
  if (value.idBlock.tagClass !== 3) return undefined;
  const inner = value.idBlock.isConstructed ? (value as asn1js.Constructed).valueBlock.value : [];
  if (value.idBlock.tagNumber === 0) {
    const [name, serial] = inner;
    if (!(serial instanceof asn1js.Integer) || !(name instanceof asn1js.Sequence)) return undefined;
    const issuer = new pkijs.RelativeDistinguishedNames({ schema: name });
    return carried.find(
      (info) => info.certificate.issuer.isEqual(issuer) && info.certificate.serialNumber.isEqual(serial),
    );
  }
  const keyId =
    value.idBlock.tagNumber === 1 ? octets(inner[0]) : value.idBlock.tagNumber === 2 ? octets(value) : null;
  if (!keyId) return undefined;
  return carried.find((info) => {
    const ski = subjectKeyIdentifier(info);
    return ski !== null && bytesEqual(ski, keyId);
  });
}

/** The signer's encryption certificate among those the SignedData carries, or null. */
export function signerEncryptionCertificate(
  signerInfo: pkijs.SignerInfo,
  signer: CertificateInfo,
  carried: readonly CertificateInfo[],
): CertificateInfo | null {
  try {
    const attribute = signerInfo.signedAttrs?.attributes.find(
      (entry) => entry.type === oids.smimeEncryptionKeyPreference,
    );
    const value = (attribute?.values as asn1js.BaseBlock[] | undefined)?.[0];
    const named = value ? preferred(value, carried) : undefined;
    if (named && mayEncryptTo(named, signer)) return named;
  } catch {
    // A preference that cannot be read is ignored, as if absent; the signature verdict is
    // decided elsewhere and does not depend on it.
  }
  // Without a usable preference: the newest carried certificate for the signer's address that
  // may be encrypted to (the signing certificate itself, if it allows both).
  const candidates = carried.filter((info) => mayEncryptTo(info, signer));
  candidates.sort((a, b) => b.notBefore.getTime() - a.notBefore.getTime());
  return candidates[0] ?? null;
}
