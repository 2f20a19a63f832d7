// Advanced Security on the main side (issue 6): the account's security profile and key file in
// the Sealmail home, the EST relay to its KM, recipient and revocation checks over the CRL cache,
// and harvested certificates. Main holds only public certificates and the key file's encrypted
// bytes (ARCHITECTURE.md invariant 1); the crypto worker does everything with keys.
import type { RevocationView, SecurityStatus } from '../../../core/api/security-types.js';
import { SealmailError } from '../../../core/errors.js';
import { readCertificateInfo } from '../../../core/pki/certificate-info.js';
import type { RevocationAnswer } from '../../../core/pki/revocation.js';
import type { EffectivePolicy } from '../../../core/policy/effective-policy.js';
import type { PolicyServices, SecurityServices } from '../app-services.js';
import { cachedRevocationChecker, crlCacheOf } from '../crl/cached-revocation.js';
import type { EventBus } from '../event-bus.js';
import type { SealmailHome } from '../home.js';
import { readKeyFileBytes, saveKeyFileBytes } from '../keyfile-storage.js';
import { harvestedCertificate, saveHarvestedCertificate } from '../secure-send/harvested-certificates.js';
import { ownCertificates } from './certificate-views.js';
import { kmAddress, kmEndpointOf, relayEst } from './est-relay.js';
import { recipientStates } from './recipient-states.js';
import {
  ensureSecurityDir,
  hasKeyFile,
  keyFilePath,
  readProfile,
  writeProfile,
  type SecurityProfile,
} from './security-profile.js';
import { effectiveKm, securityStatus, staleCrlPolicyOf } from './security-status.js';
import { checkedCaPem, checkedKeyFile, checkedHarvest } from './security-input.js';

export interface SecurityDependencies {
  home: SealmailHome;
  events: EventBus;
  /** The policy in force, asked afresh each time (the policy file may change while running). */
  policy: () => PolicyServices;
  /** The stored account, or NOT_FOUND naming it. */
  getAccount: (accountId: string) => Promise<{ email: string }>;
  now?: () => Date;
}

function policyName(policy: EffectivePolicy): string {
  return policy.source ? `your organisation's policy (${policy.source})` : "your organisation's policy";
}

export function createSecurityServices(deps: SecurityDependencies): SecurityServices {
  const { home, events } = deps;
  const now = deps.now ?? (() => new Date());

  async function statusOf(accountId: string, profile?: SecurityProfile): Promise<SecurityStatus> {
    await deps.getAccount(accountId);
    const held = profile ?? (await readProfile(home, accountId));
    return securityStatus({
      accountId,
      profile: held,
      hasKeyFile: await hasKeyFile(home, accountId),
      own: held.certificates.length > 0 ? ownCertificates(held.certificates, held.caCertificates) : null,
      policy: await deps.policy().current(),
      crlCache: crlCacheOf(home),
      now: now(),
    });
  }

  async function kmOf(accountId: string): Promise<ReturnType<typeof kmEndpointOf> | null> {
    const km = effectiveKm(await readProfile(home, accountId), await deps.policy().current());
    return km ? kmEndpointOf(km) : null;
  }

  // Profile updates read, change and write the file: one at a time per account, so two quick
  // changes (a default toggled while the key file is saved) cannot undo each other.
  const pending = new Map<string, Promise<unknown>>();
  function updateProfile(
    accountId: string,
    change: (own: SecurityProfile) => Promise<SecurityProfile>,
  ): Promise<SecurityProfile> {
    const work = async () => {
      const profile = await change(await readProfile(home, accountId));
      await writeProfile(home, accountId, profile);
      return profile;
    };
    const run = (pending.get(accountId) ?? Promise.resolve()).then(work, work);
    const settled = run.catch(() => undefined);
    pending.set(accountId, settled);
    void settled.then(() => {
      if (pending.get(accountId) === settled) pending.delete(accountId);
    });
    return run;
  }

  function changed(accountId: string): void {
    events.emit('security.changed', { accountId });
  }

  return {
    status: (accountId) => statusOf(accountId),

    async setDefaults(accountId, defaults) {
      await deps.getAccount(accountId);
      const policy = await deps.policy().current();
      const lockedAway = [
        policy.signByDefault.locked && policy.signByDefault.value !== defaults.sign
          ? `"Add digital signature" is ${policy.signByDefault.value ? 'on' : 'off'}`
          : null,
        policy.encryptByDefault.locked && policy.encryptByDefault.value !== defaults.encrypt
          ? `"Encrypt message contents and attachments" is ${policy.encryptByDefault.value ? 'on' : 'off'}`
          : null,
      ].filter((why): why is string => why !== null);
      if (lockedAway.length > 0) {
        throw new SealmailError(
          'INVALID_REQUEST',
          `${lockedAway.join(' and ')} by ${policyName(policy)}, so it cannot be changed here; ask your administrator.`,
        );
      }
      const profile = await updateProfile(accountId, async (own) => ({
        ...own,
        defaults: { sign: defaults.sign, encrypt: defaults.encrypt },
      }));
      changed(accountId);
      return statusOf(accountId, profile);
    },

    async setKm(accountId, km) {
      await deps.getAccount(accountId);
      const policy = await deps.policy().current();
      if (policy.km.locked && policy.km.value.url) {
        throw new SealmailError(
          'INVALID_REQUEST',
          `The KM address is set by ${policyName(policy)} to ${policy.km.value.url}, so it cannot be changed here; ask your administrator.`,
        );
      }
      const url = kmAddress(km.url).href.replace(/\/$/, '');
      const typedCa = km.caPem === undefined ? undefined : checkedCaPem(km.caPem);
      // No CA given keeps the one pinned before (never weaker); an empty one means the system's
      // trust store, for a KM with a publicly trusted certificate.
      const profile = await updateProfile(accountId, async (own) => ({
        ...own,
        km: { url, caPem: typedCa === undefined ? (own.km?.caPem ?? null) : typedCa },
      }));
      changed(accountId);
      return statusOf(accountId, profile);
    },

    async readKeyFile(accountId) {
      await deps.getAccount(accountId);
      if (!(await hasKeyFile(home, accountId))) {
        throw new SealmailError(
          'NOT_FOUND',
          'This account has no key file yet: set up Advanced Security with a temporary key, or import a key file.',
        );
      }
      return readKeyFileBytes(keyFilePath(home, accountId));
    },

    async saveKeyFile(request) {
      await deps.getAccount(request.accountId);
      const checked = checkedKeyFile(request);
      const profile = await updateProfile(request.accountId, async (own) => {
        await ensureSecurityDir(home);
        // The key file first: it is the truth, and the profile's certificates are read from it.
        // Each write is atomic (temp file, fsync, rename), so a crash keeps the old file whole.
        await saveKeyFileBytes(keyFilePath(home, request.accountId), request.bytes);
        return {
          ...own,
          certificates: checked.certificates,
          caCertificates: checked.caCertificates,
          savedAt: now().toISOString(),
        };
      });
      changed(request.accountId);
      return statusOf(request.accountId, profile);
    },

    async est(request) {
      const account = await deps.getAccount(request.accountId);
      const km = await kmOf(request.accountId);
      if (!km) {
        throw new SealmailError(
          'INVALID_REQUEST',
          'No KM is set up for this account: enter the KM address your administrator gave you in Settings › Security.',
        );
      }
      return relayEst(km, account.email, request);
    },

    async checkRecipients(accountId, addresses) {
      await deps.getAccount(accountId);
      const profile = await readProfile(home, accountId);
      const policy = await deps.policy().current();
      const km = effectiveKm(profile, policy);
      return recipientStates(addresses, {
        km: km ? kmEndpointOf(km) : null,
        harvested: (email) => harvestedCertificate(home, email),
        anchors: profile.caCertificates.map((der) =>
          readCertificateInfo(der, 'A CA certificate of the key file'),
        ),
        crlCache: crlCacheOf(home),
        now: now(),
      });
    },

    async revocation(request): Promise<RevocationView> {
      await deps.getAccount(request.accountId);
      const cache = crlCacheOf(home);
      if (!cache) return { status: 'unknown', reason: 'no CRL is stored yet, so revocation was not checked' };
      const stale = staleCrlPolicyOf(await deps.policy().current());
      let answer: RevocationAnswer;
      try {
        answer = await cachedRevocationChecker(cache, stale).status(
          request.certificate,
          request.issuer,
          now(),
        );
      } catch (error) {
        // A damaged CRL copy (CRL_INDEX_INVALID) is no answer; the banner says revocation is unknown.
        if (error instanceof SealmailError) return { status: 'unknown', reason: error.message };
        throw error;
      }
      if (answer.status === 'revoked') {
        return {
          status: 'revoked',
          revokedAt: answer.revokedAt.toISOString(),
          reason: answer.reason ?? null,
        };
      }
      if (answer.status === 'unknown') return { status: 'unknown', reason: answer.reason };
      return { status: 'good', warning: answer.warning?.message ?? null };
    },

    async harvest(request) {
      await deps.getAccount(request.accountId);
      const certificate = checkedHarvest(request.email, request.certificate);
      await saveHarvestedCertificate(home, request.email, certificate);
    },
  };
}
