// The RevocationChecker the verifier and the encryptor use, answered from verified CRLs. Where
// the CRLs come from is the CrlSource's business: the desktop's on-disk CRL cache
// (electron/services/crl), or CRLs loaded by hand (`sealmail open --crl`, tests).
import { SealmailError, toErrorInfo } from '../../errors.js';
import type { RevocationAnswer, RevocationChecker } from '../revocation.js';
import { pemOrDer, readCertificateFacts, type CertificateFacts } from './certificate-facts.js';
import { bytesEqual } from './der-reader.js';
import { isoTime } from './der-time.js';
import { reasonName } from './revoked-index.js';
import { checkCrlScope, crlAnswer, type CrlSet, type StaleCrlPolicy } from './revocation-status.js';
import type { VerifiedCrl } from './verified-crl.js';

export interface CrlSource {
  /** The newest verified CRLs of this issuer that cover the certificate, or null when none is at hand. */
  crlsFor(issuer: CertificateFacts, certificate: CertificateFacts): Promise<CrlSet | null>;
}

function hexOf(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/** CRLs held in memory, keyed by issuer name; the newest complete CRL of each issuer wins. */
export class LoadedCrls implements CrlSource {
  private readonly sets = new Map<string, CrlSet>();

  add(complete: VerifiedCrl, delta: VerifiedCrl | null = null): void {
    const key = hexOf(complete.facts.issuer);
    const held = this.sets.get(key);
    if (held && held.complete.facts.thisUpdate > complete.facts.thisUpdate) return;
    this.sets.set(key, { complete, delta });
  }

  crlsFor(issuer: CertificateFacts): Promise<CrlSet | null> {
    return Promise.resolve(this.sets.get(hexOf(issuer.subject)) ?? null);
  }
}

const date = (seconds: number) => new Date(seconds * 1000);

export function crlRevocationChecker(source: CrlSource, policy: StaleCrlPolicy): RevocationChecker {
  return {
    async status(certificateDer, issuerDer, at): Promise<RevocationAnswer> {
      const certificate = readCertificateFacts(
        pemOrDer(certificateDer, 'CERTIFICATE', 'MALFORMED_CERTIFICATE'),
      );
      const issuer = readCertificateFacts(pemOrDer(issuerDer, 'CERTIFICATE', 'MALFORMED_CERTIFICATE'));
      if (!bytesEqual(certificate.issuer, issuer.subject)) {
        const problem = toErrorInfo(
          new SealmailError(
            'CRL_WRONG_ISSUER',
            'The issuer given is not the CA that issued the certificate.',
          ),
        );
        return { status: 'unknown', reason: problem.message, problem };
      }
      try {
        const set = await source.crlsFor(issuer, certificate);
        if (!set) return { status: 'unknown', reason: 'no CRL of the issuing CA is at hand' };
        checkCrlScope(set.complete, certificate);
        const answer = crlAnswer(set, certificate.serial, at, policy);
        const times = {
          crlThisUpdate: date(answer.thisUpdate),
          crlNextUpdate: answer.nextUpdate === null ? null : date(answer.nextUpdate),
          ...(answer.stale && answer.nextUpdate !== null
            ? {
                warning: {
                  code: 'CRL_STALE' as const,
                  message: `The CRL is out of date: the CA promised a new one by ${isoTime(answer.nextUpdate)}.`,
                },
              }
            : {}),
        };
        if (answer.revoked && answer.revokedAt !== null) {
          const reason = reasonName(answer.reason);
          return {
            status: 'revoked',
            revokedAt: date(answer.revokedAt),
            ...(reason ? { reason } : {}),
            ...times,
          };
        }
        if (!answer.coversAllReasons) {
          return {
            status: 'unknown',
            reason: 'the CRL at hand covers only some revocation reasons',
            ...times,
          };
        }
        return { status: 'good', ...times };
      } catch (error) {
        const problem = toErrorInfo(error);
        return { status: 'unknown', reason: problem.message, problem };
      }
    },
  };
}
