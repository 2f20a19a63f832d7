// One delivery attempt of one outbox item, and the state machine around it:
//   queued → sending → sent → (copied to Sent, item removed)
//                    ↘ retrying (temporary failure; due again after a backoff) → sending …
//                    ↘ failed   (permanent failure; stays until the user retries or removes it)
//
// THE GUARANTEE. A message the outbox has accepted (send() resolved) is never lost, and is sent
// once, across crashes, SIGKILL and restarts, with one exception described below. How:
//   - one process at a time works on an item (item-lock.ts: an OS file lock, freed when its
//     holder dies, so a crash never leaves an item locked);
//   - every state is fsynced before the step that depends on it: "sending" before the SMTP
//     transaction starts, "sent" as soon as the server accepts and before the Sent copy, and the
//     item is removed only after the Sent copy exists;
//   - an item found in "sent" is never submitted again: it only gets its Sent copy, and the copy
//     looks for the Message-ID in Sent first, so a crash between APPEND and removal does not
//     copy twice.
//
// The exception, which no SMTP client can close: the server has answered 250 to the final "."
// (RFC 5321 §4.1.1.4) and we crash before "sent" reaches the disk. On restart the item is in
// "sending" and nothing tells us whether the server took it, so we send it again (at least once
// rather than at most once): RFC 1047 describes this race and the duplicate it causes, and a
// duplicate is better than a lost message. The copy carries the same Message-ID, so it is
// recognisably the same message. The window is the few milliseconds between reading the reply
// and the fsync of state.json; a crash anywhere else (during the connection, the login, the
// DATA transfer, or the Sent copy) neither loses nor duplicates anything.
import type { OutboxItem } from '../../../core/api/types.js';
import type { ErrorInfo } from '../../../core/errors.js';
import type { EventBus } from '../event-bus.js';
import type { StoredAccount } from '../accounts/stored-account.js';
import type { SentFolder } from '../imap/sent-folder.js';
import type { SmtpEnvelope } from '../compose/compose-message.js';
import { toErrorInfo } from '../../../core/errors.js';
import { createSmtpTransport } from '../smtp/transport.js';
import { classifySendFailure } from './smtp-failure.js';
import { hasGivenUp, retryDelayMs, type RetryPolicy } from './retry-schedule.js';
import { lockItem } from './item-lock.js';
import type { OutboxStore } from './outbox-store.js';
import { keepRefusedRecipients, type RefusedRecipient } from './refused-recipients.js';
import { toOutboxItem, type OutboxRecord } from './outbox-record.js';

/** What sendMail tells us after the server accepted the message for at least one recipient. */
export interface SmtpAcceptance {
  /** Recipients the server refused while accepting the others (refused-recipients.ts). */
  refused: RefusedRecipient[];
}

export type SendRaw = (
  account: StoredAccount,
  password: string,
  envelope: SmtpEnvelope,
  raw: Uint8Array,
) => Promise<SmtpAcceptance>;

export interface DeliveryDependencies {
  store: OutboxStore;
  events: EventBus;
  getAccount(id: string): Promise<StoredAccount>;
  getPassword(id: string): Promise<string>;
  sentFolder: SentFolder;
  sendRaw: SendRaw;
  retryPolicy: RetryPolicy;
  now(): Date;
  random(): number;
}

export interface DeliveryResult {
  /** The item after this attempt. "sent" also when it has already left the outbox. */
  item: OutboxItem;
  /** The message's Message-ID header, which every copy (recipients', Sent) carries. */
  messageId: string;
  /** Items kept for recipients refused while the others were served (refused-recipients.ts). */
  refused: OutboxItem[];
  /** Sent items only: whether Sent now holds the copy (otherwise item.lastError says why not). */
  copiedToSent: boolean;
}

/** "due": the scheduler (skips retrying items whose time has not come); "now": the user asked. */
export type AttemptMode = 'due' | 'now';

function refusedRecipient(entry: unknown, listed: unknown): RefusedRecipient {
  const details =
    typeof entry === 'object' && entry !== null
      ? (entry as { recipient?: unknown; response?: unknown; responseCode?: unknown })
      : {};
  const reply =
    typeof details.response === 'string'
      ? details.response.replace(/\s*\r?\n\s*/g, ' ').trim()
      : String(entry);
  const code = typeof details.responseCode === 'number' ? details.responseCode : 500;
  return {
    // .recipient is set on every rejectedErrors entry; `rejected` lists the same addresses in order.
    address: typeof details.recipient === 'string' ? details.recipient : String(listed),
    reply,
    temporary: code >= 400 && code < 500,
  };
}

/** nodemailer's SMTP transport with `raw`: the bytes go out exactly as queued. */
export const sendRawWithNodemailer: SendRaw = async (account, password, envelope, raw) => {
  const transport = createSmtpTransport(account, password);
  try {
    const info: unknown = await transport.sendMail({
      envelope: { from: envelope.from, to: [...envelope.to] },
      raw: Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength),
    });
    // nodemailer lists each refused recipient's error, with .recipient and the server's reply.
    const { rejected, rejectedErrors } =
      typeof info === 'object' && info !== null
        ? (info as { rejected?: unknown; rejectedErrors?: unknown })
        : {};
    const addresses: unknown[] = Array.isArray(rejected) ? rejected : [];
    return {
      refused: Array.isArray(rejectedErrors)
        ? rejectedErrors.map((error: unknown, index) => refusedRecipient(error, addresses[index]))
        : [],
    };
  } finally {
    transport.close();
  }
};

export function createDelivery(deps: DeliveryDependencies) {
  const { store, events } = deps;

  async function save(record: OutboxRecord): Promise<OutboxRecord> {
    await store.write(record);
    events.emit('outbox.changed', { item: toOutboxItem(record) });
    return record;
  }

  async function credentials(accountId: string): Promise<{ account: StoredAccount; password: string }> {
    const account = await deps.getAccount(accountId);
    return { account, password: await deps.getPassword(accountId) };
  }

  /** Sent copy, then removal. A failure keeps the item in "sent" (never re-submitted) with the reason. */
  async function finishSent(
    record: OutboxRecord,
    raw: Uint8Array,
    refused: OutboxItem[],
  ): Promise<DeliveryResult> {
    try {
      // A Bcc copy of an encrypted send: the main copy is the one kept in Sent.
      if (record.saveToSent !== false) {
        const { account, password } = await credentials(record.accountId);
        await deps.sentFolder.ensureCopy(account, password, raw, record.messageId);
      }
    } catch (error) {
      const reason = toErrorInfo(error);
      const lastError: ErrorInfo = {
        code: reason.code,
        message: `sent, but not yet copied to Sent: ${reason.message}`,
      };
      const kept = await save({ ...record, lastError });
      return { item: toOutboxItem(kept), messageId: record.messageId, refused, copiedToSent: false };
    }
    await store.remove(record.id);
    const item = toOutboxItem({ ...record, lastError: null });
    events.emit('outbox.changed', { item });
    return { item, messageId: record.messageId, refused, copiedToSent: true };
  }

  async function onFailure(record: OutboxRecord, error: unknown, server: string): Promise<OutboxRecord> {
    const failure = classifySendFailure(error, server);
    const now = deps.now();
    if (failure.retry && !hasGivenUp(new Date(record.createdAt), now, deps.retryPolicy)) {
      const delay = retryDelayMs(record.attempts, deps.retryPolicy, deps.random);
      return save({
        ...record,
        state: 'retrying',
        nextAttemptAt: new Date(now.getTime() + delay).toISOString(),
        lastError: failure.error,
      });
    }
    const lastError = failure.retry
      ? {
          code: failure.error.code,
          message: `gave up after ${record.attempts} attempts since ${record.createdAt}: ${failure.error.message}`,
        }
      : failure.error;
    return save({ ...record, state: 'failed', nextAttemptAt: null, lastError });
  }

  /**
   * One attempt at one item. null when another process (or another delivery here) is working
   * on it right now, or when it no longer exists.
   */
  async function attempt(id: string, mode: AttemptMode): Promise<DeliveryResult | null> {
    const lock = await lockItem(store.lockFile(id));
    if (!lock) return null;
    try {
      let record = await store.read(id);
      if (!record) return null;
      const raw = await store.readRaw(id);
      if (record.state === 'sent') {
        const kept = await keepRefusedRecipients(record, raw, deps);
        return await finishSent(kept.parent, raw, kept.refused);
      }
      const untouched = {
        item: toOutboxItem(record),
        messageId: record.messageId,
        refused: [],
        copiedToSent: false,
      };
      if (record.state === 'failed') return untouched;
      const due = record.nextAttemptAt === null || new Date(record.nextAttemptAt) <= deps.now();
      if (record.state === 'retrying' && mode === 'due' && !due) return untouched;

      // "queued", "retrying", or "sending" left by a crash (see the header: sent again).
      record = await save({
        ...record,
        state: 'sending',
        attempts: record.attempts + 1,
        nextAttemptAt: null,
      });
      let server = 'the SMTP server';
      let acceptance: SmtpAcceptance;
      try {
        const { account, password } = await credentials(record.accountId);
        server = `${account.smtp.host}:${account.smtp.port}`;
        acceptance = await deps.sendRaw(account, password, record.envelope, raw);
      } catch (error) {
        const item = toOutboxItem(await onFailure(record, error, server));
        return { item, messageId: record.messageId, refused: [], copiedToSent: false };
      }
      // Durable before anything else: from here on this item is never submitted again.
      record = await save({
        ...record,
        state: 'sent',
        sentAt: deps.now().toISOString(),
        lastError: null,
        refusal: acceptance.refused.length > 0 ? { server, recipients: acceptance.refused } : null,
      });
      const kept = await keepRefusedRecipients(record, raw, deps);
      return await finishSent(kept.parent, raw, kept.refused);
    } finally {
      await lock.release();
      store.removeLockIfGone(id);
    }
  }

  return { attempt, save };
}

export type Delivery = ReturnType<typeof createDelivery>;
