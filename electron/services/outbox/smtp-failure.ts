// Decides whether a failed SMTP attempt is worth retrying, and says what went wrong in words a
// user can act on. RFC 5321 §4.2.1: a 4yz reply is a transient failure ("try again later"), a
// 5yz reply a permanent one. Network trouble (refused, reset, timed out, no DNS answer) is
// transient too: the laptop is offline or the server is restarting, and the mail must wait.
import type { ErrorInfo } from '../../../core/errors.js';
import { SealmailError } from '../../../core/errors.js';

export interface SendFailure {
  retry: boolean;
  error: ErrorInfo;
}

const networkCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  // nodemailer's own codes for the same situations
  'ECONNECTION',
  'ESOCKET',
  'EDNS',
]);

// Node's TLS verification codes: retrying cannot help until the user trusts the right CA.
const untrustedCertificateCodes = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

interface SmtpErrorShape {
  code?: unknown;
  /** nodemailer replaces a socket's code (ECONNREFUSED) with its own (ESOCKET) and keeps it here. */
  originalCode?: unknown;
  responseCode?: unknown;
  response?: unknown;
  message?: unknown;
  cause?: unknown;
}

function shape(error: unknown): SmtpErrorShape {
  return typeof error === 'object' && error !== null ? (error as SmtpErrorShape) : {};
}

/** Every string code on the error and its causes (nodemailer wraps the socket's error). */
function codesOf(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const { code, originalCode, cause } = shape(current);
    if (typeof code === 'string') codes.push(code);
    if (typeof originalCode === 'string') codes.push(originalCode);
    current = cause;
  }
  return codes;
}

/** The server's reply as one line, e.g. "550 5.1.1 <x@y>: Recipient address rejected: ...". */
function serverReply(error: SmtpErrorShape): string | null {
  if (typeof error.response !== 'string' || error.response.trim() === '') return null;
  return error.response.replace(/\s*\r?\n\s*/g, ' ').trim();
}

function messageOf(error: unknown): string {
  const { message } = shape(error);
  return typeof message === 'string' && message !== '' ? message : String(error);
}

export function classifySendFailure(error: unknown, server: string): SendFailure {
  if (error instanceof SealmailError) {
    // Our own errors, e.g. from getting the account or password. A locked or missing keychain may
    // come back; an account that was removed will not.
    const retry = error.code === 'KEYCHAIN_UNAVAILABLE' || error.code === 'CONNECTION_FAILED';
    return { retry, error: { code: error.code, message: error.message } };
  }
  const details = shape(error);
  const responseCode = typeof details.responseCode === 'number' ? details.responseCode : null;
  const reply = serverReply(details);
  const codes = codesOf(error);

  if (responseCode !== null && responseCode >= 400 && responseCode < 500) {
    return {
      retry: true,
      error: {
        code: 'SMTP_TEMPORARY',
        message: `${server} cannot take the message right now and asked to try later: ${reply ?? responseCode}`,
      },
    };
  }
  if (responseCode !== null && responseCode >= 500 && responseCode < 600) {
    // RFC 4954 §6: 535 is a rejected login, which the user fixes in the account, not the message.
    if (responseCode === 535 || codes.includes('EAUTH')) {
      return {
        retry: false,
        error: {
          code: 'AUTH_FAILED',
          message: `authentication failed on ${server}: ${reply ?? responseCode}; check the account's user name and password`,
        },
      };
    }
    return {
      retry: false,
      error: { code: 'SMTP_PERMANENT', message: `${server} refused the message: ${reply ?? responseCode}` },
    };
  }
  if (codes.includes('EAUTH')) {
    return {
      retry: false,
      error: { code: 'AUTH_FAILED', message: `authentication failed on ${server}: ${messageOf(error)}` },
    };
  }
  const certificateCode = codes.find((code) => untrustedCertificateCodes.has(code));
  if (certificateCode !== undefined || codes.includes('ETLS')) {
    return {
      retry: false,
      error: {
        code: 'TLS_UNTRUSTED',
        message: `the certificate of ${server} is not trusted (${certificateCode ?? messageOf(error)}); add its CA to the account (--ca-file)`,
      },
    };
  }
  if (codes.some((code) => networkCodes.has(code))) {
    return {
      retry: true,
      error: { code: 'CONNECTION_FAILED', message: `cannot reach ${server}: ${messageOf(error)}` },
    };
  }
  // Something we did not foresee. Keeping the message and trying again loses nothing; the
  // give-up age in retry-schedule.ts bounds it.
  return {
    retry: true,
    error: { code: 'INTERNAL', message: `sending through ${server} failed: ${messageOf(error)}` },
  };
}
