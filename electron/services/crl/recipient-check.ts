// Before anything is encrypted, each recipient's certificate is checked: an expired one or one
// its CA has revoked is "no usable certificate" for that recipient (issue 5), and the send is
// refused naming the recipient, the date and the reason. The CRLs come from the home's CRL cache,
// which also holds the CA certificate each CRL was verified with; with that CA the check can also
// confirm the CA really signed the recipient's certificate before trusting its CRL's answer.
import { SealmailError, type ErrorInfo } from '../../../core/errors.js';
import { buildChain, validityProblems } from '../../../core/pki/chain/build-chain.js';
import { readCertificateInfo, type CertificateInfo } from '../../../core/pki/certificate-info.js';
import { readCertificateFacts } from '../../../core/pki/crl/certificate-facts.js';
import { cachedRevocationChecker } from './cached-revocation.js';
import type { CrlCache } from './crl-cache.js';

function nameOf(recipient: CertificateInfo): string {
  return recipient.emails[0] ?? recipient.subject;
}

function unusable(recipient: CertificateInfo, why: string): SealmailError {
  return new SealmailError(
    'RECIPIENT_UNUSABLE',
    `No usable certificate for ${nameOf(recipient)}: ${why}. Ask them for a current certificate, or leave them out.`,
  );
}

function unknown(recipient: CertificateInfo, why: string): ErrorInfo {
  return {
    code: 'REVOCATION_UNKNOWN',
    message: `Revocation of the certificate of ${nameOf(recipient)} was not checked: ${why}.`,
  };
}

/**
 * Throws RECIPIENT_UNUSABLE for the first recipient whose certificate is not valid at `at` or is
 * revoked; returns the cautions for the others (no CRL at hand, a stale CRL). Without a cache
 * (revocation checking not set up) only validity is checked.
 */
export async function checkRecipientCertificates(
  recipients: readonly CertificateInfo[],
  cache: CrlCache | null,
  at: Date,
): Promise<ErrorInfo[]> {
  const cautions: ErrorInfo[] = [];
  const checker = cache ? cachedRevocationChecker(cache, 'warn') : null;
  for (const recipient of recipients) {
    const [invalid] = validityProblems([recipient], at);
    if (invalid) throw unusable(recipient, `the certificate ${invalid.replace(/^"[^"]*" /, '')}`);
    if (!cache || !checker) continue;
    const cached = cache.cachedForIssuerOf(readCertificateFacts(recipient.der));
    if (!cached) {
      cautions.push(unknown(recipient, `no CRL of its CA ("${recipient.issuer}") is in the CRL cache`));
      continue;
    }
    const issuer = readCertificateInfo(
      new Uint8Array(Buffer.from(cached.record.issuer, 'base64')),
      'The CA certificate in the CRL cache',
    );
    // The cache finds the CA by name; only a CA whose key signed the certificate may answer.
    const chain = await buildChain(recipient, [], [issuer]);
    if (!chain.trusted) {
      cautions.push(unknown(recipient, `the cached CRL is of a different CA named "${issuer.subject}"`));
      continue;
    }
    const answer = await checker.status(recipient.der, issuer.der, at);
    if (answer.status === 'revoked') {
      const reason = answer.reason ? ` (${answer.reason})` : '';
      throw unusable(
        recipient,
        `the certificate was revoked on ${answer.revokedAt.toISOString()}${reason}, according to the CRL of "${issuer.subject}"`,
      );
    }
    if (answer.warning) cautions.push(answer.warning);
    if (answer.status === 'unknown') cautions.push(unknown(recipient, answer.reason));
  }
  return cautions;
}
