// Verification returns a verdict, not a boolean (issue 3, ARCHITECTURE.md "Reading"). The shape
// is the one `sealmail open --json` prints, so the CLI, the crypto worker and the UI read the
// same facts: signed or not, the signature's status, who signed, and whether From is the signer.
import type { ErrorCode, ErrorInfo } from '../../errors.js';

/** Ordered from best to worst; several signatures (triple wrapping) report the worst. */
export const signatureStatuses = ['none', 'valid', 'untrusted', 'expired', 'revoked', 'invalid'] as const;
export type SignatureStatus = (typeof signatureStatuses)[number];

export interface SignerSummary {
  /** The signer's address from the certificate (subjectAltName first), or null if it has none. */
  email: string | null;
  subject: string;
  /** Lower-case hex serial number. */
  serial: string;
}

export interface SignatureVerdict {
  status: Exclude<SignatureStatus, 'none'>;
  signer: SignerSummary | null;
  /** Every address the signer's certificate names; From must be one of them. */
  signerEmails: string[];
  /** The signingTime attribute, as claimed by the signer. */
  signingTime: Date | null;
  errors: ErrorInfo[];
  warnings: ErrorInfo[];
  /** DER of the certificate to encrypt replies to (RFC 8551 §2.5.3), if the signature carries one. */
  signerEncryptionCertificate?: Uint8Array;
}

export function worseStatus(a: SignatureStatus, b: SignatureStatus): SignatureStatus {
  return signatureStatuses.indexOf(a) >= signatureStatuses.indexOf(b) ? a : b;
}

export function entry(code: ErrorCode, message: string): ErrorInfo {
  return { code, message };
}

/** A signature verdict that failed before a signer could be identified. */
export function invalidSignature(code: ErrorCode, message: string): SignatureVerdict {
  return {
    status: 'invalid',
    signer: null,
    signerEmails: [],
    signingTime: null,
    errors: [entry(code, message)],
    warnings: [],
  };
}
