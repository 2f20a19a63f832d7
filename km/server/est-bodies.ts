// EST message bodies (RFC 7030 §4): base64 with Content-Transfer-Encoding: base64 on the wire.
// Requests are also accepted as raw DER or PEM, so `openssl req -outform DER` and a PEM CSR
// work with plain curl.
import * as pkijs from 'pkijs';
import { cryptoEngine } from '../../core/crypto/engine.js';
import { SealmailError } from '../../core/errors.js';

export function base64Lines(der: Uint8Array): string {
  return `${(
    Buffer.from(der)
      .toString('base64')
      .match(/.{1,64}/g) ?? []
  ).join('\r\n')}\r\n`;
}

export function requestDer(body: Buffer): Uint8Array {
  if (body.length > 0 && body[0] === 0x30) return new Uint8Array(body);
  const text = body
    .toString('latin1')
    .replace(/-----(BEGIN|END)[^-]*-----/g, '')
    .replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length === 0) {
    throw new SealmailError(
      'INVALID_REQUEST',
      'the request body is not a base64, PEM or DER PKCS#10 request.',
    );
  }
  return new Uint8Array(Buffer.from(text, 'base64'));
}

/** The signing key's SubjectPublicKeyInfo from a PKCS#10, after checking proof of possession. */
export async function csrPublicKey(der: Uint8Array): Promise<Uint8Array> {
  let request: pkijs.CertificationRequest;
  try {
    request = pkijs.CertificationRequest.fromBER(new Uint8Array(der));
  } catch (error) {
    throw new SealmailError('INVALID_REQUEST', 'the request is not a PKCS#10 certification request.', {
      cause: error,
    });
  }
  // RFC 2986 §3: the signature proves the requester holds the private key.
  if (!(await request.verify(cryptoEngine()))) {
    throw new SealmailError(
      'INVALID_REQUEST',
      'the PKCS#10 signature does not verify with its own public key.',
    );
  }
  return new Uint8Array(request.subjectPublicKeyInfo.toSchema().toBER(false));
}

/**
 * RFC 7030 §4.4.2 serverkeygen response: multipart/mixed with an application/pkcs8 part and a
 * certs-only part, repeated for each archived key (newest first).
 */
export function serverKeygenBody(
  parts: readonly { privateKey: Uint8Array; certsOnly: Uint8Array }[],
  boundary: string,
): string {
  const lines: string[] = [];
  for (const part of parts) {
    lines.push(`--${boundary}`, 'Content-Type: application/pkcs8', 'Content-Transfer-Encoding: base64', '');
    lines.push(base64Lines(part.privateKey));
    lines.push(`--${boundary}`, 'Content-Type: application/pkcs7-mime; smime-type=certs-only');
    lines.push('Content-Transfer-Encoding: base64', '', base64Lines(part.certsOnly));
  }
  lines.push(`--${boundary}--`, '');
  return lines.join('\r\n');
}
