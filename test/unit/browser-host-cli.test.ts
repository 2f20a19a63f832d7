// `npm run dev:browser` end to end, minus the browser: the command starts the real services on
// an empty Sealmail home, prints the one URL that opens the app, serves the renderer there and
// the API behind the secret, and stops cleanly on SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { decodeFrame, encodeFrame } from '../../core/api/wire.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'sealmail-dev-browser-'));
let child: ChildProcess | null = null;

afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  rmSync(scratch, { recursive: true, force: true });
});

function runCli(args: string[]): {
  process: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
} {
  const started = spawn(process.execPath, ['--import', 'tsx', 'electron/main/browser-host-cli.ts', ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  started.stdout?.on('data', (data: Buffer) => (output += data.toString()));
  started.stderr?.on('data', (data: Buffer) => (output += data.toString()));
  const exited = new Promise<number | null>((resolve) => started.on('exit', (code) => resolve(code)));
  return { process: started, output: () => output, exited };
}

function printedUrl(started: ReturnType<typeof runCli>): Promise<URL> {
  return new Promise((resolve, reject) => {
    const look = (): void => {
      const match = /Sealmail is served at (\S+)/.exec(started.output());
      if (match?.[1]) resolve(new URL(match[1]));
    };
    started.process.stdout?.on('data', look);
    started.exited.then((code) =>
      reject(new Error(`exited with ${code} before printing a URL:\n${started.output()}`)),
    );
  });
}

describe('npm run dev:browser', () => {
  it('prints the URL, serves the app and the API on it, and stops on SIGTERM', async () => {
    const rendererDir = mkdtempSync(join(scratch, 'renderer-'));
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Sealmail</title>');
    const home = mkdtempSync(join(scratch, 'home-'));
    const started = runCli(['--home', home, '--renderer-dir', rendererDir]);
    child = started.process;
    const url = await printedUrl(started);
    expect(url.hostname).toBe('127.0.0.1');
    const secret = new URLSearchParams(url.hash.slice(1)).get('secret');
    expect(secret).toBeTruthy();

    const page = await fetch(url.origin);
    expect(await page.text()).toContain('<title>Sealmail</title>');

    const socket = new WebSocket(`ws://${url.host}/api`, { headers: { Origin: url.origin } });
    const frames: unknown[] = [];
    const answered = new Promise<void>((resolve) =>
      socket.on('message', (data) => {
        frames.push(decodeFrame(String(data)));
        if (frames.length === 2) resolve();
      }),
    );
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    socket.send(encodeFrame({ type: 'hello', secret: secret ?? '' }));
    socket.send(encodeFrame({ type: 'invoke', id: 1, channel: 'accounts.list', request: {} }));
    await answered;
    // A new home has no accounts yet: the real account store answers with an empty list.
    expect(frames).toEqual([{ type: 'welcome' }, { type: 'result', id: 1, result: { ok: true, value: [] } }]);
    socket.close();

    started.process.kill('SIGTERM');
    expect(await started.exited).toBe(0);
  });

  it('says to build first when there is no built renderer', async () => {
    const started = runCli([
      '--home',
      mkdtempSync(join(scratch, 'home-')),
      '--renderer-dir',
      join(scratch, 'nothing'),
    ]);
    expect(await started.exited).toBe(1);
    expect(started.output()).toContain('run `npm run build` first');
  });

  it('refuses a port that is not a number', async () => {
    const started = runCli(['--port', 'eighty']);
    expect(await started.exited).toBe(2);
    expect(started.output()).toContain('--port eighty is not a port number');
  });
});
