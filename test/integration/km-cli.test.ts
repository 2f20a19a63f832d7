// `sealmail km …` as an administrator runs it (issue 4's CLI contract), against the built CLI
// and a fresh --data directory: init, enable with k of n passwords, status/list JSON, revoke,
// recover refused from the wrong state, and `km crl` writing a CRL openssl verifies.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { promisify } from 'node:util';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type TestPostgres } from '../support/postgres.js';
import { repoRoot, sealmail } from './accounts-fixture.js';

let dir: string;
let data: string;
let passwordFlags: string[];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sealmail-km-cli-'));
  data = join(dir, 'km');
  passwordFlags = ['admin one password', 'admin two password'].flatMap((password, i) => {
    const file = join(dir, `admin-${i + 1}.txt`);
    writeFileSync(file, `${password}\n`);
    return ['--admin-password-file', file];
  });
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('sealmail km', () => {
  it('init creates the CA once and writes ca.pem', async () => {
    const init = ['km', 'init', '--data', data, '--url', 'https://127.0.0.1:9443', ...passwordFlags];
    const first = await sealmail([...init, '--required-admin-passwords', '2']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('2 of 2 administrator passwords required');
    expect(existsSync(join(data, 'ca.pem'))).toBe(true);
    const again = await sealmail(init);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('ALREADY_EXISTS');
  });

  it('enable needs both passwords and prints the key as JSON', async () => {
    const one = await sealmail([
      'km',
      'mailbox',
      'enable',
      'alice@example.test',
      '--data',
      data,
      ...passwordFlags.slice(0, 2),
    ]);
    expect(one.code).toBe(1);
    expect(one.stderr).toContain('ADMIN_PASSWORDS_REQUIRED');
    const both = await sealmail([
      'km',
      'mailbox',
      'enable',
      'alice@example.test',
      '--data',
      data,
      ...passwordFlags,
      '--no-email',
      '--json',
    ]);
    expect(both.code).toBe(0);
    const printed = JSON.parse(both.stdout) as { email: string; temporaryKey: string; expires: string };
    expect(printed.email).toBe('alice@example.test');
    expect(printed.temporaryKey).toMatch(/^([2-9A-HJKMNP-Z]{4}-){5}[2-9A-HJKMNP-Z]{4}$/);
    expect(Number.isNaN(Date.parse(printed.expires))).toBe(false);
  });

  it('status and list print the contract JSON', async () => {
    const status = await sealmail([
      'km',
      'mailbox',
      'status',
      'alice@example.test',
      '--data',
      data,
      '--json',
    ]);
    expect(JSON.parse(status.stdout)).toEqual({
      email: 'alice@example.test',
      status: 'New',
      signingCertificate: null,
      encryptionCertificate: null,
    });
    const unknown = await sealmail(['km', 'mailbox', 'status', 'zoe@example.test', '--data', data, '--json']);
    expect(JSON.parse(unknown.stdout)).toMatchObject({ status: 'Undefined' });
    const list = await sealmail(['km', 'mailbox', 'list', '--data', data, '--json']);
    expect((JSON.parse(list.stdout) as { email: string }[]).map((entry) => entry.email)).toEqual([
      'alice@example.test',
    ]);
  });

  it('revoke needs a known reason and disables the mailbox; recover from New is refused', async () => {
    const recover = await sealmail([
      'km',
      'mailbox',
      'recover',
      'alice@example.test',
      '--data',
      data,
      ...passwordFlags,
    ]);
    expect(recover.code).toBe(1);
    expect(recover.stderr).toContain('MAILBOX_STATE_CONFLICT');
    const badReason = await sealmail([
      'km',
      'mailbox',
      'revoke',
      'alice@example.test',
      '--data',
      data,
      ...passwordFlags,
      '--reason',
      'boredom',
    ]);
    expect(badReason.code).toBe(1);
    expect(badReason.stderr).toContain('--reason must be one of');
    const revoke = await sealmail([
      'km',
      'mailbox',
      'revoke',
      'alice@example.test',
      '--data',
      data,
      ...passwordFlags,
      '--reason',
      'affiliationChanged',
    ]);
    expect(revoke.code).toBe(0);
    const status = await sealmail([
      'km',
      'mailbox',
      'status',
      'alice@example.test',
      '--data',
      data,
      '--json',
    ]);
    expect(JSON.parse(status.stdout)).toMatchObject({ status: 'Disabled' });
  });

  it('crl writes a DER CRL that openssl verifies against the KM CA', async () => {
    const out = join(dir, 'km.crl');
    const crl = await sealmail(['km', 'crl', '--data', data, '--out', out]);
    expect(crl.code).toBe(0);
    const text = execFileSync(
      'openssl',
      ['crl', '-inform', 'DER', '-in', out, '-CAfile', join(data, 'ca.pem'), '-noout', '-text'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    expect(text).toMatch(/X509v3 CRL Number:\s+\d+/);
    expect(text).toContain('Next Update:');
  });

  it('serve answers EST cacerts over HTTPS with a certificate issued by the KM CA', async () => {
    const server = spawn(process.execPath, [
      join(repoRoot, 'bin', 'sealmail.js'),
      'km',
      'serve',
      '--data',
      data,
      '--listen',
      '127.0.0.1:0',
    ]);
    try {
      let printed = '';
      server.stdout.setEncoding('utf8');
      while (!/KM listening on (\S+)/.test(printed)) {
        const [chunk] = (await once(server.stdout, 'data')) as [string];
        printed += chunk;
      }
      const url = /KM listening on (\S+)/.exec(printed)?.[1] ?? '';
      const { stdout } = await promisify(execFile)('curl', [
        '-sS',
        '--cacert',
        join(data, 'ca.pem'),
        `${url}/.well-known/est/cacerts`,
      ]);
      expect(stdout).toMatch(/^[A-Za-z0-9+/=\r\n]+$/);
    } finally {
      server.kill('SIGTERM');
      await once(server, 'exit');
    }
  });
});

describe('sealmail km with --db (PostgreSQL)', () => {
  let postgres: TestPostgres;
  let nodeData: string;
  beforeAll(async () => {
    postgres = await startPostgres();
    nodeData = join(dir, 'pg-node');
  });
  afterAll(async () => {
    await postgres?.stop();
  });

  it('keeps the CA and the mailboxes in the shared database', async () => {
    const db = ['--data', nodeData, '--db', postgres.url];
    const init = await sealmail(['km', 'init', ...db, '--url', 'https://127.0.0.1:9444', ...passwordFlags]);
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    expect(existsSync(join(nodeData, 'km.sqlite'))).toBe(false);
    const enable = await sealmail([
      'km',
      'mailbox',
      'enable',
      'bob@example.test',
      ...db,
      ...passwordFlags,
      '--json',
    ]);
    expect(enable.code).toBe(0);
    const list = await sealmail(['km', 'mailbox', 'list', ...db, '--json']);
    expect(JSON.parse(list.stdout)).toEqual([
      { email: 'bob@example.test', status: 'New', signingCertificate: null, encryptionCertificate: null },
    ]);
  });
});
