// The crypto worker as the app ships it (issue 6): the renderer built by Vite, served by the
// browser host under the app's Content-Security-Policy, in Debian's Chromium. The built worker
// starts from 'self' (worker-src 'self'), runs core/'s key-file and S/MIME code on Chromium's
// WebCrypto, and what it seals openssl decrypts and verifies. A worker from a blob: URL — the
// way injected script would smuggle one in — is refused by the same policy.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealKeyFile } from '../../core/keyfile/key-file.js';
import { builtInPolicy } from '../../core/policy/effective-policy.js';
import { startBrowserHost, type BrowserHost } from '../../electron/main/browser-host.js';
import { createAppServices, type RunningAppServices } from '../../electron/main/create-app-services.js';
import type { SealmailHome } from '../../electron/services/home.js';
import { launchChromium, openPage, type OpenedPage } from '../support/chromium.js';
import { createTestPki, type TestPki } from '../support/openssl-pki.js';
import { plainMessage } from '../support/smime-identities.js';
import { contentsOf, makePerson, type Person } from '../unit/crypto-worker-support.js';
import { repoRoot, tempHome } from './accounts-fixture.js';

let rendererDir: string;
let home: SealmailHome;
let services: RunningAppServices;
let host: BrowserHost;
let browser: Browser;
let opened: OpenedPage;
let pki: TestPki;
let alice: Person;

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

beforeAll(async () => {
  // Its own build, so that no other test's `vite build` into dist/renderer is disturbed.
  rendererDir = mkdtempSync(join(tmpdir(), 'sealmail-renderer-'));
  await build({
    configFile: join(repoRoot, 'renderer', 'vite.config.ts'),
    build: { outDir: rendererDir, emptyOutDir: true },
    logLevel: 'error',
  });
  home = tempHome();
  services = createAppServices(home, { log: () => undefined });
  host = await startBrowserHost({ services, rendererDir, log: () => undefined });
  browser = await launchChromium();
  opened = await openPage(browser, host.url);
  pki = createTestPki();
  alice = makePerson(pki, 'alice');
}, 180_000);

afterAll(async () => {
  await opened?.close();
  await browser?.close();
  await host?.close();
  await services?.close();
  pki?.cleanup();
  if (home) rmSync(home.root, { recursive: true, force: true });
  if (rendererDir) rmSync(rendererDir, { recursive: true, force: true });
});

function builtWorker(): string {
  const name = readdirSync(join(rendererDir, 'assets')).find((file) => /^crypto-worker-.*\.js$/.test(file));
  if (!name) throw new Error(`the build in ${rendererDir} has no crypto worker`);
  return `assets/${name}`;
}

describe('the crypto worker in Chromium', () => {
  it('is emitted by the build and started by the app itself', () => {
    const worker = builtWorker();
    const app = readdirSync(join(rendererDir, 'assets')).filter((file) => /^index-.*\.js$/.test(file));
    const appCode = app.map((file) => readFileSync(join(rendererDir, 'assets', file), 'utf8')).join('\n');
    expect(appCode).toContain(worker.replace('assets/', ''));
  });

  it('seals with a key file under the app’s CSP, and openssl decrypts and verifies the result', async () => {
    const keyFile = await sealKeyFile(contentsOf(pki, alice), alice.password, {
      pbkdf2Iterations: 2_000,
      macIterations: 2_000,
    });
    const answer = await opened.page.evaluate(
      async ({ workerUrl, keyFile, password, raw, policy }) => {
        const bytes = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
        const worker = new Worker(workerUrl, { type: 'module' });
        return new Promise<{ sealed?: string; error?: string }>((resolve) => {
          worker.onerror = (event) => resolve({ error: `worker error: ${event.message}` });
          worker.onmessage = ({ data }) => {
            if (data.kind === 'ipc') {
              // The page answers the worker's IPC; here from test data instead of main.
              const value = data.channel === 'keyfile.read' ? { bytes: bytes(keyFile) } : policy;
              worker.postMessage({ kind: 'ipc-result', id: data.id, result: { ok: true, value } });
            } else if (data.kind === 'done') {
              const result = data.result;
              resolve(
                result.ok
                  ? {
                      sealed: btoa(
                        Array.from(result.value as Uint8Array, (b) => String.fromCharCode(b)).join(''),
                      ),
                    }
                  : { error: `${result.error.code}: ${result.error.message}` },
              );
            }
          };
          worker.postMessage({
            kind: 'call',
            id: 1,
            method: 'seal',
            args: [{ accountId: 'alice', raw: bytes(raw), sign: true, encryptTo: [], password }],
          });
        });
      },
      {
        workerUrl: builtWorker(),
        keyFile: base64(keyFile),
        password: alice.password,
        raw: base64(plainMessage({ body: 'Sealed in Chromium.\r\n' })),
        policy: builtInPolicy(),
      },
    );
    expect(answer.error).toBeUndefined();
    const sealedFile = pki.writeFile('from-chromium.eml', Buffer.from(answer.sealed ?? '', 'base64'));
    const inner = pki.openssl([
      'cms',
      '-decrypt',
      '-in',
      sealedFile,
      '-recip',
      alice.encryption.certFile,
      '-inkey',
      alice.encryption.keyFile,
    ]);
    const verified = pki.openssl(['cms', '-verify', '-CAfile', pki.root.certFile], inner).toString();
    expect(verified).toContain('Sealed in Chromium.');
  }, 120_000);

  it('refuses a worker from a blob: URL (worker-src allows only the app’s own files)', async () => {
    const outcome = await opened.page.evaluate(
      () =>
        new Promise<string>((resolve) => {
          document.addEventListener('securitypolicyviolation', (event) =>
            resolve(`blocked by ${event.effectiveDirective}`),
          );
          const url = URL.createObjectURL(new Blob(['postMessage("ran")'], { type: 'text/javascript' }));
          try {
            const worker = new Worker(url);
            worker.onmessage = () => resolve('ran');
          } catch (error) {
            resolve(`blocked: ${String(error)}`);
          }
        }),
    );
    expect(outcome).toBe('blocked by worker-src');
  });
});
