// recipients.check: each recipient's certificate state for the composer's chips and the send
// dialog (seed 004: name each recipient without a usable certificate, with the reason). The
// lookup itself is the CLI's (secure-send/recipient-certificates.ts): the KM directory, then
// certificates harvested from verified signed mail, each chained to the account's KM CA, within
// its validity and not on the cached CRL.
import type { RecipientCertificate } from '../../../core/api/security-types.js';
import { SealmailError } from '../../../core/errors.js';
import { readCertificateInfo, type CertificateInfo } from '../../../core/pki/certificate-info.js';
import { readCertificateFacts } from '../../../core/pki/crl/certificate-facts.js';
import { cachedRevocationChecker } from '../crl/cached-revocation.js';
import type { CrlCache } from '../crl/crl-cache.js';
import type { KmEndpoint } from '../enrollment/km-address.js';
import {
  lookUpRecipient,
  type LackingRecipient,
  type RecipientLookup,
} from '../secure-send/recipient-certificates.js';
import { dateInWords } from './date-in-words.js';

export interface RecipientSources {
  km: KmEndpoint | null;
  harvested: (email: string) => Promise<Uint8Array | null>;
  anchors: readonly CertificateInfo[];
  crlCache: CrlCache | null;
  now: Date;
}

/** The KM could not answer: the chip still shows what harvested certificates say. */
const kmUnavailable = new Set(['CONNECTION_FAILED', 'TLS_UNTRUSTED', 'SERVER_ERROR', 'RATE_LIMITED']);

/**
 * Seed 004's short reason for a revoked or expired certificate ("revoked on 3 May 2026
 * (keyCompromise)"), read again from the certificate the lookup refused; null to keep the
 * lookup's own longer words.
 */
async function shortReason(lookup: LackingRecipient, sources: RecipientSources): Promise<string | null> {
  const der = lookup.certificate;
  if (!der) return null;
  const info = readCertificateInfo(der, `The certificate of ${lookup.email}`);
  if (lookup.state === 'expired') {
    return sources.now < info.notBefore
      ? `their certificate is not valid until ${dateInWords(info.notBefore)}`
      : `their certificate expired on ${dateInWords(info.notAfter)}`;
  }
  if (lookup.state !== 'revoked' || !sources.crlCache) return null;
  const cached = sources.crlCache.cachedForIssuerOf(readCertificateFacts(der));
  if (!cached) return null;
  const issuer = new Uint8Array(Buffer.from(cached.record.issuer, 'base64'));
  const answer = await cachedRevocationChecker(sources.crlCache).status(der, issuer, sources.now);
  if (answer.status !== 'revoked') return null;
  const why = answer.reason ? ` (${answer.reason})` : '';
  return `their certificate was revoked on ${dateInWords(answer.revokedAt)}${why}`;
}

async function stateOf(
  address: string,
  lookup: RecipientLookup,
  sources: RecipientSources,
  askedKm: boolean,
  kmProblem: string | null,
): Promise<RecipientCertificate> {
  if (lookup.usable) {
    return { address, state: 'ready', reason: null, certificate: lookup.certificate, source: lookup.source };
  }
  let reason = (await shortReason(lookup, sources)) ?? lookup.reason;
  if (lookup.state === 'untrusted' && sources.anchors.length === 0) {
    // Nothing can be trusted before enrollment: the KM CA arrives with the key file.
    reason =
      'Advanced Security is not set up on this account yet, so no certificate can be checked against your organisation’s CA';
  }
  // Without the KM, 'no-certificate' means nothing was found anywhere: say why in the app's words.
  if (!askedKm && lookup.state === 'no-certificate') {
    reason = kmProblem
      ? `the KM directory could not be asked (${kmProblem}), and no signed mail from them has been verified`
      : 'no KM is set up for this account, and no signed mail from them has been verified';
  } else if (kmProblem) {
    reason = `${reason}; the KM directory could not be asked: ${kmProblem}`;
  }
  return { address, state: lookup.state, reason, certificate: null, source: null };
}

/**
 * One answer per distinct address, in the order asked. A KM that cannot be reached is asked once,
 * not once per recipient: the rest are answered from harvested certificates, and each reason
 * says the directory was not asked and why.
 */
export async function recipientStates(
  addresses: readonly string[],
  sources: RecipientSources,
): Promise<RecipientCertificate[]> {
  const distinct = [...new Set(addresses.map((address) => address.trim().toLowerCase()))];
  let km = sources.km;
  let kmProblem: string | null = null;
  const answers: RecipientCertificate[] = [];
  for (const address of distinct) {
    let lookup: RecipientLookup;
    try {
      lookup = await lookUpRecipient(address, { ...sources, km });
    } catch (error) {
      if (!(km && error instanceof SealmailError && kmUnavailable.has(error.code))) throw error;
      km = null;
      kmProblem = error.message;
      lookup = await lookUpRecipient(address, { ...sources, km: null });
    }
    answers.push(await stateOf(address, lookup, sources, km !== null, kmProblem));
  }
  return answers;
}
