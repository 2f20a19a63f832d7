// The key file's public certificates as Settings › Security shows them: each with its role, its
// dates and the SHA-256 fingerprint the administrator can compare (seed 003). Main never sees the
// key file's friendlyNames (they are inside the encrypted PKCS#12), so the role is read from the
// certificate itself: keyUsage (RFC 5280 §4.2.1.3) and the order the worker reported them in.
import { createHash } from 'node:crypto';
import type { CertificateView } from '../../../core/api/security-types.js';
import { readCertificateInfo, type CertificateInfo } from '../../../core/pki/certificate-info.js';

export interface OwnCertificates {
  signing: CertificateInfo | null;
  /** The one new mail is encrypted to (RFC 8551 §2.5.3: separate from the signing one). */
  encryption: CertificateInfo | null;
  previousEncryption: CertificateInfo[];
  ca: CertificateInfo[];
}

function signs(info: CertificateInfo): boolean {
  return info.keyUsage === null || info.keyUsage.digitalSignature || info.keyUsage.nonRepudiation;
}

function encrypts(info: CertificateInfo): boolean {
  return info.keyUsage === null || info.keyUsage.keyEncipherment || info.keyUsage.keyAgreement;
}

/**
 * Sorts the certificates by role. A certificate for signing only is the signing one; of those
 * that may encrypt, the first (the worker reports the current key first, as the KM hands them
 * out newest first: RFC 7030 §4.4) receives new mail. An imported key that does both may serve
 * both roles, as in core/keyfile, but only when no dedicated one exists.
 */
export function ownCertificates(
  certificates: readonly Uint8Array[],
  ca: readonly Uint8Array[],
): OwnCertificates {
  const infos = certificates.map((der, i) =>
    readCertificateInfo(der, `Certificate ${i + 1} of the key file`),
  );
  const signingOnly = infos.filter((info) => signs(info) && !encrypts(info));
  const encrypting = infos.filter(encrypts);
  const signing = signingOnly[0] ?? infos.find(signs) ?? null;
  const forEncryption = encrypting.filter((info) => info !== signing || encrypting.length === 1);
  return {
    signing,
    encryption: forEncryption[0] ?? null,
    previousEncryption: forEncryption.slice(1),
    ca: ca.map((der, i) => readCertificateInfo(der, `CA certificate ${i + 1} of the key file`)),
  };
}

function isoOf(date: Date): string {
  return date.toISOString();
}

export function certificateView(role: CertificateView['role'], info: CertificateInfo): CertificateView {
  return {
    role,
    subject: info.subject,
    email: info.emails[0] ?? null,
    issuer: info.issuer,
    serial: info.serialHex,
    validFrom: isoOf(info.notBefore),
    validTo: isoOf(info.notAfter),
    fingerprint: createHash('sha256').update(info.der).digest('hex'),
    der: info.der,
  };
}

/** Signing first, then encryption (current, previous), then the CA: the order Settings lists. */
export function certificateViews(own: OwnCertificates): CertificateView[] {
  return [
    ...(own.signing ? [certificateView('signing', own.signing)] : []),
    ...(own.encryption ? [certificateView('encryption', own.encryption)] : []),
    ...own.previousEncryption.map((info) => certificateView('previous-encryption', info)),
    ...own.ca.map((info) => certificateView('ca', info)),
  ];
}
