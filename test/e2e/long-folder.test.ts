// A folder of 50,000 messages in the real renderer (Chromium, browser host). The services here
// are a STAND-IN for the mail engine's cache that makes up 50,000 summaries on request: what is
// under test is the virtualised list, not the engine (bench/ fills a real Dovecot folder with
// 50,000 messages and measures the engine).
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import type { FolderSummary, MessageSummary } from '../../core/api/types.js';
import type { ValidRequestOf } from '../../core/api/schemas.js';
import { SealmailError } from '../../core/errors.js';
import type { AppServices } from '../../electron/services/app-services.js';
import { EventBus } from '../../electron/services/event-bus.js';
import { startBrowserHost, type BrowserHost } from '../../electron/main/browser-host.js';
import { launchChromium, openPage } from '../support/chromium.js';
import { securityNotUnderTest } from '../support/services-not-under-test.js';
import { rendererDir } from './alice-desktop.js';

const total = 50_000;
const pagesAsked: Array<{ offset: number; limit: number }> = [];

/** Newest first, as the cache answers: row 0 is message 50,000. */
function summaryAt(index: number): MessageSummary {
  const uid = total - index;
  return {
    uid,
    from: `sender${uid}@example.test`,
    to: ['alice@example.test'],
    subject: `Message ${uid}`,
    date: new Date(Date.UTC(2026, 0, 1) + uid * 60_000).toISOString(),
    flags: ['\\Seen'],
    size: 1000,
    security: 'none',
    hasAttachments: false,
  };
}

function rawMessage(uid: number): Uint8Array {
  return new TextEncoder().encode(
    `From: sender${uid}@example.test\r\nTo: alice@example.test\r\nSubject: Message ${uid}\r\n` +
      `Content-Type: text/plain; charset=utf-8\r\n\r\nThis is the body of message ${uid}.\r\n`,
  );
}

const notHere = async (): Promise<never> => {
  throw new SealmailError('INTERNAL', 'not part of the 50,000-message stand-in');
};

const inbox: FolderSummary = {
  path: 'INBOX',
  name: 'INBOX',
  specialUse: null,
  delimiter: '/',
  total,
  unseen: 0,
};

const events = new EventBus();
const standIn: AppServices = {
  accounts: {
    list: async () => [
      {
        id: 'alice',
        name: 'Alice long folder',
        email: 'alice@example.test',
        username: 'alice@example.test',
        imap: { host: '127.0.0.1', port: 993, tls: 'tls' },
        smtp: { host: '127.0.0.1', port: 587, tls: 'starttls' },
      },
    ],
    add: notHere,
    remove: notHere,
    test: notHere,
  },
  folders: { list: async () => [inbox] },
  messages: {
    list: async ({ offset, limit }: ValidRequestOf<'messages.list'>) => {
      pagesAsked.push({ offset, limit });
      const end = Math.min(total, offset + limit);
      return {
        total,
        offset,
        items: Array.from({ length: Math.max(0, end - offset) }, (_, i) => summaryAt(offset + i)),
      };
    },
    fetchRaw: async ({ uid }) => rawMessage(uid),
    setFlags: async () => undefined,
    move: notHere,
    delete: notHere,
  },
  sync: { folder: async () => ({ total, added: 0, removed: 0 }) },
  outbox: {
    send: notHere,
    list: async () => [],
    retry: notHere,
    remove: notHere,
    compose: notHere,
    sendSealed: notHere,
  },
  ...securityNotUnderTest(events),
  events,
  close: async () => undefined,
};

let host: BrowserHost;
let browser: Browser;

beforeAll(async () => {
  host = await startBrowserHost({ services: standIn, rendererDir });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await host?.close();
});

test('a folder of 50,000 messages shows a screenful of rows and scrolls to the last one', async () => {
  const { page, close } = await openPage(browser, host.url);
  try {
    const list = page.getByRole('listbox', { name: 'Messages in INBOX' });
    await list.getByRole('option', { name: /Message 50000\b/ }).waitFor();
    const rows = list.getByRole('option');
    expect(await rows.count()).toBeLessThan(60);
    expect(await rows.first().getAttribute('aria-setsize')).toBe(String(total));

    // The keyboard takes alice to the oldest message, the 50,000th row.
    await list.focus();
    await page.keyboard.press('End');
    const last = list.getByRole('option', { name: /Message 1\b/ });
    await last.waitFor();
    expect(await last.getAttribute('aria-posinset')).toBe(String(total));
    expect(await rows.count()).toBeLessThan(60);

    await page.keyboard.press('Enter');
    const body = page.getByRole('region', { name: 'Reader' }).getByText('This is the body of message 1.');
    await body.waitFor();
    expect(await body.isVisible()).toBe(true);

    // Only the pages on screen were asked for: the first and the last, not all 250.
    const asked = new Set(pagesAsked.map(({ offset }) => offset));
    expect(asked.size).toBeLessThanOrEqual(4);
    expect([...asked].some((offset) => offset + 200 >= total)).toBe(true);
  } finally {
    await close();
  }
});
