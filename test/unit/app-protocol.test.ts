// The app:// scheme the window loads from: only files of the built renderer, each with the
// app's CSP. Exercised with Fetch API Requests, as Electron's protocol.handle passes them.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRequestHandler, appUrl, isAppUrl } from '../../electron/main/app-protocol.js';
import { contentSecurityPolicy } from '../../electron/main/content-security-policy.js';
import { rendererFilePath } from '../../electron/main/renderer-files.js';
import { builtPreloadFile, builtRendererDir } from '../../electron/main/app-paths.js';

let root: string;
let rendererDir: string;
let serve: (request: Request) => Promise<Response>;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'sealmail-app-'));
  rendererDir = join(root, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Sealmail</title>');
  writeFileSync(join(rendererDir, 'assets', 'index.js'), 'console.log(1)');
  writeFileSync(join(root, 'config.json'), '{"private":true}');
  serve = appRequestHandler(rendererDir);
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('app:// scheme', () => {
  it('serves the app with its CSP and the right content type', async () => {
    const page = await serve(new Request(appUrl));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(contentSecurityPolicy());
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const script = await serve(new Request('app://sealmail/assets/index.js'));
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toBe('console.log(1)');
  });

  it('serves nothing outside the renderer directory, and only to its own host', async () => {
    for (const url of [
      'app://sealmail/%2e%2e/config.json',
      'app://sealmail/..%2fconfig.json',
      'app://sealmail/assets/..%5c..%5cconfig.json',
      'app://other/index.html',
      'app://sealmail/nothing.js',
    ]) {
      const response = await serve(new Request(url));
      expect(response.status, url).toBe(404);
      expect(response.headers.get('content-security-policy')).toBe(contentSecurityPolicy());
    }
  });

  it('maps URL paths to files inside the directory only', () => {
    expect(rendererFilePath(rendererDir, '/')).toBe(join(rendererDir, 'index.html'));
    expect(rendererFilePath(rendererDir, '/assets/index.js')).toBe(join(rendererDir, 'assets', 'index.js'));
    for (const path of [
      '/../config.json',
      '/assets/../../config.json',
      '/a%00b',
      '/%E0%A4%A',
      '//etc/passwd',
      'index.html',
    ]) {
      expect(rendererFilePath(rendererDir, path), path).toBeNull();
    }
  });

  it("tells the app's own pages from any other", () => {
    expect(isAppUrl(appUrl)).toBe(true);
    expect(isAppUrl('app://sealmail.evil/index.html')).toBe(false);
    expect(isAppUrl('https://sealmail/index.html')).toBe(false);
    expect(isAppUrl('about:srcdoc')).toBe(false);
  });

  it('finds the built renderer and preload under dist/, also when run from source', () => {
    const project = fileURLToPath(new URL('../..', import.meta.url));
    expect(builtRendererDir).toBe(join(project, 'dist', 'renderer') + sep);
    expect(builtPreloadFile).toBe(join(project, 'dist', 'electron', 'preload', 'index.cjs'));
  });
});
