// The outbox's state machine around one delivery (outbox-delivery.ts, refused-recipients.ts).
// MOCKS, named as such: the SMTP submission (sendRaw) and the Sent folder are stand-ins here,
// because a per-recipient 4xx and a crash at an exact step cannot be produced on demand with the
// test Postfix. The real stack runs the same code in test/integration/outbox-*.test.ts.
import { afterEach, beforeEach, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventBus } from '../../electron/services/event-bus.js';
import type { StoredAccount } from '../../electron/services/accounts/stored-account.js';
import { createDelivery, type SmtpAcceptance } from '../../electron/services/outbox/outbox-delivery.js';
import { newOutboxId, OutboxStore } from '../../electron/services/outbox/outbox-store.js';
import type { OutboxRecord } from '../../electron/services/outbox/outbox-record.js';
import { refusedItemId } from '../../electron/services/outbox/refused-recipients.js';

const account: StoredAccount = {
  id: 'alice',
  name: 'Alice',
  email: 'alice@example.test',
  username: 'alice@example.test',
  imap: { host: 'imap.example.test', port: 993, tls: 'tls' },
  smtp: { host: 'smtp.example.test', port: 587, tls: 'starttls' },
};
const server = 'smtp.example.test:587';
const raw = new TextEncoder().encode('Message-ID: <m1@example.test>\r\nSubject: Hi\r\n\r\nHello\r\n');
const policy = { firstDelayMs: 1_000, maxDelayMs: 8_000, giveUpAfterMs: 24 * 60 * 60_000 };

let dir: string;
let store: OutboxStore;
let clock: Date;
let submissions: string[][];
let submit: () => Promise<SmtpAcceptance>;
let sentCopies: string[];
let copy: () => Promise<void>;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sealmail-delivery-'));
  store = new OutboxStore(dir);
  clock = new Date('2026-03-01T10:00:00Z');
  submissions = [];
  submit = async () => ({ refused: [] });
  sentCopies = [];
  copy = async () => undefined;
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function delivery() {
  return createDelivery({
    store,
    events: new EventBus(),
    getAccount: async () => account,
    getPassword: async () => 'alice-pass',
    sentFolder: {
      async ensureCopy(_account, _password, _raw, messageId) {
        await copy();
        sentCopies.push(messageId);
        return 'appended';
      },
    },
    sendRaw: async (_account, _password, envelope) => {
      submissions.push([...envelope.to]);
      return submit();
    },
    retryPolicy: policy,
    now: () => clock,
    random: () => 0,
  });
}

async function queued(overrides: Partial<OutboxRecord> = {}): Promise<OutboxRecord> {
  const record: OutboxRecord = {
    version: 1,
    id: newOutboxId(clock),
    accountId: 'alice',
    messageId: '<m1@example.test>',
    subject: 'Hi',
    envelope: {
      from: 'alice@example.test',
      to: ['bob@example.test', 'carol@example.test', 'dave@example.test'],
    },
    state: 'queued',
    attempts: 0,
    nextAttemptAt: null,
    lastError: null,
    createdAt: clock.toISOString(),
    sentAt: null,
    ...overrides,
  };
  await store.create(record, raw);
  return record;
}

function smtpError(reply: string): Error {
  return Object.assign(new Error(`Can't send mail: ${reply}`), {
    code: 'EENVELOPE',
    response: reply,
    responseCode: Number(reply.slice(0, 3)),
  });
}

test('a delivered message is copied to Sent once and leaves the outbox', async () => {
  const item = await queued();
  const result = await delivery().attempt(item.id, 'due');
  expect(result?.item.state).toBe('sent');
  expect(result?.copiedToSent).toBe(true);
  expect(submissions).toHaveLength(1);
  expect(sentCopies).toEqual(['<m1@example.test>']);
  expect(await store.ids()).toEqual([]);
});

test('a Bcc copy of an encrypted send (saveToSent false) is delivered but not copied to Sent', async () => {
  const item = await queued({
    envelope: { from: 'alice@example.test', to: ['carol@example.test'] },
    saveToSent: false,
  });
  const result = await delivery().attempt(item.id, 'due');
  expect(result?.item.state).toBe('sent');
  expect(submissions).toEqual([['carol@example.test']]);
  expect(sentCopies).toEqual([]);
  expect(await store.ids()).toEqual([]);
});

test('recipients refused with 5xx and with 4xx get a failed and a retrying item of their own', async () => {
  const item = await queued();
  submit = async () => ({
    refused: [
      { address: 'carol@example.test', reply: '550 5.1.1 User unknown', temporary: false },
      { address: 'dave@example.test', reply: '452 4.5.3 Error: too many recipients', temporary: true },
    ],
  });
  const result = await delivery().attempt(item.id, 'now');
  expect(result?.item.state).toBe('sent');
  expect(result?.refused.map((other) => [other.state, other.recipients])).toEqual([
    ['failed', ['carol@example.test']],
    ['retrying', ['dave@example.test']],
  ]);
  expect(result?.refused[0]?.lastError).toEqual({
    code: 'SMTP_PERMANENT',
    message: `${server} refused carol@example.test: 550 5.1.1 User unknown`,
  });
  expect(result?.refused[1]?.lastError?.code).toBe('SMTP_TEMPORARY');
  expect(result?.refused[1]?.nextAttemptAt).toBe('2026-03-01T10:00:00.500Z');
  // The parent is gone; its refused recipients wait with the same bytes.
  expect((await store.ids()).sort()).toEqual(
    [refusedItemId(item.id, true), refusedItemId(item.id, false)].sort(),
  );
  expect(await store.readRaw(refusedItemId(item.id, true))).toEqual(raw);

  // When the server takes dave later, he gets it; the Sent copy is not made twice.
  clock = new Date('2026-03-01T10:00:01Z');
  submit = async () => ({ refused: [] });
  const later = await delivery().attempt(refusedItemId(item.id, true), 'due');
  expect(later?.item.state).toBe('sent');
  expect(submissions.at(-1)).toEqual(['dave@example.test']);
});

test('a crash right after "sent" loses no refused recipient and submits nothing again', async () => {
  // What state.json holds when the process died between recording "sent" and making the items.
  const item = await queued({
    state: 'sent',
    attempts: 1,
    sentAt: clock.toISOString(),
    refusal: {
      server,
      recipients: [{ address: 'carol@example.test', reply: '550 5.1.1 User unknown', temporary: false }],
    },
  });
  const result = await delivery().attempt(item.id, 'due');
  expect(submissions).toEqual([]);
  expect(result?.refused.map((other) => other.recipients)).toEqual([['carol@example.test']]);
  expect(sentCopies).toHaveLength(1);
  expect(await store.ids()).toEqual([refusedItemId(item.id, false)]);
});

test('a crash after the refused items were made does not make them twice', async () => {
  const item = await queued({
    state: 'sent',
    attempts: 1,
    sentAt: clock.toISOString(),
    refusal: {
      server,
      recipients: [{ address: 'carol@example.test', reply: '550 5.1.1 User unknown', temporary: false }],
    },
  });
  copy = async () => {
    throw new Error('IMAP is down');
  };
  const first = await delivery().attempt(item.id, 'due');
  expect(first?.copiedToSent).toBe(false);
  expect(first?.item.lastError?.message).toContain('sent, but not yet copied to Sent');
  copy = async () => undefined;
  await delivery().attempt(item.id, 'due');
  expect(submissions).toEqual([]);
  expect(sentCopies).toHaveLength(1);
  expect(await store.ids()).toEqual([refusedItemId(item.id, false)]);
});

test('a temporary failure waits for its time, unless the user asks now', async () => {
  const item = await queued();
  submit = async () => {
    throw smtpError('451 4.3.0 Temporary lookup failure');
  };
  const first = await delivery().attempt(item.id, 'due');
  expect(first?.item).toMatchObject({
    state: 'retrying',
    attempts: 1,
    nextAttemptAt: '2026-03-01T10:00:00.500Z',
  });
  expect(first?.item.lastError?.code).toBe('SMTP_TEMPORARY');

  const early = await delivery().attempt(item.id, 'due');
  expect(early?.item.attempts).toBe(1);
  expect(submissions).toHaveLength(1);

  const asked = await delivery().attempt(item.id, 'now');
  expect(asked?.item).toMatchObject({
    state: 'retrying',
    attempts: 2,
    nextAttemptAt: '2026-03-01T10:00:01.000Z',
  });
  expect(submissions).toHaveLength(2);
});

test('a permanent failure stays in the outbox, failed, and is not tried again by itself', async () => {
  const item = await queued();
  submit = async () => {
    throw smtpError('554 5.7.1 Relay access denied');
  };
  const result = await delivery().attempt(item.id, 'due');
  expect(result?.item.state).toBe('failed');
  expect(result?.item.lastError).toEqual({
    code: 'SMTP_PERMANENT',
    message: `${server} refused the message: 554 5.7.1 Relay access denied`,
  });
  await delivery().attempt(item.id, 'now');
  expect(submissions).toHaveLength(1);
  expect(await store.ids()).toEqual([item.id]);
});

test('after five days of temporary failures the outbox gives up and says so', async () => {
  const item = await queued({
    createdAt: '2026-02-20T10:00:00Z',
    attempts: 40,
    state: 'retrying',
    nextAttemptAt: '2026-03-01T09:00:00Z',
  });
  submit = async () => {
    throw smtpError('421 4.3.2 Service shutting down');
  };
  const result = await delivery().attempt(item.id, 'due');
  expect(result?.item.state).toBe('failed');
  expect(result?.item.lastError?.message).toMatch(/^gave up after 41 attempts since 2026-02-20T10:00:00Z: /);
});

test('an item left in "sending" by a crash is sent again (the documented at-least-once window)', async () => {
  const item = await queued({ state: 'sending', attempts: 1 });
  const result = await delivery().attempt(item.id, 'due');
  expect(result?.item.state).toBe('sent');
  expect(submissions).toHaveLength(1);
});
