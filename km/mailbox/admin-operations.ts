// The administrator's mailbox operations of seed 003: enable, revoke and recover. Each needs
// the required number of administrator passwords (they rebuild the KM secret that opens the CA
// key), runs in one transaction and appends who/what/when to the audit log.
import type { KmContext } from '../authority/km-clock.js';
import { unlockAsAdministrators, type UnlockedKm } from '../authority/unlocked-km.js';
import type { KmRecords } from '../storage/km-records.js';
import type { RevocationReason } from '../storage/records.js';
import { issueTemporaryKey, type IssuedTemporaryKey } from './issue-temporary-key.js';
import { mailboxAddress } from './mailbox-address.js';
import { publishCrl } from './publish-crl.js';
import { stateAfter } from './transitions.js';

async function asAdministrators<T>(
  context: KmContext,
  passwords: readonly string[],
  work: (records: KmRecords, km: UnlockedKm, now: Date) => Promise<T>,
): Promise<T> {
  return context.store.transaction(async (records) => {
    const km = await unlockAsAdministrators(records, passwords);
    return work(records, km, context.now());
  });
}

/**
 * Enable and recover both hand out a temporary key. Enabling a mailbox that had keys before
 * (Disabled) is a recovery too (seed 003): redeeming the key brings the archived keys back.
 */
function issueKeyFor(
  action: 'enable' | 'recover',
  context: KmContext,
  emailText: string,
  passwords: readonly string[],
): Promise<IssuedTemporaryKey> {
  const email = mailboxAddress(emailText);
  return asAdministrators(context, passwords, async (records, km, now) => {
    const state = (await records.mailbox(email))?.state ?? 'Undefined';
    const target = stateAfter(action, email, state);
    await records.setMailboxState(email, target, now.toISOString());
    const purpose = action === 'enable' && target === 'New' ? 'enroll' : 'recover';
    const issued = await issueTemporaryKey(records, email, purpose, now);
    await records.appendAudit({
      at: now.toISOString(),
      actor: km.actor,
      action,
      subject: email,
      detail: `${state} → ${target}; temporary key expires ${issued.expires}`,
    });
    return issued;
  });
}

export function enableMailbox(
  context: KmContext,
  emailText: string,
  passwords: readonly string[],
): Promise<IssuedTemporaryKey> {
  return issueKeyFor('enable', context, emailText, passwords);
}

export function recoverMailbox(
  context: KmContext,
  emailText: string,
  passwords: readonly string[],
): Promise<IssuedTemporaryKey> {
  return issueKeyFor('recover', context, emailText, passwords);
}

/** Revokes every current certificate of the mailbox and publishes a new CRL at once. */
export function revokeMailbox(
  context: KmContext,
  emailText: string,
  reason: RevocationReason,
  passwords: readonly string[],
): Promise<{ email: string; revokedSerials: string[] }> {
  const email = mailboxAddress(emailText);
  return asAdministrators(context, passwords, async (records, km, now) => {
    const state = (await records.mailbox(email))?.state ?? 'Undefined';
    const target = stateAfter('revoke', email, state);
    const revokedSerials = await records.revokeCertificatesOf(email, reason, now.toISOString());
    await records.withdrawTemporaryKeysOf(email, now.toISOString());
    await records.setMailboxState(email, target, now.toISOString());
    await publishCrl(records, km, now);
    await records.appendAudit({
      at: now.toISOString(),
      actor: km.actor,
      action: 'revoke',
      subject: email,
      detail: `${state} → ${target}; reason ${reason}; serials ${revokedSerials.join(' ') || 'none'}`,
    });
    return { email, revokedSerials };
  });
}
