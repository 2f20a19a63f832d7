// Stable, string-coded errors. Every error that crosses a boundary (IPC, CLI, KM HTTP) carries a
// code from this list so that callers branch on the code, never on the message, and so that the
// message can be reworded without breaking anyone.

export const errorCodes = [
  // input
  'INVALID_REQUEST',
  'UNKNOWN_CHANNEL',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  // accounts and servers
  'KEYCHAIN_UNAVAILABLE',
  'AUTH_FAILED',
  'CONNECTION_FAILED',
  'TLS_UNTRUSTED',
  'SERVER_ERROR',
  'SMTP_TEMPORARY',
  'SMTP_PERMANENT',
  // messages
  'MALFORMED_MESSAGE',
  'MESSAGE_TOO_LARGE',
  'DECRYPTION_FAILED',
  // S/MIME and PKI (issue 3)
  'MALFORMED_CMS',
  'MALFORMED_CERTIFICATE',
  'MALFORMED_KEY',
  'UNSUPPORTED_ALGORITHM',
  'NO_MATCHING_KEY',
  'WRONG_PASSWORD',
  /** The key file is locked and the operation needs it: ask for the password and retry. */
  'KEYFILE_LOCKED',
  'ENCRYPTION_UNAVAILABLE',
  // a recipient certificate that may not be encrypted to: revoked, expired (issue 5)
  'RECIPIENT_UNUSABLE',
  // verdict entries of `open` (issue 3): what is wrong with a signature, never thrown
  'SIGNATURE_INVALID',
  'SIGNER_UNTRUSTED',
  'SIGNER_EXPIRED',
  'SIGNER_REVOKED',
  'SIGNER_MISMATCH',
  'REVOCATION_UNKNOWN',
  'LEGACY_ALGORITHM',
  'NESTED_PART_IGNORED',
  // certificate revocation lists (issue 5)
  'MALFORMED_CRL',
  'CRL_SIGNATURE_INVALID',
  'CRL_WRONG_ISSUER',
  'CRL_STALE',
  'CRL_UNSUPPORTED',
  'CRL_DELTA_MISMATCH',
  'CRL_SCOPE_MISMATCH',
  'CRL_INDEX_INVALID',
  // key file (issue 3)
  'KEYFILE_TAMPERED',
  'MALFORMED_KEYFILE',
  // key management and enrollment (issue 4)
  'TEMPORARY_KEY_MALFORMED',
  'TEMPORARY_KEY_SPENT',
  'TEMPORARY_KEY_EXPIRED',
  'TEMPORARY_KEY_WRONG_MAILBOX',
  'RATE_LIMITED',
  'ADMIN_PASSWORDS_REQUIRED',
  'MAILBOX_STATE_CONFLICT',
  'KM_NOT_INITIALISED',
  // managed policy (issue 7)
  /** A policy file has problems; each names the key path. Restrictive settings apply meanwhile. */
  'POLICY_INVALID',
  /** The message breaks the organisation's policy: a blocked attachment type, too many recipients. */
  'BLOCKED_BY_POLICY',
  // storage
  'STORAGE_FAILED',
  // anything we did not foresee; the message says what happened
  'INTERNAL',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export class SealmailError extends Error {
  override readonly name = 'SealmailError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface ErrorInfo {
  code: ErrorCode;
  message: string;
}

/** The result envelope every IPC handler returns (ARCHITECTURE.md invariant 4). */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (errorCodes as readonly string[]).includes(value);
}

/** Turns anything thrown into a coded error, keeping the code of a SealmailError. */
export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof SealmailError) return { code: error.code, message: error.message };
  if (error instanceof Error) return { code: 'INTERNAL', message: error.message };
  return { code: 'INTERNAL', message: String(error) };
}
