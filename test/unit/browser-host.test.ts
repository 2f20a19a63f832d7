// The browser host serves the same handler table as ipcMain over a WebSocket on 127.0.0.1,
// guarded by a per-run secret (sent in the first frame, carried in the URL fragment) and by the
// Origin and Host headers. Real HTTP and WebSocket on loopback; the services are the stand-in.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { decodeFrame, encodeFrame, type ClientFrame } from '../../core/api/wire.js';
import { startBrowserHost, type BrowserHost } from '../../electron/main/browser-host.js';
import { aliceAccount, createStandInServices, rawMessage, type StandIn } from './app-services-stand-in.js';

let rendererDir: string;
let secretDir: string;
let host: BrowserHost;
let standIn: StandIn;
let origin: string;
let secret: string;

beforeAll(async () => {
  rendererDir = mkdtempSync(join(tmpdir(), 'sealmail-renderer-'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Sealmail</title>');
  // A file next to the renderer that no URL may reach.
  secretDir = mkdtempSync(join(tmpdir(), 'sealmail-private-'));
  writeFileSync(join(secretDir, 'secret.txt'), 'private');
  standIn = createStandInServices();
  host = await startBrowserHost({ services: standIn.services, rendererDir, log: () => undefined });
  const url = new URL(host.url);
  origin = url.origin;
  secret = new URLSearchParams(url.hash.slice(1)).get('secret') ?? '';
});

afterAll(async () => {
  await host?.close();
  rmSync(rendererDir, { recursive: true, force: true });
  rmSync(secretDir, { recursive: true, force: true });
});

interface Session {
  socket: WebSocket;
  /** Frames from the host, in order. */
  frames: unknown[];
  next(): Promise<unknown>;
  send(frame: ClientFrame): void;
  closed: Promise<{ code: number; reason: string }>;
}

function open(headers: Record<string, string> = { Origin: origin }): Promise<Session> {
  const socket = new WebSocket(`${origin.replace('http:', 'ws:')}/api`, { headers });
  const frames: unknown[] = [];
  const waiting: Array<(frame: unknown) => void> = [];
  socket.on('message', (data) => {
    const frame = decodeFrame(String(data));
    const waiter = waiting.shift();
    if (waiter) waiter(frame);
    else frames.push(frame);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  return new Promise((resolve, reject) => {
    socket.once('open', () =>
      resolve({
        socket,
        frames,
        closed,
        next: () =>
          frames.length > 0
            ? Promise.resolve(frames.shift())
            : new Promise((resolveFrame) => waiting.push(resolveFrame)),
        send: (frame) => socket.send(encodeFrame(frame)),
      }),
    );
    socket.once('error', reject);
  });
}

async function welcomed(): Promise<Session> {
  const session = await open();
  session.send({ type: 'hello', secret });
  expect(await session.next()).toEqual({ type: 'welcome' });
  return session;
}

describe('browser host', () => {
  it('prints a loopback URL that carries a long random secret in the fragment', () => {
    const url = new URL(host.url);
    expect(url.hostname).toBe('127.0.0.1');
    expect(secret.length).toBeGreaterThanOrEqual(40);
  });

  it('serves the renderer with the strict CSP that allows only its own WebSocket', async () => {
    const response = await fetch(`${origin}/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<title>Sealmail</title>');
    const policy = response.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("script-src 'self';");
    expect(policy).toContain(`connect-src 'self' ${origin.replace('http:', 'ws:')}`);
  });

  it('serves no file outside the renderer directory', async () => {
    for (const path of [
      '/../sealmail-private/secret.txt',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/..%2f..%2fetc%2fpasswd',
      '/missing.js',
    ]) {
      const response = await fetch(`${origin}${path}`);
      expect(response.status).toBe(404);
    }
  });

  it('answers a page reached under another host name (DNS rebinding) with 421', async () => {
    const { port } = new URL(origin);
    const status = await new Promise<number>((resolve, reject) => {
      import('node:http').then(({ request }) => {
        const req = request(
          { host: '127.0.0.1', port, path: '/', headers: { Host: `rebound.example:${port}` } },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        req.end();
      }, reject);
    });
    expect(status).toBe(421);
  });

  it('refuses a WebSocket from another Origin', async () => {
    await expect(open({ Origin: 'http://evil.example' })).rejects.toThrow('403');
    await expect(open({ Origin: 'http://localhost:1' })).rejects.toThrow('403');
    await expect(open({})).rejects.toThrow('403');
  });

  it('refuses the wrong secret: closes with a policy violation and calls no service', async () => {
    const before = standIn.calls.length;
    const session = await open();
    session.send({ type: 'hello', secret: `${secret.slice(0, -1)}x` });
    expect((await session.closed).code).toBe(1008);
    expect(session.frames).toEqual([]);
    expect(standIn.calls.length).toBe(before);
  });

  it('refuses an invoke before hello', async () => {
    const before = standIn.calls.length;
    const session = await open();
    session.send({ type: 'invoke', id: 1, channel: 'accounts.list', request: {} });
    expect((await session.closed).code).toBe(1008);
    expect(session.frames).toEqual([]);
    expect(standIn.calls.length).toBe(before);
  });

  it('serves the handler table after the right secret, bytes included', async () => {
    const session = await welcomed();
    session.send({ type: 'invoke', id: 1, channel: 'accounts.list', request: {} });
    expect(await session.next()).toEqual({
      type: 'result',
      id: 1,
      result: { ok: true, value: [aliceAccount] },
    });
    session.send({
      type: 'invoke',
      id: 2,
      channel: 'messages.fetchRaw',
      request: { accountId: 'alice', folder: 'INBOX', uid: 3 },
    });
    expect(await session.next()).toEqual({
      type: 'result',
      id: 2,
      result: { ok: true, value: { raw: rawMessage } },
    });
    session.socket.close();
  });

  it('restores bytes in a request before validation', async () => {
    const session = await welcomed();
    const content = Uint8Array.from([0, 1, 2, 255]);
    const message = {
      to: ['bob@example.test'],
      subject: 'With attachment',
      text: 'See attached.',
      attachments: [{ filename: 'a.bin', contentType: 'application/octet-stream', content }],
    };
    session.send({ type: 'invoke', id: 9, channel: 'mail.send', request: { accountId: 'alice', message } });
    expect(await session.next()).toMatchObject({ type: 'result', id: 9, result: { ok: true } });
    const sent = standIn.calls.filter((call) => call.method === 'mail.send').at(-1);
    expect(sent?.args[1]).toMatchObject({ attachments: [{ content }] });
    session.socket.close();
  });

  it('answers an unknown channel with UNKNOWN_CHANNEL and an invalid payload with INVALID_REQUEST', async () => {
    const session = await welcomed();
    session.send({ type: 'invoke', id: 3, channel: 'accounts.drop' as 'accounts.list', request: {} });
    expect(await session.next()).toMatchObject({
      id: 3,
      result: { ok: false, error: { code: 'UNKNOWN_CHANNEL' } },
    });
    session.send({ type: 'invoke', id: 4, channel: 'folders.list', request: { accountId: '' } });
    expect(await session.next()).toMatchObject({
      id: 4,
      result: { ok: false, error: { code: 'INVALID_REQUEST' } },
    });
    session.socket.close();
  });

  it('forwards service events to a welcomed page, and to no other', async () => {
    const stranger = await open();
    const session = await welcomed();
    standIn.services.events.emit('outbox.changed', {
      item: {
        id: 'o1',
        accountId: 'alice',
        subject: 'Hi',
        recipients: ['bob@example.test'],
        state: 'sent',
        attempts: 1,
        nextAttemptAt: null,
        lastError: null,
        createdAt: '2026-01-01T00:00:00.000Z',
      },
    });
    expect(await session.next()).toMatchObject({
      type: 'event',
      event: 'outbox.changed',
      payload: { item: { state: 'sent' } },
    });
    // The stranger never said hello: round-trip a frame on the welcomed page first, so the event
    // would have reached the stranger by now if it were sent to it.
    session.send({ type: 'invoke', id: 5, channel: 'accounts.list', request: {} });
    expect(await session.next()).toMatchObject({ id: 5 });
    expect(stranger.frames).toEqual([]);
    stranger.socket.close();
    session.socket.close();
  });
});
