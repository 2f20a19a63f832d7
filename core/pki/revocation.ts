// The revocation question the verifier and the encryptor ask about one certificate: is it
// revoked at this moment, according to its issuer? Answered from CRLs
// (core/pki/crl/crl-revocation-checker.ts); an OCSP checker could implement the same interface.
import type { ErrorInfo } from '../errors.js';

interface CrlTimes {
  /** When the CRL that gave the answer was issued (the delta CRL's, when one was applied). */
  crlThisUpdate?: Date;
  /** When the CA promises the next CRL; null when the CRL names none. */
  crlNextUpdate?: Date | null;
  /** A caution that leaves the status as it is, e.g. CRL_STALE under the 'warn' policy (seed 003). */
  warning?: ErrorInfo;
}

export type RevocationAnswer =
  | ({ status: 'good' } & CrlTimes)
  | ({
      status: 'revoked';
      revokedAt: Date;
      /** CRLReason name (RFC 5280 §5.3.1), e.g. "keyCompromise", when the CRL states one. */
      reason?: string;
    } & CrlTimes)
  | ({
      status: 'unknown';
      /** Why, in words: no CRL at hand, a stale CRL under a fail-closed policy, a CRL out of scope. */
      reason: string;
      /** The coded problem behind `reason`, when there is one. */
      problem?: ErrorInfo;
    } & CrlTimes);

export interface RevocationChecker {
  /**
   * `certificate` and `issuer` are DER certificates; `issuer` is the CA that signed
   * `certificate`. Problems with the revocation data come back as status 'unknown', so a
   * verifier can always show a verdict.
   */
  status(certificate: Uint8Array, issuer: Uint8Array, at: Date): Promise<RevocationAnswer>;
}

/** For callers that have no CRLs configured: every certificate's status is unknown. */
export const noRevocationChecking: RevocationChecker = {
  status: () => Promise.resolve({ status: 'unknown', reason: 'revocation checking is not configured' }),
};
