// Seed 003's mailbox lifecycle as a table: which admin operation or redemption may start from
// which security status, and where it leads.
//   Undefined → New (enable) → Active (redeem) → Disabled (revoke)
//   → KeyRecoveryInProgress (recover, or enable again) → Active (redeem)
import { SealmailError } from '../../core/errors.js';
import type { MailboxState } from '../storage/records.js';

export type MailboxOperation = 'enable' | 'revoke' | 'recover' | 'redeem';

const next: Record<MailboxOperation, Partial<Record<MailboxState, MailboxState>>> = {
  // Enabling again while New issues a fresh key (the first was lost); after a revoke it is the
  // seed's "previously disabled mailbox in the process of being enabled again".
  enable: { Undefined: 'New', New: 'New', Disabled: 'KeyRecoveryInProgress' },
  revoke: { New: 'Disabled', Active: 'Disabled', KeyRecoveryInProgress: 'Disabled' },
  recover: {
    Active: 'KeyRecoveryInProgress',
    Disabled: 'KeyRecoveryInProgress',
    KeyRecoveryInProgress: 'KeyRecoveryInProgress',
  },
  redeem: { New: 'Active', KeyRecoveryInProgress: 'Active' },
};

const wayOut: Record<MailboxOperation, string> = {
  enable: 'an enrolled mailbox needs `km mailbox recover` (lost key file) or `km mailbox revoke` first',
  revoke: 'only a mailbox that was enabled and is not already revoked can be revoked',
  recover: 'a mailbox that was never enrolled needs `km mailbox enable`',
  redeem: 'ask the administrator for a new temporary key',
};

export function stateAfter(operation: MailboxOperation, email: string, state: MailboxState): MailboxState {
  const target = next[operation][state];
  if (!target) {
    throw new SealmailError(
      'MAILBOX_STATE_CONFLICT',
      `cannot ${operation} ${email}: its security status is ${state}; ${wayOut[operation]}.`,
    );
  }
  return target;
}
