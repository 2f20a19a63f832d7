// Seed 003's lifecycle table: every operation from every security status either leads where
// the seed says or is refused with a message that names the way out.
import { describe, expect, it } from 'vitest';
import { SealmailError } from '../../core/errors.js';
import { stateAfter, type MailboxOperation } from '../../km/mailbox/transitions.js';
import { mailboxStates, type MailboxState } from '../../km/storage/records.js';

const allowed: Record<MailboxOperation, Partial<Record<MailboxState, MailboxState>>> = {
  enable: { Undefined: 'New', New: 'New', Disabled: 'KeyRecoveryInProgress' },
  revoke: { New: 'Disabled', Active: 'Disabled', KeyRecoveryInProgress: 'Disabled' },
  recover: {
    Active: 'KeyRecoveryInProgress',
    Disabled: 'KeyRecoveryInProgress',
    KeyRecoveryInProgress: 'KeyRecoveryInProgress',
  },
  redeem: { New: 'Active', KeyRecoveryInProgress: 'Active' },
};

describe('mailbox lifecycle', () => {
  for (const operation of Object.keys(allowed) as MailboxOperation[]) {
    for (const state of mailboxStates) {
      const target = allowed[operation][state];
      it(`${operation} from ${state} ${target ? `→ ${target}` : 'is refused'}`, () => {
        if (target) {
          expect(stateAfter(operation, 'alice@example.test', state)).toBe(target);
        } else {
          let error: unknown;
          try {
            stateAfter(operation, 'alice@example.test', state);
          } catch (caught) {
            error = caught;
          }
          expect(error).toBeInstanceOf(SealmailError);
          expect((error as SealmailError).code).toBe('MAILBOX_STATE_CONFLICT');
          expect((error as SealmailError).message).toContain(`status is ${state}`);
        }
      });
    }
  }
});
