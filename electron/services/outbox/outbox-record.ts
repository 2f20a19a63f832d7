// What the outbox keeps on disk for each message besides its bytes (state.json), and how that
// maps to the OutboxItem the renderer and CLI see. Validated on every read: the file may have
// been written by an older Sealmail or damaged by the user.
import { z } from 'zod';
import type { OutboxItem } from '../../../core/api/types.js';
import { errorCodes } from '../../../core/errors.js';

export const outboxRecordSchema = z.object({
  version: z.literal(1),
  id: z.string().regex(/^[a-z0-9-]{1,100}$/),
  accountId: z.string().min(1),
  messageId: z.string().min(3),
  subject: z.string(),
  envelope: z.object({ from: z.string(), to: z.array(z.string()).min(1) }),
  state: z.enum(['queued', 'sending', 'retrying', 'failed', 'sent']),
  attempts: z.number().int().min(0),
  nextAttemptAt: z.string().nullable(),
  lastError: z.object({ code: z.enum(errorCodes), message: z.string() }).nullable(),
  createdAt: z.string(),
  /** When the server accepted it (state "sent"): from then on it is never sent again. */
  sentAt: z.string().nullable(),
  /** false for a copy that must not be appended to Sent (a Bcc copy); absent in older items. */
  saveToSent: z.boolean().optional(),
  /**
   * Recipients the server refused while it took the message for the others, recorded together
   * with "sent" so that a crash cannot drop them; refused-recipients.ts turns them into items of
   * their own and then clears this.
   */
  refusal: z
    .object({
      server: z.string(),
      recipients: z
        .array(z.object({ address: z.string(), reply: z.string(), temporary: z.boolean() }))
        .min(1),
    })
    .nullable()
    .optional(),
});

export type OutboxRecord = z.output<typeof outboxRecordSchema>;

export function toOutboxItem(record: OutboxRecord): OutboxItem {
  return {
    id: record.id,
    accountId: record.accountId,
    subject: record.subject,
    recipients: [...record.envelope.to],
    state: record.state,
    attempts: record.attempts,
    nextAttemptAt: record.state === 'retrying' ? record.nextAttemptAt : null,
    lastError: record.lastError,
    createdAt: record.createdAt,
  };
}

/** Item ids sort by creation time, so the outbox sends in the order the user wrote. */
export function isOutboxId(value: string): boolean {
  return /^[a-z0-9-]{1,100}$/.test(value);
}
