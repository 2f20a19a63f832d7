// Checks on what the renderer hands main for Advanced Security, beyond the IPC schema: a CA that
// really is a PEM certificate, a key file that is at least DER with readable certificates, a
// harvested certificate that names the sender. Each refusal says what is wrong and what to do.
import { X509Certificate } from 'node:crypto';
import type { ValidRequestOf } from '../../../core/api/schemas.js';
import { SealmailError } from '../../../core/errors.js';
import { readCertificateInfo } from '../../../core/pki/certificate-info.js';
import { ownCertificates } from './certificate-views.js';

const pemBlock = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** The KM CA to pin: one or more PEM certificates; empty means the system's trust store. */
export function checkedCaPem(typed: string): string | null {
  const text = typed.trim();
  if (text === '') return null;
  const blocks = text.match(pemBlock) ?? [];
  if (blocks.length === 0) {
    throw new SealmailError(
      'INVALID_REQUEST',
      'The KM CA holds no PEM certificate; paste the ca.pem your administrator gave you (it starts with -----BEGIN CERTIFICATE-----).',
    );
  }
  for (const block of blocks) {
    try {
      new X509Certificate(block);
    } catch (error) {
      throw new SealmailError(
        'MALFORMED_CERTIFICATE',
        `The KM CA is not a readable certificate (${(error as Error).message}); paste the ca.pem again, whole.`,
        { cause: error },
      );
    }
  }
  return `${blocks.join('\n')}\n`;
}

/**
 * A PKCS#12 is a DER SEQUENCE (RFC 7292 §4); main cannot open it (no password here), but it can
 * refuse what is plainly not one, and it reads the public certificates the worker reported.
 */
export function checkedKeyFile(request: ValidRequestOf<'keyfile.save'>): {
  certificates: Uint8Array[];
  caCertificates: Uint8Array[];
} {
  if (request.bytes.length < 2 || request.bytes[0] !== 0x30) {
    throw new SealmailError(
      'MALFORMED_KEYFILE',
      'The key file to save is not a PKCS#12 file, so nothing was written; the previous key file is unchanged.',
    );
  }
  const own = ownCertificates(request.certificates, request.caCertificates);
  if (!own.signing && !own.encryption) {
    throw new SealmailError(
      'INVALID_REQUEST',
      'The key file to save names no signing or encryption certificate, so nothing was written.',
    );
  }
  return { certificates: [...request.certificates], caCertificates: [...request.caCertificates] };
}

/** A signer's certificate to remember for encrypting to them later (issue 4). */
export function checkedHarvest(email: string, der: Uint8Array): Uint8Array {
  const info = readCertificateInfo(der, `The certificate of ${email}`);
  if (!info.emails.some((named) => named.toLowerCase() === email.toLowerCase())) {
    throw new SealmailError(
      'INVALID_REQUEST',
      `The certificate is for ${info.emails.join(', ') || info.subject}, not ${email}, so it was not kept.`,
    );
  }
  const usage = info.keyUsage;
  if (usage && !usage.keyEncipherment && !usage.keyAgreement) {
    throw new SealmailError(
      'INVALID_REQUEST',
      `The certificate of ${email} is not for encryption (its key usage forbids it), so it was not kept.`,
    );
  }
  return info.der;
}
