// The one typed API (ARCHITECTURE.md invariant 4), transport aside: the channel allowlist, schema
// validation of every payload, and result envelopes with string error codes. The services are
// the hand-written stand-in (test/unit/app-services-stand-in.ts): under test is the boundary, not
// the mail engine.
import { describe, expect, it } from 'vitest';
import { channels } from '../../core/api/channels.js';
import { dispatch } from '../../electron/main/ipc-dispatch.js';
import { createHandlerTable } from '../../electron/main/ipc-handlers.js';
import { createSafeShell } from '../../electron/main/safe-shell.js';
import { aliceAccount, createStandInServices, rawMessage } from './app-services-stand-in.js';

function tableOverStandIn() {
  const standIn = createStandInServices();
  const opened: string[] = [];
  const links = createSafeShell({ openExternal: async (url) => void opened.push(url) });
  const logged: string[] = [];
  const table = createHandlerTable(standIn.services, links);
  const call = (channel: unknown, payload: unknown) =>
    dispatch(table, channel, payload, (message) => logged.push(message));
  return { ...standIn, table, call, opened, logged };
}

describe('IPC dispatch', () => {
  it('has a handler for every allowlisted channel', () => {
    const { table } = tableOverStandIn();
    expect(Object.keys(table).sort()).toEqual([...channels].sort());
  });

  it('answers an allowlisted channel with {ok, value}', async () => {
    const { call } = tableOverStandIn();
    expect(await call('accounts.list', {})).toEqual({ ok: true, value: [aliceAccount] });
    expect(await call('messages.fetchRaw', { accountId: 'alice', folder: 'INBOX', uid: 7 })).toEqual({
      ok: true,
      value: { raw: rawMessage },
    });
  });

  it.each(['accounts.drop', 'constructor', '__proto__', 'toString', 42, null, undefined])(
    'refuses the channel %s with UNKNOWN_CHANNEL and calls no service',
    async (channel) => {
      const { call, calls } = tableOverStandIn();
      const result = await call(channel, {});
      expect(result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
      expect(calls).toEqual([]);
    },
  );

  it('refuses an invalid payload with INVALID_REQUEST naming the field, and calls no service', async () => {
    const { call, calls } = tableOverStandIn();
    const result = await call('messages.fetchRaw', { accountId: 'alice', folder: 'INBOX', uid: -1 });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    expect(!result.ok && result.error.message).toContain('uid');
    const bad = [
      ['accounts.list', { extra: true }],
      ['accounts.list', null],
      ['mail.send', { accountId: 'alice', message: { to: ['not-an-address'], subject: 's', text: 't' } }],
      ['messages.list', { accountId: 'alice', folder: 'INBOX', offset: 0, limit: 1_000_000 }],
      ['links.openExternal', { url: 42 }],
    ] as const;
    for (const [channel, payload] of bad) {
      expect(await call(channel, payload)).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    }
    expect(calls).toEqual([]);
  });

  it('passes the validated request, with defaults filled in, to the service', async () => {
    const { call, calls } = tableOverStandIn();
    await call('mail.send', {
      accountId: 'alice',
      message: { to: ['bob@example.test'], subject: 'Hi', text: 'Hello' },
    });
    expect(calls).toEqual([
      {
        method: 'mail.send',
        args: [
          'alice',
          {
            to: ['bob@example.test'],
            cc: [],
            bcc: [],
            subject: 'Hi',
            text: 'Hello',
            attachments: [],
            sensitivity: 'normal',
          },
        ],
      },
    ]);
  });

  it("keeps a service's error code and message, and logs the failure", async () => {
    const { call, logged } = tableOverStandIn();
    expect(await call('accounts.remove', { accountId: 'nobody' })).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'No account "nobody".' },
    });
    expect(logged.join('\n')).toContain('accounts.remove failed with NOT_FOUND');
  });

  it('turns an unforeseen error into INTERNAL with its message, never undefined', async () => {
    const { call } = tableOverStandIn();
    expect(await call('folders.list', { accountId: 'alice' })).toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: 'the stand-in has no folders' },
    });
  });

  it('opens only allowlisted links through links.openExternal', async () => {
    const { call, opened } = tableOverStandIn();
    expect(await call('links.openExternal', { url: 'https://example.org/' })).toEqual({
      ok: true,
      value: null,
    });
    expect(await call('links.openExternal', { url: 'file:///etc/passwd' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_REQUEST' },
    });
    expect(opened).toEqual(['https://example.org/']);
  });
});
