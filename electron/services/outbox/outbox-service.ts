// The persistent outbox (issue 2, item 3): what the app, the browser host and the CLI call. It
// queues raw MIME durably, delivers in the background with retries while started, and lets the
// user flush, retry or remove items. Each step of one delivery is in outbox-delivery.ts.
import { existsSync } from 'node:fs';
import type { OutboxItem } from '../../../core/api/types.js';
import type { OutgoingMessage } from '../../../core/api/schemas.js';
import type { OutboxServices } from '../app-services.js';
import type { EventBus } from '../event-bus.js';
import type { StoredAccount } from '../accounts/stored-account.js';
import type { SentFolder } from '../imap/sent-folder.js';
import { SealmailError } from '../../../core/errors.js';
import { composeMessage, type SmtpEnvelope } from '../compose/compose-message.js';
import { readOutgoingHeaders } from '../compose/outgoing-headers.js';
import { imapSentFolder } from '../imap/sent-folder.js';
import { defaultRetryPolicy, type RetryPolicy } from './retry-schedule.js';
import { lockItem } from './item-lock.js';
import { newOutboxId, OutboxStore, sweepOutboxLeftovers } from './outbox-store.js';
import { toOutboxItem, type OutboxRecord } from './outbox-record.js';
import {
  createDelivery,
  sendRawWithNodemailer,
  type DeliveryResult,
  type SendRaw,
} from './outbox-delivery.js';

export type { DeliveryResult } from './outbox-delivery.js';

export interface OutboxDependencies {
  outboxDir: string;
  events: EventBus;
  getAccount(id: string): Promise<StoredAccount>;
  getPassword(id: string): Promise<string>;
  /** Defaults to the account's IMAP \Sent folder. */
  sentFolder?: SentFolder;
  /** Defaults to nodemailer over the account's SMTP settings. */
  sendRaw?: SendRaw;
  retryPolicy?: RetryPolicy;
  now?: () => Date;
  random?: () => number;
}

export interface OutboxService extends OutboxServices {
  /** Composes and queues durably without trying to deliver. */
  queue(accountId: string, message: OutgoingMessage): Promise<OutboxItem>;
  /** Queues a message that is already raw MIME (e.g. signed or encrypted by S/MIME). */
  enqueueRaw(
    accountId: string,
    raw: Uint8Array,
    envelope: SmtpEnvelope,
    options?: { saveToSent?: boolean },
  ): Promise<OutboxItem>;
  /** One attempt now, whatever its schedule; null if another process is delivering it right now. */
  deliverNow(id: string): Promise<DeliveryResult | null>;
  /**
   * Delivers every item that is not failed, now; finishes Sent copies of sent items. `busy`: the
   * ids another process (or the app's background delivery) is working on right now.
   */
  flush(): Promise<{ results: DeliveryResult[]; busy: string[] }>;
  /** Resumes what a previous run left and keeps delivering in the background until close(). */
  start(): Promise<void>;
  close(): Promise<void>;
}

export function createOutboxService(deps: OutboxDependencies): OutboxService {
  const store = new OutboxStore(deps.outboxDir);
  const now = deps.now ?? (() => new Date());
  const retryPolicy = deps.retryPolicy ?? defaultRetryPolicy;
  const delivery = createDelivery({
    store,
    events: deps.events,
    getAccount: deps.getAccount,
    getPassword: deps.getPassword,
    sentFolder: deps.sentFolder ?? imapSentFolder,
    sendRaw: deps.sendRaw ?? sendRawWithNodemailer,
    retryPolicy,
    now,
    random: deps.random ?? Math.random,
  });

  // Background delivery (only between start() and close()).
  let started = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let runAgain = false;

  async function records(): Promise<OutboxRecord[]> {
    const all: OutboxRecord[] = [];
    for (const id of await store.ids()) {
      const record = await store.read(id);
      if (record) all.push(record);
    }
    return all;
  }

  /** For the background schedule: a damaged item is reported by list(), not a reason to stop. */
  async function readableRecords(): Promise<OutboxRecord[]> {
    const all: OutboxRecord[] = [];
    for (const id of await store.ids()) {
      const record = await store.read(id).catch(() => null);
      if (record) all.push(record);
    }
    return all;
  }

  function schedule(records: OutboxRecord[]): void {
    if (!started) return;
    const at = now().getTime();
    const dueTimes = records.flatMap((record) => {
      if (record.state === 'retrying' && record.nextAttemptAt !== null)
        return [new Date(record.nextAttemptAt).getTime()];
      // Still waiting after a full pass: another process (a `sealmail outbox flush`) holds it, or
      // its Sent copy failed. Look again later rather than only when the user next sends.
      if (record.state === 'queued' || record.state === 'sending') return [at + retryPolicy.firstDelayMs];
      if (record.state === 'sent') return [at + retryPolicy.maxDelayMs];
      return [];
    });
    if (dueTimes.length === 0) return;
    const delay = Math.max(0, Math.min(...dueTimes) - at);
    // setTimeout overflows past 2^31-1 ms; waking early only re-checks the schedule.
    timer = setTimeout(kick, Math.min(delay, 2 ** 31 - 1));
  }

  async function runDue(): Promise<void> {
    do {
      runAgain = false;
      for (const id of await store.ids()) {
        if (!started) return;
        await delivery.attempt(id, 'due').catch((error: unknown) => {
          console.error(`sealmail: outbox item ${id} could not be processed:`, error);
        });
      }
    } while (runAgain && started);
    schedule(await readableRecords());
  }

  function kick(): void {
    if (!started) return;
    if (timer) clearTimeout(timer);
    timer = null;
    if (running) {
      runAgain = true;
      return;
    }
    running = runDue()
      .catch((error: unknown) => console.error('sealmail: outbox delivery stopped:', error))
      .finally(() => {
        running = null;
      });
  }

  async function enqueueRaw(
    accountId: string,
    raw: Uint8Array,
    envelope: SmtpEnvelope,
    options: { saveToSent?: boolean } = {},
  ): Promise<OutboxItem> {
    if (envelope.to.length === 0)
      throw new SealmailError(
        'INVALID_REQUEST',
        'The message has no recipient: add at least one To, Cc or Bcc address.',
      );
    const headers = await readOutgoingHeaders(raw);
    const createdAt = now();
    const record: OutboxRecord = {
      version: 1,
      id: newOutboxId(createdAt),
      accountId,
      messageId: headers.messageId,
      subject: headers.subject,
      envelope: { from: envelope.from, to: [...envelope.to] },
      state: 'queued',
      attempts: 0,
      nextAttemptAt: null,
      lastError: null,
      createdAt: createdAt.toISOString(),
      sentAt: null,
      ...(options.saveToSent === false ? { saveToSent: false } : {}),
    };
    await store.create(record, raw);
    const item = toOutboxItem(record);
    deps.events.emit('outbox.changed', { item });
    return item;
  }

  async function queue(accountId: string, message: OutgoingMessage): Promise<OutboxItem> {
    const account = await deps.getAccount(accountId);
    const composed = await composeMessage(account, message, now());
    return enqueueRaw(accountId, composed.raw, composed.envelope);
  }

  async function withLock<T>(id: string, work: () => Promise<T>): Promise<T> {
    const lock = await lockItem(store.lockFile(id));
    if (!lock) {
      if (!(await store.read(id)))
        throw new SealmailError('NOT_FOUND', `There is no outbox item ${id}; see \`sealmail outbox list\`.`);
      throw new SealmailError(
        'INVALID_REQUEST',
        `Outbox item ${id} is being sent right now; try again in a moment.`,
      );
    }
    try {
      return await work();
    } finally {
      await lock.release();
      store.removeLockIfGone(id);
    }
  }

  return {
    queue,
    enqueueRaw,

    async send(accountId, message) {
      const item = await queue(accountId, message);
      kick();
      return item;
    },

    async compose(accountId, message) {
      const composed = await composeMessage(await deps.getAccount(accountId), message, now());
      return { raw: composed.raw, messageId: composed.messageId };
    },

    // The worker sealed these bytes; re-composing would break the signature, so they go as they are.
    async sendSealed(accountId, message) {
      const account = await deps.getAccount(accountId);
      const item = await enqueueRaw(
        accountId,
        message.raw,
        { from: account.email, to: message.recipients },
        { saveToSent: message.saveToSent },
      );
      kick();
      return item;
    },

    async list(accountId) {
      const all = (await records()).map(toOutboxItem);
      return accountId === undefined ? all : all.filter((item) => item.accountId === accountId);
    },

    async retry(id) {
      const item = await withLock(id, async () => {
        const record = await store.read(id);
        if (!record)
          throw new SealmailError(
            'NOT_FOUND',
            `There is no outbox item ${id}; see \`sealmail outbox list\`.`,
          );
        // A sent item is never submitted again; retrying it only retries its Sent copy.
        if (record.state === 'sent') return toOutboxItem(record);
        return toOutboxItem(await delivery.save({ ...record, state: 'queued', nextAttemptAt: null }));
      });
      kick();
      return item;
    },

    async remove(id) {
      await withLock(id, async () => {
        // A damaged item must stay removable: that is the way out its error message names.
        const record = await store.read(id).catch(() => null);
        if (!record && !existsSync(store.itemDir(id)))
          throw new SealmailError(
            'NOT_FOUND',
            `There is no outbox item ${id}; see \`sealmail outbox list\`.`,
          );
        await store.remove(id);
        if (record) deps.events.emit('outbox.changed', { item: toOutboxItem(record) });
      });
    },

    deliverNow: (id) => delivery.attempt(id, 'now'),

    async flush() {
      await sweepOutboxLeftovers(store, now());
      const results: DeliveryResult[] = [];
      const busy: string[] = [];
      for (const id of await store.ids()) {
        const result = await delivery.attempt(id, 'now');
        if (result) results.push(result);
        else if (await store.read(id)) busy.push(id);
      }
      return { results, busy };
    },

    async start() {
      await sweepOutboxLeftovers(store, now());
      started = true;
      kick();
    },

    async close() {
      started = false;
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
    },
  };
}
