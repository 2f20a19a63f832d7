// Coded errors as HTTP answers: the status a stock client understands (RFC 7030 §3.2.3, RFC 9110)
// and a JSON body with the stable code and the message that names the way out.
import type { FastifyReply } from 'fastify';
import { toErrorInfo, type ErrorCode } from '../../core/errors.js';

const statusOf: Partial<Record<ErrorCode, number>> = {
  INVALID_REQUEST: 400,
  TEMPORARY_KEY_MALFORMED: 400,
  MALFORMED_KEY: 400,
  AUTH_FAILED: 401,
  TEMPORARY_KEY_SPENT: 401,
  TEMPORARY_KEY_EXPIRED: 401,
  TEMPORARY_KEY_WRONG_MAILBOX: 401,
  MAILBOX_STATE_CONFLICT: 403,
  // a signed renewal request refused for its signer (reenroll-signed.ts, issue 6)
  MALFORMED_CMS: 400,
  SIGNATURE_INVALID: 403,
  SIGNER_UNTRUSTED: 403,
  SIGNER_REVOKED: 403,
  SIGNER_EXPIRED: 403,
  SIGNER_MISMATCH: 403,
  ALREADY_EXISTS: 409,
  NOT_FOUND: 404,
  RATE_LIMITED: 429,
  KM_NOT_INITIALISED: 503,
};

export function sendError(reply: FastifyReply, error: unknown): FastifyReply {
  const info = toErrorInfo(error);
  const status = statusOf[info.code] ?? 500;
  if (status === 401) reply.header('WWW-Authenticate', 'Basic realm="sealmail km", charset="UTF-8"');
  return reply.code(status).type('application/json').send({ ok: false, error: info });
}
