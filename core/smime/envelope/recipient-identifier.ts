// Which certificate a RecipientInfo is addressed to (RFC 5652 §6.2.1, §6.2.2): the issuer and
// serial number, or the subjectKeyIdentifier. Sealmail writes issuerAndSerialNumber, which every
// client understands (version 0 KeyTransRecipientInfo), and reads both.
import * as asn1js from 'asn1js';
import {
  asSequence,
  der,
  encodingOf,
  equalBytes,
  isContextTag,
  malformed,
  octets,
  taggedChildren,
  type DerNode,
} from './der.js';
import type { RecipientCertificate } from './recipient-certificate.js';

export type RecipientIdentifier =
  | { kind: 'issuer-and-serial'; issuer: Uint8Array; serialNumber: Uint8Array }
  | { kind: 'key-identifier'; subjectKeyIdentifier: Uint8Array };

export function issuerAndSerialNumber(certificate: RecipientCertificate): DerNode {
  return der(0x30, certificate.issuer, certificate.serialNumber);
}

function readIssuerAndSerial(node: asn1js.BaseBlock, what: string): RecipientIdentifier {
  const [issuer, serialNumber] = asSequence(node, what);
  if (!(issuer instanceof asn1js.Sequence) || !(serialNumber instanceof asn1js.Integer)) {
    throw malformed(`${what} lacks the issuer or serial number`);
  }
  return { kind: 'issuer-and-serial', issuer: encodingOf(issuer), serialNumber: encodingOf(serialNumber) };
}

/** KeyTransRecipientInfo.rid: issuerAndSerialNumber or [0] IMPLICIT SubjectKeyIdentifier. */
export function readTransportRecipient(node: asn1js.BaseBlock | undefined): RecipientIdentifier {
  if (!node) throw malformed('a RecipientInfo has no recipient identifier');
  if (isContextTag(node, 0)) return { kind: 'key-identifier', subjectKeyIdentifier: octets(node, 'rid') };
  return readIssuerAndSerial(node, 'the recipient identifier');
}

/** RecipientEncryptedKey.rid: issuerAndSerialNumber or [0] IMPLICIT RecipientKeyIdentifier. */
export function readAgreementRecipient(node: asn1js.BaseBlock | undefined): RecipientIdentifier {
  if (!node) throw malformed('a RecipientEncryptedKey has no recipient identifier');
  if (isContextTag(node, 0)) {
    const [keyIdentifier] = taggedChildren(node, 'rKeyId');
    return { kind: 'key-identifier', subjectKeyIdentifier: octets(keyIdentifier, 'rKeyId') };
  }
  return readIssuerAndSerial(node, 'the recipient identifier');
}

export function identifies(rid: RecipientIdentifier, certificate: RecipientCertificate): boolean {
  if (rid.kind === 'key-identifier') {
    return (
      certificate.subjectKeyIdentifier !== undefined &&
      equalBytes(rid.subjectKeyIdentifier, certificate.subjectKeyIdentifier)
    );
  }
  return equalBytes(rid.issuer, certificate.issuer) && equalBytes(rid.serialNumber, certificate.serialNumber);
}
