// Turns what imapflow, nodemailer and Node's socket/TLS layers throw into coded errors that name
// the server and the way out. Shared by the IMAP session and `account test`'s SMTP check.
import { SealmailError } from '../../../core/errors.js';
import type { ServerSettings } from '../../../core/api/schemas.js';

export interface ServerEndpoint {
  protocol: 'IMAP' | 'SMTP';
  server: ServerSettings;
  username: string;
}

// Node's X.509 verification codes that mean "I do not trust who signed this certificate".
const untrustedCertificateCodes = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

const unreachableCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EPIPE',
  'CONNECT_TIMEOUT',
  'GREETING_TIMEOUT',
  'UPGRADE_TIMEOUT',
  'ETIMEOUT',
  'NoConnection',
  'EConnectionClosed',
  'ClosedAfterConnectText',
  'ClosedAfterConnectTLS',
  'ECONNECTION',
  'ESOCKET',
]);

interface ErrorFields {
  code?: unknown;
  authenticationFailed?: unknown;
  responseCode?: unknown;
  serverResponseCode?: unknown;
  reason?: unknown;
  cause?: unknown;
  message?: unknown;
}

/** Collects the codes and messages of an error and its causes (nodemailer and imapflow wrap). */
function chain(error: unknown): ErrorFields[] {
  const found: ErrorFields[] = [];
  let current: unknown = error;
  while (current && typeof current === 'object' && found.length < 5) {
    found.push(current as ErrorFields);
    current = (current as ErrorFields).cause;
  }
  return found;
}

export function isAuthenticationFailure(error: unknown): boolean {
  return chain(error).some(
    (e) =>
      e.authenticationFailed === true ||
      e.serverResponseCode === 'AUTHENTICATIONFAILED' ||
      e.code === 'EAUTH' ||
      e.responseCode === 535,
  );
}

function untrustedReason(error: unknown): string | null {
  for (const e of chain(error)) {
    if (typeof e.code === 'string' && untrustedCertificateCodes.has(e.code))
      return typeof e.message === 'string' ? e.message : e.code;
    if (
      typeof e.message === 'string' &&
      /self[- ]signed certificate|unable to verify|unable to get (local )?issuer/i.test(e.message)
    )
      return e.message;
  }
  return null;
}

function unreachableReason(error: unknown): string | null {
  for (const e of chain(error))
    if (typeof e.code === 'string' && unreachableCodes.has(e.code))
      return typeof e.message === 'string' && e.message ? e.message : e.code;
  return null;
}

export function describeServerFailure(endpoint: ServerEndpoint, error: unknown): SealmailError {
  if (error instanceof SealmailError) return error;
  const where = `${endpoint.server.host}:${endpoint.server.port}`;
  if (isAuthenticationFailure(error))
    return new SealmailError(
      'AUTH_FAILED',
      `${endpoint.protocol} authentication failed for ${endpoint.username} on ${where}; check the user name and password`,
      { cause: error },
    );
  const untrusted = untrustedReason(error);
  if (untrusted)
    return new SealmailError(
      'TLS_UNTRUSTED',
      `the ${endpoint.protocol} server ${where} presented a certificate that is not trusted (${untrusted}); ` +
        `if it is signed by your organisation's own CA, add the account again with --ca-file CA.pem`,
      { cause: error },
    );
  const unreachable = unreachableReason(error);
  if (unreachable)
    return new SealmailError(
      'CONNECTION_FAILED',
      `cannot connect to the ${endpoint.protocol} server ${where} (${unreachable}); check the host, the port and the network`,
      { cause: error },
    );
  const message = error instanceof Error ? error.message : String(error);
  return new SealmailError('SERVER_ERROR', `the ${endpoint.protocol} server ${where} answered: ${message}`, {
    cause: error,
  });
}
