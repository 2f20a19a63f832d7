// A hand-written stand-in for AppServices, for the tests of the transports (dispatch, ipcMain
// bridge, browser host): what is under test there is how requests and answers travel, not the
// mail engine, which its own integration tests run against real Dovecot and Postfix.
import type { AppServices } from '../../electron/services/app-services.js';
import { EventBus } from '../../electron/services/event-bus.js';
import { SealmailError } from '../../core/errors.js';
import { notUnderTest, securityNotUnderTest } from '../support/services-not-under-test.js';
import type { AccountSummary, OutboxItem } from '../../core/api/types.js';

export const aliceAccount: AccountSummary = {
  id: 'alice',
  name: 'Alice',
  email: 'alice@example.test',
  username: 'alice@example.test',
  imap: { host: '127.0.0.1', port: 1993, tls: 'tls' },
  smtp: { host: '127.0.0.1', port: 1587, tls: 'starttls' },
};

/** The raw bytes the stand-in serves: every byte value, so encoding damage shows. */
export const rawMessage = Uint8Array.from({ length: 256 }, (_, i) => i);

export interface StandIn {
  services: AppServices;
  /** Every call the services received, in order, with its arguments. */
  calls: Array<{ method: string; args: unknown[] }>;
}

export function createStandInServices(): StandIn {
  const calls: StandIn['calls'] = [];
  const record = (method: string, ...args: unknown[]): void => {
    calls.push({ method, args });
  };
  const queued = (accountId: string, subject: string): OutboxItem => ({
    id: 'o1',
    accountId,
    subject,
    recipients: [],
    state: 'queued',
    attempts: 0,
    nextAttemptAt: null,
    lastError: null,
    createdAt: '2026-01-01T00:00:00.000Z',
  });
  const events = new EventBus();
  const services: AppServices = {
    accounts: {
      list: async () => (record('accounts.list'), [aliceAccount]),
      add: async (account) => (record('accounts.add', account), aliceAccount),
      remove: async (accountId) => {
        record('accounts.remove', accountId);
        throw new SealmailError('NOT_FOUND', `No account "${accountId}".`);
      },
      test: async (accountId) => (
        record('accounts.test', accountId),
        { imap: { ok: true, message: 'ok' }, smtp: { ok: true, message: 'ok' } }
      ),
    },
    folders: {
      list: async (accountId) => {
        record('folders.list', accountId);
        throw new Error('the stand-in has no folders');
      },
    },
    messages: {
      list: async (request) => (
        record('messages.list', request),
        { total: 0, offset: request.offset, items: [] }
      ),
      fetchRaw: async (request) => (record('messages.fetchRaw', request), rawMessage),
      setFlags: async (request) => record('messages.setFlags', request),
      move: async (request) => record('messages.move', request),
      delete: async (request) => record('messages.delete', request),
    },
    sync: {
      folder: async (accountId, folder) => (
        record('sync.folder', accountId, folder),
        { total: 1, added: 1, removed: 0 }
      ),
    },
    outbox: {
      send: async (accountId, message) => (
        record('mail.send', accountId, message),
        queued(accountId, message.subject)
      ),
      list: async (accountId) => (record('outbox.list', accountId), []),
      retry: async (id) => (record('outbox.retry', id), queued('alice', 'retried')),
      remove: async (id) => record('outbox.remove', id),
      compose: notUnderTest<AppServices['outbox']>('outbox').compose,
      sendSealed: notUnderTest<AppServices['outbox']>('outbox').sendSealed,
    },
    ...securityNotUnderTest(events),
    events,
    close: async () => record('close'),
  };
  return { services, calls };
}
