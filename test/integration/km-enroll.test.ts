// `sealmail enroll` and `sealmail renew` against `sealmail km serve` over real TLS (issue 4,
// Done-when 1): the user redeems a temporary key into a key file openssl opens, a spent or
// mistyped key is refused without touching anything, revocation lands on the CRL, and after
// recovery the new key file still opens mail sent to the OLD encryption certificate. Two
// administrator passwords are required, so a revocation with one is refused. The whole suite runs
// on SQLite in --data and on a real PostgreSQL (--db), as issue 4 asks: "the same suite passes on
// SQLite and on PostgreSQL".
import { execFile, execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type TestPostgres } from '../support/postgres.js';
import { repoRoot, sealmail } from './accounts-fixture.js';

const alice = 'alice@example.test';

/** `openssl pkcs12 -info` prints the structure on stderr; both streams and the exit code. */
function opensslPkcs12Info(file: string, passwordFile: string): { status: number | null; output: string } {
  const run = spawnSync(
    'openssl',
    ['pkcs12', '-info', '-noout', '-in', file, '-passin', `file:${passwordFile}`],
    {
      encoding: 'utf8',
    },
  );
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

function openssl(args: string[]): string {
  return execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A typo a person makes: one character replaced by another of the alphabet. */
function mistyped(key: string): string {
  const last = key.at(-1) === '2' ? '3' : '2';
  return `${key.slice(0, -1)}${last}`;
}

describe.each(['sqlite', 'postgres'] as const)('sealmail enroll over TLS on %s', (engine) => {
  let dir: string;
  let data: string;
  let caFile: string;
  let adminFlags: string[];
  let passwordFile: string;
  let server: ChildProcess;
  let kmUrl: string;
  let firstTemporaryKey: string;
  let oldEncryptionCert: string;
  let aliceSigningSerial: string;
  let postgres: TestPostgres | undefined;
  /** --data, plus --db on PostgreSQL: every km command and the server name the same store. */
  let store: string[];

  const firstKeyFile = (): string => join(dir, 'alice-first.p12');
  const secondKeyFile = (): string => join(dir, 'alice-second.p12');

  async function kmJson<T>(args: string[]): Promise<T> {
    const run = await sealmail(['km', 'mailbox', ...args, ...store]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    return JSON.parse(run.stdout) as T;
  }

  async function temporaryKeyFor(operation: 'enable' | 'recover'): Promise<string> {
    return (
      await kmJson<{ temporaryKey: string }>([
        operation,
        alice,
        ...adminFlags,
        ...(operation === 'enable' ? ['--no-email'] : []),
        '--json',
      ])
    ).temporaryKey;
  }

  function enroll(temporaryKey: string, keyFile: string, km = kmUrl): ReturnType<typeof sealmail> {
    return sealmail([
      'enroll',
      '--km',
      km,
      '--km-ca',
      caFile,
      '--email',
      alice,
      '--temporary-key',
      temporaryKey,
      '--key-file',
      keyFile,
      '--password-file',
      passwordFile,
    ]);
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sealmail-km-enroll-'));
    data = join(dir, 'km');
    caFile = join(data, 'ca.pem');
    passwordFile = join(dir, 'key-file-password.txt');
    writeFileSync(passwordFile, 'alice key file password\n');
    adminFlags = ['first', 'second'].flatMap((which) => {
      const file = join(dir, `admin-${which}.txt`);
      writeFileSync(file, `the ${which} admin password\n`);
      return ['--admin-password-file', file];
    });
    if (engine === 'postgres') postgres = await startPostgres();
    store = ['--data', data, ...(postgres ? ['--db', postgres.url] : [])];
    const init = await sealmail([
      'km',
      'init',
      ...store,
      '--url',
      'https://127.0.0.1:9443',
      ...adminFlags,
      '--required-admin-passwords',
      '2',
    ]);
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    server = spawn(process.execPath, [
      join(repoRoot, 'bin', 'sealmail.js'),
      'km',
      'serve',
      ...store,
      '--listen',
      '127.0.0.1:0',
    ]);
    let printed = '';
    server.stdout?.setEncoding('utf8');
    while (!/KM listening on (\S+)/.test(printed)) {
      const [chunk] = (await once(server.stdout ?? server, 'data')) as [string];
      printed += chunk;
    }
    kmUrl = /KM listening on (\S+)/.exec(printed)?.[1] ?? '';
  });

  afterAll(async () => {
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await once(server, 'exit');
    }
    await postgres?.stop();
    postgres = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('redeems the temporary key into a key file openssl opens, and the mailbox is Active', async () => {
    firstTemporaryKey = await temporaryKeyFor('enable');
    const run = await enroll(firstTemporaryKey, firstKeyFile());
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`enrolled ${alice}`);
    const info = opensslPkcs12Info(firstKeyFile(), passwordFile);
    expect(info.status).toBe(0);
    expect(info.output).toContain('Certificate bag');
    expect(info.output).toContain('Shrouded Keybag');
    const status = await kmJson<{ status: string; signingCertificate: { serial: string } }>([
      'status',
      alice,
      '--json',
    ]);
    expect(status.status).toBe('Active');
    aliceSigningSerial = status.signingCertificate.serial;
    const keys = await sealmail([
      'keyfile',
      'info',
      '--key-file',
      firstKeyFile(),
      '--password-file',
      passwordFile,
      '--json',
    ]);
    const summary = JSON.parse(keys.stdout) as {
      keys: { signing: boolean; encryption: string | null; serial: string }[];
    };
    expect(summary.keys.filter((key) => key.signing).map((key) => key.serial)).toEqual([aliceSigningSerial]);
    expect(summary.keys.filter((key) => key.encryption === 'current')).toHaveLength(1);
  });

  it('refuses the same temporary key a second time and leaves the key file as it was', async () => {
    const before = readFileSync(firstKeyFile());
    const again = await enroll(firstTemporaryKey, firstKeyFile());
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('TEMPORARY_KEY_SPENT');
    expect(again.stderr).toContain('already used');
    expect(readFileSync(firstKeyFile()).equals(before)).toBe(true);
    expect(opensslPkcs12Info(firstKeyFile(), passwordFile).status).toBe(0);
  });

  it('catches a mistyped key before contacting the KM', async () => {
    // Port 1 on loopback has no server: a key that reached the network would fail with CONNECTION_FAILED.
    const typo = await enroll(mistyped(firstTemporaryKey), join(dir, 'never.p12'), 'https://127.0.0.1:1');
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain('TEMPORARY_KEY_MALFORMED');
    expect(typo.stderr).toContain('typing mistake');
    const unreachable = await enroll(firstTemporaryKey, join(dir, 'never.p12'), 'https://127.0.0.1:1');
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain('CONNECTION_FAILED');
    expect(unreachable.stderr).toContain('127.0.0.1:1');
    expect(() => readFileSync(join(dir, 'never.p12'))).toThrow();
  });

  it("refuses another mailbox's temporary key and says whose it is not", async () => {
    const bob = await kmJson<{ temporaryKey: string }>([
      'enable',
      'bob@example.test',
      ...adminFlags,
      '--no-email',
      '--json',
    ]);
    const run = await enroll(bob.temporaryKey, join(dir, 'never.p12'));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('TEMPORARY_KEY_WRONG_MAILBOX');
    expect(run.stderr).toContain(alice);
    expect(() => readFileSync(join(dir, 'never.p12'))).toThrow();
    expect((await kmJson<{ status: string }>(['status', 'bob@example.test', '--json'])).status).toBe('New');
  });

  it('without --km-ca, refuses the KM and names its certificate fingerprint', async () => {
    const run = await sealmail([
      'enroll',
      '--km',
      kmUrl,
      '--email',
      alice,
      '--temporary-key',
      firstTemporaryKey,
      '--key-file',
      join(dir, 'never.p12'),
      '--password-file',
      passwordFile,
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('TLS_UNTRUSTED');
    expect(run.stderr).toContain('--km-ca');
    const served = await promisify(execFile)('sh', [
      '-c',
      `openssl s_client -connect ${new URL(kmUrl).host} </dev/null 2>/dev/null | openssl x509 -noout -fingerprint -sha256`,
    ]);
    const fingerprint = /=([0-9A-F:]+)/.exec(served.stdout)?.[1] ?? 'no fingerprint';
    expect(run.stderr).toContain(fingerprint);
  });

  it('renews the signing certificate and keeps the encryption key', async () => {
    const before = JSON.parse(
      (
        await sealmail([
          'keyfile',
          'info',
          '--key-file',
          firstKeyFile(),
          '--password-file',
          passwordFile,
          '--json',
        ])
      ).stdout,
    ) as { keys: { signing: boolean; encryption: string | null; serial: string }[] };
    const run = await sealmail([
      'renew',
      '--km',
      kmUrl,
      '--km-ca',
      caFile,
      '--key-file',
      firstKeyFile(),
      '--password-file',
      passwordFile,
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const after = JSON.parse(
      (
        await sealmail([
          'keyfile',
          'info',
          '--key-file',
          firstKeyFile(),
          '--password-file',
          passwordFile,
          '--json',
        ])
      ).stdout,
    ) as { keys: { signing: boolean; encryption: string | null; serial: string }[] };
    const signingSerial = (summary: typeof before): string | undefined =>
      summary.keys.find((key) => key.signing)?.serial;
    expect(signingSerial(after)).not.toBe(signingSerial(before));
    expect(after.keys.filter((key) => key.encryption)).toEqual(before.keys.filter((key) => key.encryption));
    const status = await kmJson<{ signingCertificate: { serial: string } }>(['status', alice, '--json']);
    expect(status.signingCertificate.serial).toBe(signingSerial(after));
    aliceSigningSerial = status.signingCertificate.serial;
  });

  it('revocation needs both administrator passwords and puts her serial on the CRL with the reason', async () => {
    // Mail sent to her before revocation, to the encryption certificate the directory published.
    const { stdout } = await promisify(execFile)('curl', [
      '-sS',
      '--cacert',
      caFile,
      `${kmUrl}/directory/${alice}`,
    ]);
    const entry = JSON.parse(stdout) as { encryptionCertificate: string };
    oldEncryptionCert = join(dir, 'alice-old-encryption.der');
    writeFileSync(oldEncryptionCert, Buffer.from(entry.encryptionCertificate, 'base64'));
    writeFileSync(
      join(dir, 'plain.eml'),
      'From: bob@example.test\r\nTo: alice@example.test\r\nSubject: old news\r\n\r\nsent before the revocation\r\n',
    );
    const seal = await sealmail([
      '--home',
      join(dir, 'home'),
      'seal',
      '--encrypt',
      '--recipient-cert',
      oldEncryptionCert,
      '--in',
      join(dir, 'plain.eml'),
      '--out',
      join(dir, 'sealed.eml'),
    ]);
    expect(seal.code).toBe(0);

    const revoke = (passwords: string[]): ReturnType<typeof sealmail> =>
      sealmail(['km', 'mailbox', 'revoke', alice, ...store, ...passwords, '--reason', 'keyCompromise']);
    // Two administrator passwords are required: one is refused and nothing is revoked.
    const withOne = await revoke(adminFlags.slice(0, 2));
    expect(withOne.code).toBe(1);
    expect(withOne.stderr).toContain('ADMIN_PASSWORDS_REQUIRED');
    expect((await kmJson<{ status: string }>(['status', alice, '--json'])).status).toBe('Active');
    const withTwo = await revoke(adminFlags);
    expect(withTwo.stderr).toBe('');
    expect(withTwo.code).toBe(0);
    expect((await kmJson<{ status: string }>(['status', alice, '--json'])).status).toBe('Disabled');
    const crl = join(dir, 'km.crl');
    expect((await sealmail(['km', 'crl', ...store, '--out', crl])).code).toBe(0);
    const text = openssl(['crl', '-inform', 'DER', '-in', crl, '-noout', '-text']).replace(/\s+/g, ' ');
    expect(text.toUpperCase()).toContain(`SERIAL NUMBER: ${aliceSigningSerial.toUpperCase()}`);
    expect(text).toContain('Key Compromise');
  });

  it('after recover, enrolls again and the new key file opens mail sent to the old certificate', async () => {
    const recovered = await temporaryKeyFor('recover');
    const run = await enroll(recovered, secondKeyFile());
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect((await kmJson<{ status: string }>(['status', alice, '--json'])).status).toBe('Active');
    expect(opensslPkcs12Info(secondKeyFile(), passwordFile).status).toBe(0);
    const info = await sealmail([
      'keyfile',
      'info',
      '--key-file',
      secondKeyFile(),
      '--password-file',
      passwordFile,
      '--json',
    ]);
    const roles = (JSON.parse(info.stdout) as { keys: { encryption: string | null }[] }).keys.map(
      (key) => key.encryption,
    );
    // The recovered archive: a new current encryption key and the old one to read old mail.
    expect(roles.filter((role) => role === 'current')).toHaveLength(1);
    expect(roles.filter((role) => role === 'previous')).toHaveLength(1);
    const opened = await sealmail([
      'open',
      '--in',
      join(dir, 'sealed.eml'),
      '--out',
      join(dir, 'opened.eml'),
      '--key-file',
      secondKeyFile(),
      '--password-file',
      passwordFile,
    ]);
    expect(opened.code).toBe(0);
    expect(readFileSync(join(dir, 'opened.eml'), 'utf8')).toContain('sent before the revocation');
  });
});
