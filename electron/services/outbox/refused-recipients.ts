// Recipients the server refused while it accepted the message for the others. RFC 5321 §3.3
// gives every RCPT TO its own reply, so one transaction can serve some recipients and refuse
// others; §4.2.1 makes a 4yz refusal temporary and a 5yz one permanent. Nobody is silently
// dropped: the refused recipients get items of their own with the same bytes, a failed one for
// the permanent refusals and a retrying one for the temporary ones (for example Postfix's
// "452 4.5.3 Error: too many recipients", after which RFC 5321 §4.5.3.1.10 expects the client
// to send to the rest in a later transaction).
//
// Crash safety: the refusal is stored in the parent's state.json together with "sent". The new
// items get ids derived from the parent's, so making them again after a crash finds them
// already there; only then is the refusal cleared from the parent.
import type { OutboxItem } from '../../../core/api/types.js';
import type { EventBus } from '../event-bus.js';
import type { OutboxStore } from './outbox-store.js';
import { retryDelayMs, type RetryPolicy } from './retry-schedule.js';
import { toOutboxItem, type OutboxRecord } from './outbox-record.js';

export interface RefusedRecipient {
  address: string;
  /** The server's reply to RCPT TO (or to DATA, under LMTP-like per-recipient replies). */
  reply: string;
  temporary: boolean;
}

export interface RefusalDependencies {
  store: OutboxStore;
  events: EventBus;
  retryPolicy: RetryPolicy;
  now(): Date;
  random(): number;
}

export function refusedItemId(parentId: string, temporary: boolean): string {
  return `${parentId}-${temporary ? 'later' : 'refused'}`;
}

function refusedItem(
  parent: OutboxRecord,
  server: string,
  group: RefusedRecipient[],
  temporary: boolean,
  deps: RefusalDependencies,
): OutboxRecord {
  const addresses = group.map((recipient) => recipient.address);
  const replies = group.map((recipient) => recipient.reply).join('; ') || 'no reason given';
  const now = deps.now();
  return {
    ...parent,
    id: refusedItemId(parent.id, temporary),
    envelope: { from: parent.envelope.from, to: addresses },
    attempts: 1,
    sentAt: null,
    refusal: null,
    // createdAt stays the parent's: the give-up age counts from when the user sent it.
    ...(temporary
      ? {
          state: 'retrying',
          nextAttemptAt: new Date(
            now.getTime() + retryDelayMs(1, deps.retryPolicy, deps.random),
          ).toISOString(),
          lastError: {
            code: 'SMTP_TEMPORARY',
            message: `${server} cannot take the message for ${addresses.join(', ')} right now and asked to try later: ${replies}`,
          },
        }
      : {
          state: 'failed',
          nextAttemptAt: null,
          lastError: {
            code: 'SMTP_PERMANENT',
            message: `${server} refused ${addresses.join(', ')}: ${replies}`,
          },
        }),
  };
}

/** Makes the items for a sent parent's refused recipients (if not made yet) and clears its refusal. */
export async function keepRefusedRecipients(
  parent: OutboxRecord,
  raw: Uint8Array,
  deps: RefusalDependencies,
): Promise<{ parent: OutboxRecord; refused: OutboxItem[] }> {
  const refusal = parent.refusal;
  if (!refusal) return { parent, refused: [] };
  const refused: OutboxItem[] = [];
  for (const temporary of [false, true]) {
    const group = refusal.recipients.filter((recipient) => recipient.temporary === temporary);
    if (group.length === 0) continue;
    const existing = await deps.store.read(refusedItemId(parent.id, temporary));
    if (existing) {
      refused.push(toOutboxItem(existing));
      continue;
    }
    const item = refusedItem(parent, refusal.server, group, temporary, deps);
    await deps.store.create(item, raw);
    deps.events.emit('outbox.changed', { item: toOutboxItem(item) });
    refused.push(toOutboxItem(item));
  }
  const cleared: OutboxRecord = { ...parent, refusal: null };
  await deps.store.write(cleared);
  return { parent: cleared, refused };
}
