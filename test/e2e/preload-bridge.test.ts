// In the app the renderer talks to main through the preload's window.sealmail, and then it must
// not open the browser host's WebSocket at all. Electron's binary cannot run here, so the bridge
// is a STAND-IN injected before the page loads (the real preload has its own unit tests); what is
// under test is the renderer's choice of transport.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { SealmailError } from '../../core/errors.js';
import type { AppServices } from '../../electron/services/app-services.js';
import { EventBus } from '../../electron/services/event-bus.js';
import { startBrowserHost, type BrowserHost } from '../../electron/main/browser-host.js';
import { launchChromium } from '../support/chromium.js';
import { notUnderTest } from '../support/services-not-under-test.js';
import { rendererDir } from './alice-desktop.js';

const unused = async (): Promise<never> => {
  throw new SealmailError('INTERNAL', 'the page should use window.sealmail, not the browser host');
};

/** The browser host only serves the files here; every service call would be a failure. */
const noServices: AppServices = {
  accounts: { list: unused, add: unused, remove: unused, test: unused },
  folders: { list: unused },
  messages: { list: unused, fetchRaw: unused, setFlags: unused, move: unused, delete: unused },
  sync: { folder: unused },
  outbox: { send: unused, list: unused, retry: unused, remove: unused, compose: unused, sendSealed: unused },
  security: notUnderTest('security'),
  policy: notUnderTest('policy'),
  files: notUnderTest('files'),
  remoteContent: notUnderTest('remoteContent'),
  enrollmentLinks: notUnderTest('enrollmentLinks'),
  events: new EventBus(),
  close: async () => undefined,
};

let host: BrowserHost;
let browser: Browser;

beforeAll(async () => {
  host = await startBrowserHost({ services: noServices, rendererDir });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await host?.close();
});

test('with window.sealmail present, the renderer uses it and opens no WebSocket', async () => {
  const context = await browser.newContext();
  try {
    // Runs in the page before its scripts, as contextBridge.exposeInMainWorld would.
    await context.addInitScript(() => {
      const calls: string[] = [];
      const answers: Record<string, unknown> = {
        'accounts.list': [
          {
            id: 'alice',
            name: 'Alice in Electron',
            email: 'alice@example.test',
            username: 'alice@example.test',
            imap: { host: 'mail.example.test', port: 993, tls: 'tls' },
            smtp: { host: 'mail.example.test', port: 587, tls: 'starttls' },
          },
        ],
        'folders.list': [
          { path: 'INBOX', name: 'INBOX', specialUse: null, delimiter: '/', total: 1, unseen: 0 },
        ],
        'messages.list': {
          total: 1,
          offset: 0,
          items: [
            {
              uid: 7,
              from: 'bob@example.test',
              to: ['alice@example.test'],
              subject: 'Hello through the preload',
              date: '2026-11-20T10:00:00.000Z',
              flags: ['\\Seen'],
              size: 100,
              security: 'none',
              hasAttachments: false,
            },
          ],
        },
        'sync.folder': { total: 1, added: 0, removed: 0 },
        'outbox.list': [],
      };
      Object.assign(window, {
        stubCalls: calls,
        sealmail: {
          invoke: async (channel: string) => {
            calls.push(channel);
            return channel in answers
              ? { ok: true, value: answers[channel] }
              : { ok: false, error: { code: 'INTERNAL', message: `no answer for ${channel}` } };
          },
          on: () => () => undefined,
        },
      });
    });
    const page = await context.newPage();
    const sockets: string[] = [];
    page.on('websocket', (socket) => sockets.push(socket.url()));
    // The secret in the address would let the page use the browser host; it must not.
    await page.goto(host.url);

    const row = page
      .getByRole('listbox', { name: 'Messages in INBOX' })
      .getByRole('option', { name: /Hello through the preload/ });
    await row.waitFor();
    expect(await page.getByRole('heading', { name: 'Alice in Electron' }).isVisible()).toBe(true);
    const calls = await page.evaluate(() => (window as unknown as { stubCalls: string[] }).stubCalls);
    expect(calls).toEqual(expect.arrayContaining(['accounts.list', 'folders.list', 'messages.list']));
    expect(sockets).toEqual([]);
  } finally {
    await context.close();
  }
});
