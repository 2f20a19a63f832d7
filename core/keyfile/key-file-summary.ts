// What `sealmail keyfile info` shows: for each key its role and its certificate's public facts,
// the CA chain, and how the file is protected. Nothing secret: no key material leaves here.
import * as pkijs from 'pkijs';
import { oids } from '../asn1/oids.js';
import type { EncryptionRole, KeyFileContents } from './key-file-contents.js';
import type { Pkcs12Protection } from './read-pkcs12.js';

export interface CertificateSummary {
  subject: string;
  issuer: string;
  email: string | null;
  serial: string;
  notBefore: string;
  notAfter: string;
  keyAlgorithm: string;
}

export interface KeyFileSummary {
  keys: Array<CertificateSummary & { signing: boolean; encryption: EncryptionRole | null }>;
  caCertificates: CertificateSummary[];
  protection: Pkcs12Protection;
}

const attributeNames: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  [oids.emailAddress]: 'emailAddress',
};

function nameOf(name: pkijs.RelativeDistinguishedNames): string {
  return name.typesAndValues
    .map((tv) => {
      const value: unknown = tv.value.valueBlock;
      const text = value && typeof value === 'object' && 'value' in value ? String(value.value) : '?';
      return `${attributeNames[tv.type] ?? tv.type}=${text}`;
    })
    .join(', ');
}

/** The rfc822Name of the subjectAltName, else the subject's emailAddress (RFC 8550 §3). */
function emailOf(certificate: pkijs.Certificate): string | null {
  const san: unknown = certificate.extensions?.find((e) => e.extnID === oids.subjectAltName)?.parsedValue;
  if (san instanceof pkijs.AltName) {
    for (const name of san.altNames) if (name.type === 1 && typeof name.value === 'string') return name.value;
  }
  const attribute = certificate.subject.typesAndValues.find((tv) => tv.type === oids.emailAddress);
  return attribute ? String(attribute.value.valueBlock.value) : null;
}

function keyAlgorithmOf(certificate: pkijs.Certificate): string {
  const spki = certificate.subjectPublicKeyInfo;
  const parsed: unknown = spki.parsedKey;
  if (parsed instanceof pkijs.RSAPublicKey) {
    const modulus = parsed.modulus.valueBlock.valueHexView;
    const bits = (modulus.length - (modulus[0] === 0 ? 1 : 0)) * 8;
    return `RSA ${bits}`;
  }
  if (parsed instanceof pkijs.ECPublicKey) return `EC ${parsed.namedCurve}`;
  return spki.algorithm.algorithmId;
}

export function summarizeCertificate(der: Uint8Array): CertificateSummary {
  const certificate = pkijs.Certificate.fromBER(der.slice().buffer);
  const serial = certificate.serialNumber.valueBlock.valueHexView;
  return {
    subject: nameOf(certificate.subject),
    issuer: nameOf(certificate.issuer),
    email: emailOf(certificate),
    serial: Array.from(serial, (b) => b.toString(16).padStart(2, '0'))
      .join('')
      .replace(/^(00)+(?=.)/, ''),
    notBefore: certificate.notBefore.value.toISOString(),
    notAfter: certificate.notAfter.value.toISOString(),
    keyAlgorithm: keyAlgorithmOf(certificate),
  };
}

export function summarizeKeyFile(contents: KeyFileContents, protection: Pkcs12Protection): KeyFileSummary {
  return {
    keys: contents.keys.map((key) => ({
      signing: key.signing,
      encryption: key.encryption,
      ...summarizeCertificate(key.certificate),
    })),
    caCertificates: contents.caCertificates.map(summarizeCertificate),
    protection,
  };
}
