// The browser host: serves the same handler table as Electron's ipcMain to the same renderer
// running in an ordinary browser (end-to-end tests in Chromium, `npm run dev:browser`). It binds
// to 127.0.0.1 only, and every WebSocket must prove it was opened by whoever started the host:
//   - a per-run secret travels in the URL fragment, which browsers never send over HTTP, so it
//     stays out of request lines, proxies and logs; the page sends it in its first frame;
//   - the Origin of the WebSocket must be the host's own, so another site open in the same
//     browser cannot drive the API (cross-site WebSocket hijacking);
//   - the Host header must be the host's own, which defeats DNS rebinding.
// The protocol is core/api/wire.ts.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import { events } from '../../core/api/channels.js';
import { decodeFrame, encodeFrame, type HostFrame } from '../../core/api/wire.js';
import type { AppServices } from '../services/app-services.js';
import { contentSecurityPolicy } from './content-security-policy.js';
import { dispatch, type ErrorLog } from './ipc-dispatch.js';
import { createHandlerTable } from './ipc-handlers.js';
import { readRendererFile } from './renderer-files.js';
import { createSafeShell, type SafeShell } from './safe-shell.js';

export interface BrowserHostOptions {
  services: AppServices;
  rendererDir: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /**
   * Opens external links. A browser host has no desktop shell of its own, so by default an
   * allowlisted link is printed for the person who started the host.
   */
  links?: SafeShell;
  log?: ErrorLog;
}

export interface BrowserHost {
  /** http://127.0.0.1:PORT/#secret=... — open this page; it carries the secret. */
  url: string;
  close(): Promise<void>;
}

/** Close code 1008: policy violation (RFC 6455 section 7.4.1). */
const POLICY_VIOLATION = 1008;
// mail.send carries attachments as base64 inside JSON; 64 MiB leaves room for a 40 MB message.
const MAX_FRAME_BYTES = 64 * 1024 * 1024;

export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const { services, rendererDir } = options;
  const log = options.log ?? ((message: string, error: unknown) => console.error(message, error));
  const links =
    options.links ??
    createSafeShell({
      openExternal: async (url) => {
        console.log(`sealmail browser host: open this link yourself: ${url}`);
      },
    });
  const table = createHandlerTable(services, links);
  const secret = randomBytes(32).toString('base64url');
  const secretDigest = digest(secret);

  let origin = '';
  let host = '';
  let policy = '';

  const server = createServer((request, response) => {
    serveFile(request, response).catch((error: unknown) => {
      log('sealmail browser host: serving a file failed:', error);
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });

  async function serveFile(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const headers = {
      'Content-Security-Policy': policy,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Resource-Policy': 'same-origin',
    };
    if (request.headers.host !== host) {
      response.writeHead(421, headers).end();
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { ...headers, Allow: 'GET, HEAD' }).end();
      return;
    }
    const path = new URL(request.url ?? '/', origin).pathname;
    const file = await readRendererFile(rendererDir, path);
    if (!file) {
      response.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found\n');
      return;
    }
    response.writeHead(200, {
      ...headers,
      'Content-Type': file.contentType,
      'Content-Length': file.body.length,
    });
    response.end(request.method === 'HEAD' ? undefined : file.body);
  }

  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });

  server.on('upgrade', (request, socket, head) => {
    const path = new URL(request.url ?? '/', origin).pathname;
    if (path !== '/api' || request.headers.host !== host || request.headers.origin !== origin) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => serveApi(ws));
  });

  function serveApi(ws: WebSocket): void {
    let welcomed = false;
    const unsubscribes: Array<() => void> = [];
    const send = (frame: HostFrame): void => {
      if (ws.readyState === ws.OPEN) ws.send(encodeFrame(frame));
    };

    ws.on('message', (data, isBinary) => {
      const frame = isBinary ? null : parseClientFrame(data.toString());
      if (!welcomed) {
        if (frame?.type !== 'hello' || !secretMatches(frame.secret)) {
          ws.close(POLICY_VIOLATION, 'hello with the right secret expected');
          return;
        }
        welcomed = true;
        for (const event of events) {
          unsubscribes.push(services.events.on(event, (payload) => send({ type: 'event', event, payload })));
        }
        send({ type: 'welcome' });
        return;
      }
      if (frame?.type !== 'invoke') {
        ws.close(POLICY_VIOLATION, 'invoke frame expected');
        return;
      }
      void dispatch(table, frame.channel, frame.request, log).then((result) =>
        send({ type: 'result', id: frame.id, result }),
      );
    });
    ws.on('close', () => unsubscribes.forEach((unsubscribe) => unsubscribe()));
    ws.on('error', (error) => log('sealmail browser host: WebSocket error:', error));
  }

  function secretMatches(given: string): boolean {
    // Compare digests so the comparison takes the same time whatever the length of `given`.
    return timingSafeEqual(digest(given), secretDigest);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  host = `127.0.0.1:${port}`;
  origin = `http://${host}`;
  policy = contentSecurityPolicy({ connectSources: [`ws://${host}`] });

  return {
    url: `${origin}/#secret=${secret}`,
    async close() {
      for (const ws of sockets.clients) ws.terminate();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}

type ParsedClientFrame =
  | { type: 'hello'; secret: string }
  | { type: 'invoke'; id: number; channel: unknown; request: unknown }
  | null;

/** Checks the shape of a client frame; the channel and request are checked by dispatch(). */
function parseClientFrame(text: string): ParsedClientFrame {
  let value: unknown;
  try {
    value = decodeFrame(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const frame = value as Record<string, unknown>;
  if (frame.type === 'hello' && typeof frame.secret === 'string')
    return { type: 'hello', secret: frame.secret };
  if (frame.type === 'invoke' && typeof frame.id === 'number' && Number.isSafeInteger(frame.id)) {
    return { type: 'invoke', id: frame.id, channel: frame.channel, request: frame.request };
  }
  return null;
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
