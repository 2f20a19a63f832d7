// Seed 003's states for one account, as Settings › Security and the wizard's last page show them:
// not enrolled, active, expiring (inside the renewal window of core/enrollment/renewal-reminder),
// expired, or revoked (the cached CRL lists the signing certificate). The organisation's policy
// wins over the user's own KM address and defaults when it locks them (issue 7).
import type { SecurityStatus } from '../../../core/api/security-types.js';
import { SealmailError } from '../../../core/errors.js';
import type { StaleCrlPolicy } from '../../../core/pki/crl/revocation-status.js';
import type { RevocationAnswer } from '../../../core/pki/revocation.js';
import { renewalAdvice } from '../../../core/enrollment/renewal-reminder.js';
import type { CertificateInfo } from '../../../core/pki/certificate-info.js';
import { buildChain } from '../../../core/pki/chain/build-chain.js';
import type { EffectivePolicy } from '../../../core/policy/effective-policy.js';
import type { CrlCache } from '../crl/crl-cache.js';
import { cachedRevocationChecker } from '../crl/cached-revocation.js';
import { certificateViews, type OwnCertificates } from './certificate-views.js';
import { dateInWords } from './date-in-words.js';
import type { SecurityProfile } from './security-profile.js';

/** The KM in force: a locked policy address wins, then the user's own, then the policy's default. */
export function effectiveKm(
  profile: SecurityProfile,
  policy: EffectivePolicy,
): { url: string; caPem: string | null; locked: boolean } | null {
  const set = policy.km.value;
  if (policy.km.locked && set.url) return { url: set.url, caPem: set.caPem, locked: true };
  if (profile.km) return { ...profile.km, locked: false };
  return set.url ? { url: set.url, caPem: set.caPem, locked: false } : null;
}

export function effectiveDefaults(
  profile: SecurityProfile,
  policy: EffectivePolicy,
): { sign: boolean; encrypt: boolean } {
  const own = profile.defaults;
  return {
    sign: policy.signByDefault.locked
      ? policy.signByDefault.value
      : (own?.sign ?? policy.signByDefault.value),
    encrypt: policy.encryptByDefault.locked
      ? policy.encryptByDefault.value
      : (own?.encrypt ?? policy.encryptByDefault.value),
  };
}

/** Seed 003: the organisation decides whether a stale CRL still answers (with a warning). */
export function staleCrlPolicyOf(policy: EffectivePolicy): StaleCrlPolicy {
  return policy.staleCrl.value === 'fail' ? 'fail-closed' : 'warn';
}

/** The CA among the key file's that issued `leaf`, when one did. */
export async function issuerOf(
  leaf: CertificateInfo,
  ca: readonly CertificateInfo[],
): Promise<CertificateInfo | null> {
  const chain = await buildChain(leaf, [], ca);
  return chain.trusted && chain.path.length > 1 ? (chain.path[1] ?? null) : null;
}

type Verdict = Pick<SecurityStatus, 'state' | 'detail'>;

async function revocationVerdict(
  own: OwnCertificates,
  cache: CrlCache | null,
  policy: EffectivePolicy,
  now: Date,
): Promise<Verdict | null> {
  const signing = own.signing;
  if (!signing || !cache) return null;
  const issuer = await issuerOf(signing, own.ca);
  if (!issuer) return null;
  const stale = staleCrlPolicyOf(policy);
  let answer: RevocationAnswer;
  try {
    answer = await cachedRevocationChecker(cache, stale).status(signing.der, issuer.der, now);
  } catch (error) {
    // A damaged CRL copy must not hide the rest of the status; the next refresh replaces it.
    if (error instanceof SealmailError) return null;
    throw error;
  }
  if (answer.status !== 'revoked') return null;
  const reason = answer.reason ? ` (${answer.reason})` : '';
  return {
    state: 'revoked',
    detail:
      `Your signing certificate was revoked on ${dateInWords(answer.revokedAt)}${reason}. ` +
      'Others can no longer trust your signature or encrypt to you; ask your administrator for a recovery key.',
  };
}

function validityVerdict(own: OwnCertificates, now: Date): Verdict {
  const mine = [own.signing, own.encryption].filter((info): info is CertificateInfo => info !== null);
  const first = mine.reduce((a, b) => (a.notAfter <= b.notAfter ? a : b));
  const advice = renewalAdvice(first.notAfter, now);
  const day = dateInWords(first.notAfter);
  if (advice.expired) {
    return {
      state: 'expired',
      detail: `Your certificate expired on ${day}. Ask your administrator for a recovery key to enroll again.`,
    };
  }
  if (advice.due) {
    const left = advice.daysLeft === 1 ? '1 day' : `${advice.daysLeft} days`;
    return { state: 'expiring', detail: `Your certificate expires on ${day} (in ${left}): renew it now.` };
  }
  return { state: 'active', detail: null };
}

export async function securityStatus(input: {
  accountId: string;
  profile: SecurityProfile;
  hasKeyFile: boolean;
  own: OwnCertificates | null;
  policy: EffectivePolicy;
  crlCache: CrlCache | null;
  now: Date;
}): Promise<SecurityStatus> {
  const { profile, policy, own, now } = input;
  const km = effectiveKm(profile, policy);
  const common = {
    accountId: input.accountId,
    km: km ? { url: km.url, caPinned: km.caPem !== null } : null,
    defaults: effectiveDefaults(profile, policy),
  };
  if (!input.hasKeyFile || !own || (!own.signing && !own.encryption)) {
    return {
      ...common,
      state: 'not-enrolled',
      detail:
        'Advanced Security is not set up: redeem the temporary key from your administrator, or import a key file.',
      certificates: own ? certificateViews(own) : [],
    };
  }
  const verdict = (await revocationVerdict(own, input.crlCache, policy, now)) ?? validityVerdict(own, now);
  return { ...common, ...verdict, certificates: certificateViews(own) };
}
