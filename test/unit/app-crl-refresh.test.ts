// The app refreshes its cached CRLs in the background (issue 5, seed 003): start() fetches a CRL
// that is due from its distribution point (a real local HTTP server), close() stops the
// refreshing, and offline the last good copy stays and the failure is logged.
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCertificateFacts } from '../../core/pki/crl/certificate-facts.js';
import { createAppServices } from '../../electron/main/create-app-services.js';
import { CrlCache } from '../../electron/services/crl/crl-cache.js';
import type { RefreshOutcome } from '../../electron/services/crl/crl-refresh.js';
import { resolveHome } from '../../electron/services/home.js';
import type { Keychain } from '../../electron/services/keychain.js';
import { makeCa, makeCrl, type TestCa } from '../support/crl-builder.js';

const day = 86400_000;
const secondsFromNow = (days: number) => new Date(Math.floor((Date.now() + days * day) / 1000) * 1000);

// No account is ever added here, so the keychain is never asked; this stand-in says so if it is.
const unusedKeychain: Keychain = {
  getPassword: () => Promise.reject(new Error('the keychain is not part of this test')),
  setPassword: () => Promise.reject(new Error('the keychain is not part of this test')),
  deletePassword: () => Promise.reject(new Error('the keychain is not part of this test')),
};

describe('the app’s background CRL refresh', () => {
  let ca: TestCa;
  let staleCrl: Uint8Array;
  let freshCrl: Uint8Array;
  let server: Server;
  let url: string;
  let serving: 'crl' | 'down' = 'crl';
  const homes: string[] = [];

  const freshNextUpdate = secondsFromNow(7);

  beforeAll(async () => {
    ca = await makeCa('App Refresh CA');
    staleCrl = await makeCrl(ca, {
      entries: [{ serial: [0x11], revokedAt: secondsFromNow(-20) }],
      thisUpdate: secondsFromNow(-10),
      nextUpdate: secondsFromNow(-3),
    });
    freshCrl = await makeCrl(ca, {
      entries: [
        { serial: [0x11], revokedAt: secondsFromNow(-20) },
        { serial: [0x12], revokedAt: secondsFromNow(-1) },
      ],
      thisUpdate: secondsFromNow(-1 / 24),
      nextUpdate: freshNextUpdate,
    });
    server = createServer((_request, response) => {
      if (serving === 'down') response.writeHead(503).end();
      else response.writeHead(200, { 'content-type': 'application/pkix-crl' }).end(freshCrl);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ca.crl`;
  });
  afterAll(() => {
    server?.close();
    for (const home of homes) rmSync(home, { recursive: true, force: true });
  });

  /** A home whose CRL cache holds the stale CRL, so a refresh is due at once. */
  async function homeWithStaleCrl() {
    const root = mkdtempSync(join(tmpdir(), 'sealmail-app-crl-'));
    homes.push(root);
    await new CrlCache(join(root, 'crl')).install(ca.certificate, staleCrl, { url });
    return resolveHome(root);
  }

  function startApp(home: ReturnType<typeof resolveHome>) {
    const logged: string[] = [];
    let told: (outcome: RefreshOutcome) => void = () => {};
    const outcome = new Promise<RefreshOutcome>((resolve) => (told = resolve));
    const services = createAppServices(home, {
      keychain: unusedKeychain,
      log: (message) => logged.push(message),
      onCrlRefresh: (o) => told(o),
    });
    return { services, outcome, logged };
  }

  it('fetches a due CRL on start() and keeps the new one in the cache', async () => {
    serving = 'crl';
    const home = await homeWithStaleCrl();
    const { services, outcome } = startApp(home);
    await services.start();
    expect(await outcome).toMatchObject({ ok: true });
    await services.close();

    // What a later run (or `sealmail open`) reads from disk is the fresh CRL.
    const cached = new CrlCache(join(home.root, 'crl')).cached(readCertificateFacts(ca.certificate));
    expect(cached?.complete.entries.count).toBe(2);
    expect(cached?.record.nextUpdate).toBe(freshNextUpdate.getTime() / 1000);
  });

  it('offline, logs the failure and keeps the last good CRL', async () => {
    serving = 'down';
    const home = await homeWithStaleCrl();
    const { services, outcome, logged } = startApp(home);
    await services.start();
    expect(await outcome).toMatchObject({ ok: false });
    await services.close();
    expect(logged.some((line) => line.includes('last good copy stays'))).toBe(true);
    const cached = new CrlCache(join(home.root, 'crl')).cached(readCertificateFacts(ca.certificate));
    expect(cached?.complete.entries.count).toBe(1);
  });
});
