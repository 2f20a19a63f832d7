// Turns certificates and keys made by openssl-pki.ts into what core/smime consumes: a signing
// identity (imported WebCrypto key, parsed certificates) and trust settings.
import { readCertificateInfo, type CertificateInfo } from '../../core/pki/certificate-info.js';
import {
  importSigningKey,
  type RsaSignatureScheme,
  type SigningIdentity,
} from '../../core/smime/sign/signing-identity.js';
import type { CertificateAuthority, IssuedCertificate } from './openssl-pki.js';

export function infoOf(certificate: { certDer: Uint8Array }): CertificateInfo {
  return readCertificateInfo(certificate.certDer);
}

export async function signingIdentity(
  signer: IssuedCertificate,
  options: {
    chain?: CertificateAuthority[];
    encryption?: IssuedCertificate;
    rsaScheme?: RsaSignatureScheme;
  } = {},
): Promise<SigningIdentity> {
  const certificate = infoOf(signer);
  return {
    privateKey: await importSigningKey(signer.keyDer, certificate, { rsaScheme: options.rsaScheme }),
    certificate,
    chain: (options.chain ?? []).map(infoOf),
    encryptionCertificate: options.encryption ? infoOf(options.encryption) : undefined,
  };
}

export function plainMessage(
  options: { from?: string; to?: string; subject?: string; body?: string; extraHeaders?: string } = {},
): Uint8Array {
  const text =
    `From: ${options.from ?? 'Alice <alice@example.test>'}\r\n` +
    `To: ${options.to ?? 'Bob <bob@example.test>'}\r\n` +
    `Subject: ${options.subject ?? 'Quarterly figures'}\r\n` +
    `Date: Mon, 23 Nov 2026 10:00:00 +0000\r\n` +
    `Message-ID: <test-${Math.random().toString(36).slice(2)}@example.test>\r\n` +
    (options.extraHeaders ?? '') +
    `MIME-Version: 1.0\r\n` +
    `Content-Type: text/plain; charset=utf-8\r\n` +
    `Content-Transfer-Encoding: 7bit\r\n` +
    `\r\n` +
    (options.body ?? 'The figures are attached.\r\nRegards, Alice\r\n');
  return new TextEncoder().encode(text);
}

export const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
export const bytes = (value: string): Uint8Array => new TextEncoder().encode(value);
