// EST response bodies (RFC 7030 §4): base64 certs-only PKCS#7 (§4.1.3, §4.2.3) and the
// multipart/mixed serverkeygen answer of PKCS#8 + certs-only pairs (§4.4.2). Pure parsing, so
// any transport can use it.
import type * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { SealmailError } from '../errors.js';
import { decodeBase64 } from '../mime/base64.js';
import type { ServerGeneratedKey } from './est-client.js';

const signedDataOid = '1.2.840.113549.1.7.2';

function malformed(what: string, cause?: unknown): SealmailError {
  return new SealmailError(
    'SERVER_ERROR',
    `The KM answered with ${what} that is not a valid EST message; check that --km names a Sealmail KM or EST server.`,
    { cause },
  );
}

/** The DER of a base64 (or raw DER) body. */
function bodyDer(body: Uint8Array, what: string): Uint8Array {
  if (body.length > 0 && body[0] === 0x30) return body;
  try {
    return decodeBase64(body, what);
  } catch (error) {
    throw malformed(what, error);
  }
}

/** The certificates (DER) of a certs-only PKCS#7 body, in the order the server sent them. */
export function certificatesOfCertsOnly(body: Uint8Array, what = 'a certificate list'): Uint8Array[] {
  const der = bodyDer(body, what);
  try {
    const info = pkijs.ContentInfo.fromBER(new Uint8Array(der).buffer);
    if (info.contentType !== signedDataOid) throw new Error(`content type ${info.contentType}`);
    const signed = new pkijs.SignedData({ schema: info.content as asn1js.Sequence });
    const certificates = (signed.certificates ?? []).filter(
      (entry): entry is pkijs.Certificate => entry instanceof pkijs.Certificate,
    );
    if (certificates.length === 0) throw new Error('no certificates');
    return certificates.map((certificate) => new Uint8Array(certificate.toSchema().toBER(false)));
  } catch (error) {
    throw malformed(what, error);
  }
}

interface MimePart {
  contentType: string;
  body: Uint8Array;
}

function partsOf(body: Uint8Array, boundary: string): MimePart[] {
  const text = new TextDecoder('latin1').decode(body);
  const parts: MimePart[] = [];
  // RFC 2046 §5.1.1: parts sit between "--boundary" lines; the last one is "--boundary--".
  for (const chunk of text.split(`--${boundary}`).slice(1)) {
    if (chunk.startsWith('--')) break;
    const split = chunk.search(/\r?\n\r?\n/);
    if (split < 0) continue;
    const headers = chunk.slice(0, split);
    const contentType = /^content-type:\s*([^;\r\n]+)/im.exec(headers)?.[1]?.trim().toLowerCase() ?? '';
    const content = chunk.slice(split).trim();
    parts.push({ contentType, body: new TextEncoder().encode(content) });
  }
  return parts;
}

/**
 * The key pairs of a serverkeygen answer: each application/pkcs8 part followed by the
 * certs-only part with its certificate, in the server's order (Sealmail's KM: newest first).
 */
export function serverGeneratedKeys(body: Uint8Array, contentType: string): ServerGeneratedKey[] {
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (!/^multipart\/mixed/i.test(contentType) || !boundary) {
    throw malformed(`"${contentType}" for serverkeygen`);
  }
  const keys: ServerGeneratedKey[] = [];
  let privateKey: Uint8Array | null = null;
  for (const part of partsOf(body, boundary)) {
    if (part.contentType === 'application/pkcs8') privateKey = bodyDer(part.body, 'a private key');
    else if (part.contentType === 'application/pkcs7-mime' && privateKey) {
      const [certificate] = certificatesOfCertsOnly(part.body, 'an encryption certificate');
      keys.push({ privateKey, certificate });
      privateKey = null;
    }
  }
  if (keys.length === 0) throw malformed('a serverkeygen answer without keys');
  return keys;
}
