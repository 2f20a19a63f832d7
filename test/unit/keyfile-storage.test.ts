// A key file is replaced atomically (temp file, fsync, rename): a write that fails or a process
// that dies in the middle of writing leaves the previous key file whole and openable. Both
// faults are real, not mocked: the kernel refuses the write past a file-size limit (EFBIG from
// `ulimit -f`), and the writing process is killed with SIGKILL while its temp file is growing.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openKeyFile, sealKeyFile, signingKeyOf } from '../../core/keyfile/key-file.js';
import type { KeyFileContents } from '../../core/keyfile/key-file-contents.js';
import { readKeyFileBytes, saveKeyFileBytes } from '../../electron/services/keyfile-storage.js';
import { createTestPki, type IssuedCertificate, type TestPki } from '../support/openssl-pki.js';

const fastSettings = { pbkdf2Iterations: 1_000, macIterations: 1_000 };
const writer = join(import.meta.dirname, 'keyfile-storage-writer.ts');
let pki: TestPki;
let dir: string;
let alice: IssuedCertificate;
let contents: KeyFileContents;

beforeAll(() => {
  pki = createTestPki();
  dir = mkdtempSync(join(tmpdir(), 'sealmail-keyfile-'));
  alice = pki.issueUser({ email: 'alice@example.test' });
  contents = {
    keys: [{ privateKey: alice.keyDer, certificate: alice.certDer, signing: true, encryption: 'current' }],
    caCertificates: [pki.root.certDer],
  };
});
afterAll(() => {
  pki.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

const tempFilesOf = (target: string) =>
  readdirSync(dir).filter((name) => name.startsWith(`.${target.split('/').pop()}.`) && name.endsWith('.tmp'));

async function expectOldKeyFile(target: string, oldBytes: Uint8Array) {
  expect(new Uint8Array(readFileSync(target))).toEqual(oldBytes);
  const opened = await openKeyFile(await readKeyFileBytes(target), 'old password');
  expect(signingKeyOf(opened.contents)?.certificate).toEqual(alice.certDer);
}

describe('replacing a key file', () => {
  it('keeps the old key file when the file system refuses the write half-way (EFBIG)', async () => {
    const target = join(dir, 'efbig.p12');
    const oldBytes = await sealKeyFile(contents, 'old password', fastSettings);
    await saveKeyFileBytes(target, oldBytes);
    const replacement = join(dir, 'efbig-new.bin');
    writeFileSync(replacement, new Uint8Array(256 * 1024).fill(0x5a));

    // `ulimit -f 64`: files this process writes may not grow past 32 KiB (64 blocks of 512
    // bytes in POSIX sh). tsx's transform cache is off so that only the key-file write hits it.
    const result = spawnSync(
      'sh',
      [
        '-c',
        'ulimit -f 64 && exec "$0" "$@"',
        process.execPath,
        '--import',
        'tsx',
        writer,
        target,
        replacement,
      ],
      { encoding: 'utf8', env: { ...process.env, TSX_DISABLE_CACHE: '1' } },
    );
    expect(result.stderr).toContain('STORAGE_FAILED');
    expect(result.stderr).toMatch(/EFBIG|file too large/);
    expect(result.stderr).toMatch(/previous key file, if any, is unchanged/);
    expect(result.status).toBe(1);
    await expectOldKeyFile(target, oldBytes);
    expect(tempFilesOf(target)).toEqual([]);
  }, 60_000);

  it('keeps the old key file when the writing process is killed in the middle of the write', async () => {
    const target = join(dir, 'killed.p12');
    const oldBytes = await sealKeyFile(contents, 'old password', fastSettings);
    await saveKeyFileBytes(target, oldBytes);
    const replacement = join(dir, 'killed-new.bin');
    const size = 64 * 1024 * 1024; // large, so the write is still going when the kill lands
    writeFileSync(replacement, new Uint8Array(size).fill(0xa5));

    const child = spawn(process.execPath, ['--import', 'tsx', writer, target, replacement], {
      stdio: 'pipe',
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, signal) => resolve(signal)),
    );
    // Wait until the temp file exists and has some bytes, then kill -9: no cleanup runs.
    let temp: string | undefined;
    while (!temp) {
      const found = tempFilesOf(target)[0];
      if (found && statSync(join(dir, found)).size > 0) temp = found;
      else await new Promise((resolve) => setImmediate(resolve));
    }
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(output).not.toContain('saved');

    await expectOldKeyFile(target, oldBytes);
    // The half-written temp file is left behind under its own name; the key file is untouched.
    // The next save works and clears the leftover away.
    expect(tempFilesOf(target)).toEqual([temp]);
    const newBytes = await sealKeyFile(contents, 'new password', fastSettings);
    await saveKeyFileBytes(target, newBytes);
    const reopened = await openKeyFile(await readKeyFileBytes(target), 'new password');
    expect(signingKeyOf(reopened.contents)?.certificate).toEqual(alice.certDer);
    expect(tempFilesOf(target)).toEqual([]);
    rmSync(replacement);
  }, 120_000);

  it('says which file is missing when there is no key file', async () => {
    await expect(readKeyFileBytes(join(dir, 'nothing-here.p12'))).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringMatching(/no key file at .*nothing-here\.p12/),
    });
  });
});
