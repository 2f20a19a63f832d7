// km.est: the crypto worker's EST requests (RFC 7030), relayed by main to the account's KM over
// TLS pinned to the KM CA (the renderer has no network, and must not: CSP connect-src 'none').
// Main adds only the HTTP Basic credentials (§3.2.3: the mailbox and the temporary key) and
// returns the answer's bytes untouched. It never parses, logs or keeps a body: a serverkeygen
// answer (§4.4.2) carries the user's private encryption keys, which may exist only in the worker
// (ARCHITECTURE.md invariant 1).
import type { EstReply } from '../../../core/api/security-types.js';
import type { ValidRequestOf } from '../../../core/api/schemas.js';
import { SealmailError } from '../../../core/errors.js';
import { relayEstRequest } from '../enrollment/est-https-client.js';
import type { KmEndpoint } from '../enrollment/km-address.js';

/** What the app says where the CLI would name --km and --km-ca. */
const inSettings = {
  address: 'Check the KM address in Settings › Security',
  ca: 'Ask your administrator for the KM CA certificate, compare the fingerprint, and enter it with the KM address in Settings › Security.',
};

/** An https:// URL, or INVALID_REQUEST saying how to write one. */
export function kmAddress(typed: string): URL {
  let url: URL | null;
  try {
    url = new URL(typed.trim());
  } catch {
    url = null;
  }
  if (!url || url.protocol !== 'https:') {
    throw new SealmailError(
      'INVALID_REQUEST',
      `"${typed}" is not a KM address: enter it as https://km.example.org:8443 (https, because enrollment carries keys).`,
    );
  }
  return url;
}

/** The KM as the HTTPS client wants it, from the address kept in the profile or the policy. */
export function kmEndpointOf(km: { url: string; caPem: string | null }): KmEndpoint {
  const url = kmAddress(km.url);
  return { url, hostPort: `${url.hostname}:${url.port || '443'}`, caPem: km.caPem, advice: inSettings };
}

export async function relayEst(
  km: KmEndpoint,
  email: string,
  request: ValidRequestOf<'km.est'>,
): Promise<EstReply> {
  // §4.1 cacerts is anonymous; the temporary key goes out only where the KM needs it. A renewal
  // (§4.2.2) needs none either: its body is signed by the current signing key (issue 6), and
  // neither does a serverkeygen with a body: the renewal's request for a new encryption key,
  // signed the same way (core/enrollment/signed-serverkeygen.ts).
  const needsKey =
    request.operation === 'simpleenroll' || (request.operation === 'serverkeygen' && !request.body);
  if (needsKey && !request.temporaryKey) {
    throw new SealmailError(
      'INVALID_REQUEST',
      `EST ${request.operation} needs the temporary key from your administrator; none was given.`,
    );
  }
  if (request.operation === 'simpleenroll' && !request.body) {
    throw new SealmailError('INVALID_REQUEST', 'EST simpleenroll needs the signing request (PKCS#10).');
  }
  if (request.operation === 'simplereenroll' && !request.body) {
    throw new SealmailError(
      'INVALID_REQUEST',
      'EST simplereenroll needs the renewal request (the PKCS#10 signed with your current signing key).',
    );
  }
  const credentials =
    needsKey && request.temporaryKey
      ? { email: email.trim().toLowerCase(), temporaryKey: request.temporaryKey }
      : null;
  return relayEstRequest(km, request.operation, {
    body: request.operation === 'cacerts' ? null : request.body,
    credentials,
  });
}
