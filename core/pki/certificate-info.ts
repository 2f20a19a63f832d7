// The facts about a certificate that a verdict and a chain decision need: who it names (subject,
// e-mail addresses), its serial, its validity, and what it may be used for. Read with pkijs
// through the asserting parse helpers, so a malformed certificate is a coded error.
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { SealmailError } from '../errors.js';
import { certificateLimits } from '../asn1/limits.js';
import { oids } from '../asn1/oids.js';
import { decodeSchema, parseBer, viewOf } from '../asn1/parse-der.js';

/** RFC 5280 §4.2.1.3 keyUsage bits Sealmail branches on. */
export interface KeyUsage {
  digitalSignature: boolean;
  nonRepudiation: boolean;
  keyEncipherment: boolean;
  keyAgreement: boolean;
  keyCertSign: boolean;
}

export interface CertificateInfo {
  certificate: pkijs.Certificate;
  der: Uint8Array;
  /** The subject as text, RFC 4514 style with the most significant part first (`CN=..., O=...`). */
  subject: string;
  issuer: string;
  /** Lower-case hex of the serial number, as `openssl x509 -serial` prints it. */
  serialHex: string;
  /** rfc822Name entries of subjectAltName, then the legacy emailAddress of the subject. */
  emails: string[];
  notBefore: Date;
  notAfter: Date;
  /** null when the certificate has no keyUsage extension (then any use is allowed). */
  keyUsage: KeyUsage | null;
  /** null when there is no extendedKeyUsage extension (then any use is allowed). */
  extendedKeyUsage: string[] | null;
  isCa: boolean;
  selfIssued: boolean;
}

const attributeNames: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.5': 'serialNumber',
  [oids.emailAddress]: 'emailAddress',
};

function attributeText(value: pkijs.AttributeTypeAndValue['value']): string {
  const block = value as { valueBlock?: { value?: unknown } };
  const text = block.valueBlock?.value;
  return typeof text === 'string' ? text : '';
}

export function nameText(name: pkijs.RelativeDistinguishedNames): string {
  return name.typesAndValues
    .map((entry) => `${attributeNames[entry.type] ?? entry.type}=${attributeText(entry.value)}`)
    .reverse()
    .join(', ');
}

function hex(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += byte.toString(16).padStart(2, '0');
  return text;
}

/** Parses one DER certificate; `what` names it in the error ("The signer's certificate"). */
export function readCertificate(der: Uint8Array, what = 'The certificate'): pkijs.Certificate {
  const schema = parseBer(der, certificateLimits, what, 'MALFORMED_CERTIFICATE');
  return decodeSchema((s) => new pkijs.Certificate({ schema: s }), schema, what, 'MALFORMED_CERTIFICATE');
}

function extension(certificate: pkijs.Certificate, id: string): pkijs.Extension | undefined {
  return certificate.extensions?.find((entry) => entry.extnID === id);
}

function emailsOf(certificate: pkijs.Certificate): string[] {
  const emails: string[] = [];
  const san = extension(certificate, oids.subjectAltName)?.parsedValue;
  if (san instanceof pkijs.AltName) {
    for (const name of san.altNames) {
      // GeneralName rfc822Name is [1] (RFC 5280 §4.2.1.6).
      if (name.type === 1 && typeof name.value === 'string') emails.push(name.value.trim());
    }
  }
  for (const entry of certificate.subject.typesAndValues) {
    if (entry.type === oids.emailAddress) emails.push(attributeText(entry.value).trim());
  }
  return [...new Set(emails.filter((email) => email.includes('@')))];
}

function keyUsageOf(certificate: pkijs.Certificate): KeyUsage | null {
  const parsed = extension(certificate, oids.keyUsage)?.parsedValue;
  if (!(parsed instanceof asn1js.BitString)) return null;
  const bytes = viewOf(parsed.valueBlock.valueHexView);
  const bit = (n: number) => ((bytes[n >> 3] ?? 0) & (0x80 >> (n & 7))) !== 0;
  return {
    digitalSignature: bit(0),
    nonRepudiation: bit(1),
    keyEncipherment: bit(2),
    keyAgreement: bit(4),
    keyCertSign: bit(5),
  };
}

function extendedKeyUsageOf(certificate: pkijs.Certificate): string[] | null {
  const parsed = extension(certificate, oids.extKeyUsage)?.parsedValue;
  return parsed instanceof pkijs.ExtKeyUsage ? parsed.keyPurposes : null;
}

function isCaOf(certificate: pkijs.Certificate): boolean {
  const parsed = extension(certificate, '2.5.29.19')?.parsedValue;
  return parsed instanceof pkijs.BasicConstraints && parsed.cA === true;
}

export function certificateInfo(certificate: pkijs.Certificate, der?: Uint8Array): CertificateInfo {
  try {
    return {
      certificate,
      der: der ?? viewOf(certificate.toSchema().toBER()),
      subject: nameText(certificate.subject),
      issuer: nameText(certificate.issuer),
      serialHex: hex(viewOf(certificate.serialNumber.valueBlock.valueHexView)).replace(/^(00)+(?=..)/, ''),
      emails: emailsOf(certificate),
      notBefore: certificate.notBefore.value,
      notAfter: certificate.notAfter.value,
      keyUsage: keyUsageOf(certificate),
      extendedKeyUsage: extendedKeyUsageOf(certificate),
      isCa: isCaOf(certificate),
      selfIssued: certificate.subject.isEqual(certificate.issuer),
    };
  } catch (error) {
    if (error instanceof SealmailError) throw error;
    throw new SealmailError('MALFORMED_CERTIFICATE', `The certificate cannot be read: ${String(error)}`, {
      cause: error,
    });
  }
}

/** Parses a DER certificate and reads its facts. */
export function readCertificateInfo(der: Uint8Array, what?: string): CertificateInfo {
  return certificateInfo(readCertificate(der, what), der);
}

/** May this certificate sign mail (RFC 8550 §4.4.2, §4.4.4)? */
export function mailSigningProblem(info: CertificateInfo): string | null {
  if (info.keyUsage && !info.keyUsage.digitalSignature && !info.keyUsage.nonRepudiation) {
    return 'its key usage does not allow digital signatures';
  }
  const eku = info.extendedKeyUsage;
  if (eku && !eku.includes(oids.emailProtection) && !eku.includes(oids.anyExtendedKeyUsage)) {
    return 'its extended key usage does not include e-mail protection';
  }
  return null;
}
