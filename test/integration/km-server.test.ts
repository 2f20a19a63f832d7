// `km serve` over real TLS (issue 4): stock curl and openssl enroll with nothing else, fetch the
// CA and the CRL, and a Node client reads the directory. The server's own certificate is issued
// by the KM CA, so `--cacert ca.pem` is all a client needs to trust it. The suite runs on SQLite
// and on a real PostgreSQL (issue 4: "the same suite passes on SQLite and on PostgreSQL").
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { request } from 'node:https';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enableMailbox, revokeMailbox } from '../../km/mailbox/admin-operations.js';
import { mailboxStatus } from '../../km/mailbox/mailbox-status.js';
import { startKmServer, type RunningKm } from '../../km/server/km-server.js';
import { adminPasswords, startTestKm, type TestKm } from '../support/km-authority.js';
import { startPostgres, type TestPostgres } from '../support/postgres.js';

const two = adminPasswords.slice(0, 2);
let km: TestKm;
let server: RunningKm;
let caFile: string;
/** The base64 certs-only answer of alice's enrollment (her signing certificate). */
let aliceSigning: string;
let postgres: TestPostgres | undefined;

function run(command: string, args: string[]): string {
  return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/**
 * curl as a user would type it; returns the HTTP status and the body file. Asynchronous: the
 * server runs in this process, so a synchronous child would block it from answering.
 */
async function curl(
  path: string,
  args: string[] = [],
): Promise<{ status: number; body: string; headers: string }> {
  const body = join(km.dataDirectory, `curl-${Math.random().toString(36).slice(2)}`);
  const headers = `${body}.headers`;
  const { stdout: status } = await promisify(execFile)('curl', [
    '-sS',
    '--cacert',
    caFile,
    '-o',
    body,
    '-D',
    headers,
    '-w',
    '%{http_code}',
    ...args,
    `${server.url}${path}`,
  ]);
  return { status: Number(status), body, headers: readFileSync(headers, 'utf8') };
}

function opensslCsr(name: string): string {
  const key = join(km.dataDirectory, `${name}.key`);
  const csr = join(km.dataDirectory, `${name}.csr`);
  run('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', key]);
  run('openssl', [
    'req',
    '-new',
    '-key',
    key,
    '-subj',
    `/CN=${name}`,
    '-outform',
    'DER',
    '-out',
    `${csr}.der`,
  ]);
  writeFileSync(csr, readFileSync(`${csr}.der`).toString('base64'));
  return csr;
}

function certificatesIn(base64File: string): string {
  const der = `${base64File}.p7`;
  writeFileSync(der, Buffer.from(readFileSync(base64File, 'utf8'), 'base64'));
  return run('openssl', ['pkcs7', '-inform', 'DER', '-in', der, '-print_certs', '-text', '-noout']);
}

describe.each(['sqlite', 'postgres'] as const)('km serve on %s', (engine) => {
  beforeAll(async () => {
    if (engine === 'postgres') postgres = await startPostgres();
    km = await startTestKm({ required: 2, db: postgres?.url });
    caFile = join(km.dataDirectory, 'ca.pem');
    writeFileSync(
      caFile,
      `-----BEGIN CERTIFICATE-----\n${Buffer.from(km.caCertificate).toString('base64')}\n-----END CERTIFICATE-----\n`,
    );
    server = await startKmServer(
      { ...km, dataDirectory: km.dataDirectory, encryptionKeyType: 'P-256', requestsPerMinute: 1000 },
      { listen: { host: '127.0.0.1', port: 0 } },
    );
  });
  afterAll(async () => {
    await server?.close();
    await km?.close();
    await postgres?.stop();
    postgres = undefined;
  });

  it('serves the CA certificate over EST cacerts', async () => {
    const answer = await curl('/.well-known/est/cacerts');
    expect(answer.status).toBe(200);
    expect(answer.headers).toMatch(/content-type: application\/pkcs7-mime; smime-type=certs-only/i);
    expect(certificatesIn(answer.body)).toContain('Sealmail KM CA');
  });

  it('enrolls from a shell script that uses nothing but openssl and curl', async () => {
    const issued = await enableMailbox(km, 'dave@example.test', two);
    const script = join(import.meta.dirname, '..', 'shell', 'enroll-with-curl.sh');
    const out = join(km.dataDirectory, 'dave-shell');
    const enroll = () =>
      promisify(execFile)('sh', [script, server.url, caFile, 'dave@example.test', issued.temporaryKey, out]);
    const { stdout } = await enroll();
    expect(stdout).toMatch(/subject=CN ?= ?dave@example.test/);
    expect(stdout).toContain('email:dave@example.test');
    // The certificate is the one the KM recorded, and it certifies the script's own key.
    const fromKey = run('openssl', ['pkey', '-in', join(out, 'signing.key'), '-pubout']);
    const fromCertificate = run('openssl', ['x509', '-in', join(out, 'signing.pem'), '-noout', '-pubkey']);
    expect(fromCertificate).toBe(fromKey);
    expect((await mailboxStatus(km.store.records, 'dave@example.test')).status).toBe('Active');
    // Run again, the spent key is refused and the script says so with the KM's coded answer.
    await expect(enroll()).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/refused the enrollment \(HTTP 401\)[\s\S]*TEMPORARY_KEY_SPENT/),
    });
  });

  it('enrolls with nothing but openssl and curl, once', async () => {
    const issued = await enableMailbox(km, 'alice@example.test', two);
    const csr = opensslCsr('alice');
    const enroll = (): ReturnType<typeof curl> =>
      curl('/.well-known/est/simpleenroll', [
        '--user',
        `alice@example.test:${issued.temporaryKey}`,
        '-H',
        'Content-Type: application/pkcs10',
        '--data-binary',
        `@${csr}`,
      ]);
    const first = await enroll();
    expect(first.status).toBe(200);
    aliceSigning = first.body;
    const text = certificatesIn(first.body);
    expect(text).toContain('email:alice@example.test');
    expect(text).toContain('Digital Signature');
    expect((await mailboxStatus(km.store.records, 'alice@example.test')).status).toBe('Active');

    const second = await enroll();
    expect(second.status).toBe(401);
    expect(JSON.parse(readFileSync(second.body, 'utf8'))).toMatchObject({
      error: { code: 'TEMPORARY_KEY_SPENT' },
    });

    const keygen = await curl('/.well-known/est/serverkeygen', [
      '--user',
      `alice@example.test:${issued.temporaryKey}`,
      '-X',
      'POST',
    ]);
    expect(keygen.status).toBe(200);
    expect(keygen.headers).toMatch(/content-type: multipart\/mixed; boundary=/i);
    const parts = readFileSync(keygen.body, 'utf8');
    const keyBase64 =
      /Content-Type: application\/pkcs8\r\nContent-Transfer-Encoding: base64\r\n\r\n([A-Za-z0-9+/=\r\n]+?)\r\n\r\n--/.exec(
        parts,
      )?.[1];
    expect(keyBase64).toBeTruthy();
    const keyFile = join(km.dataDirectory, 'alice-enc.der');
    writeFileSync(keyFile, Buffer.from(keyBase64 ?? '', 'base64'));
    expect(run('openssl', ['pkey', '-inform', 'DER', '-in', keyFile, '-noout', '-text'])).toContain(
      'NIST CURVE: P-256',
    );
    const again = await curl('/.well-known/est/serverkeygen', [
      '--user',
      `alice@example.test:${issued.temporaryKey}`,
      '-X',
      'POST',
    ]);
    expect(again.status).toBe(401);
  });

  it('refuses enrollment without credentials, or with a bad request, with a coded answer', async () => {
    const csr = opensslCsr('nobody');
    const anonymous = await curl('/.well-known/est/simpleenroll', [
      '-H',
      'Content-Type: application/pkcs10',
      '--data-binary',
      `@${csr}`,
    ]);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers).toMatch(/www-authenticate: Basic/i);
    const bob = await enableMailbox(km, 'bob@example.test', two);
    const garbage = join(km.dataDirectory, 'garbage');
    writeFileSync(garbage, 'not a request');
    const bad = await curl('/.well-known/est/simpleenroll', [
      '--user',
      `bob@example.test:${bob.temporaryKey}`,
      '-H',
      'Content-Type: application/pkcs10',
      '--data-binary',
      `@${garbage}`,
    ]);
    expect(bad.status).toBe(400);
    expect((await mailboxStatus(km.store.records, 'bob@example.test')).status).toBe('New');
  });

  it('answers the directory with the current encryption certificate', async () => {
    const body = await new Promise<string>((resolve, reject) => {
      const req = request(
        `${server.url}/directory/alice@example.test`,
        { ca: readFileSync(caFile) },
        (response) => {
          let text = '';
          response.on('data', (chunk: Buffer) => (text += chunk.toString()));
          response.on('end', () => resolve(text));
        },
      );
      req.on('error', reject);
      req.end();
    });
    const entry = JSON.parse(body) as { email: string; status: string; encryptionCertificate: string | null };
    expect(entry.status).toBe('Active');
    const certFile = join(km.dataDirectory, 'dir-cert.der');
    writeFileSync(certFile, Buffer.from(entry.encryptionCertificate ?? '', 'base64'));
    expect(run('openssl', ['x509', '-inform', 'DER', '-in', certFile, '-noout', '-text'])).toContain(
      'Key Agreement',
    );
    const unknown = await curl('/directory/zoe@example.test');
    expect(JSON.parse(readFileSync(unknown.body, 'utf8'))).toEqual({
      email: 'zoe@example.test',
      status: 'Undefined',
      encryptionCertificate: null,
    });
  });

  it('renews the signing certificate over simplereenroll with the current one as TLS client certificate', async () => {
    const currentPem = join(km.dataDirectory, 'alice-sign.pem');
    writeFileSync(
      currentPem,
      run('openssl', ['pkcs7', '-inform', 'DER', '-in', `${aliceSigning}.p7`, '-print_certs']),
    );
    const csr = opensslCsr('alice-renewed');
    const renew = (extra: string[]): ReturnType<typeof curl> =>
      curl('/.well-known/est/simplereenroll', [
        ...extra,
        '-H',
        'Content-Type: application/pkcs10',
        '--data-binary',
        `@${csr}`,
      ]);
    const without = await renew([]);
    expect(without.status).toBe(401);
    const renewed = await renew(['--cert', currentPem, '--key', join(km.dataDirectory, 'alice.key')]);
    expect(renewed.status).toBe(200);
    const text = certificatesIn(renewed.body);
    expect(text).toContain('email:alice@example.test');
    const audit = await km.store.records.auditLog();
    expect(audit.at(-1)).toMatchObject({ action: 'renew', actor: 'alice@example.test' });
  });

  it('publishes the CRL with ETag and Last-Modified, and a revocation changes it', async () => {
    const first = await curl('/crl');
    expect(first.status).toBe(200);
    const etag = /etag: (".*")/i.exec(first.headers)?.[1] ?? '';
    expect(first.headers).toMatch(/last-modified: \w{3}, \d{2} \w{3} \d{4}/i);
    expect((await curl('/crl', ['-H', `If-None-Match: ${etag}`])).status).toBe(304);
    await revokeMailbox(km, 'alice@example.test', 'keyCompromise', two);
    const after = await curl('/crl', ['-H', `If-None-Match: ${etag}`]);
    expect(after.status).toBe(200);
    const text = run('openssl', [
      'crl',
      '-inform',
      'DER',
      '-in',
      after.body,
      '-CAfile',
      caFile,
      '-noout',
      '-text',
    ]);
    expect(text).toContain('Key Compromise');
  });

  it('rate-limits the directory per client address', async () => {
    const strict = await startKmServer(
      { ...km, dataDirectory: km.dataDirectory, encryptionKeyType: 'P-256', requestsPerMinute: 2 },
      { listen: { host: '127.0.0.1', port: 0 } },
    );
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) {
        const { stdout } = await promisify(execFile)('curl', [
          '-sS',
          '-o',
          '/dev/null',
          '-w',
          '%{http_code}',
          '--cacert',
          caFile,
          `${strict.url}/directory/alice@example.test`,
        ]);
        statuses.push(Number(stdout));
      }
      expect(statuses).toEqual([200, 200, 429]);
    } finally {
      await strict.close();
    }
  });

  it('lets one of fifty concurrent simpleenroll requests with one temporary key succeed', async () => {
    const frank = await enableMailbox(km, 'frank@example.test', two);
    const csr = readFileSync(opensslCsr('frank'));
    const authorization = `Basic ${Buffer.from(`frank@example.test:${frank.temporaryKey}`).toString('base64')}`;
    const enrollOnce = (): Promise<number> =>
      new Promise((resolve, reject) => {
        const req = request(
          `${server.url}/.well-known/est/simpleenroll`,
          {
            method: 'POST',
            ca: readFileSync(caFile),
            headers: { authorization, 'content-type': 'application/pkcs10' },
          },
          (response) => {
            response.resume();
            response.on('end', () => resolve(response.statusCode ?? 0));
          },
        );
        req.on('error', reject);
        req.end(csr);
      });
    const statuses = await Promise.all(Array.from({ length: 50 }, enrollOnce));
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    // The others are refused: the key is spent (401), or, once ten refusals are on record for the
    // mailbox, rate-limited (429); which of the two depends on timing, never a server error.
    expect(statuses.filter((status) => status === 401 || status === 429)).toHaveLength(49);
    expect(await km.store.records.certificatesOf('frank@example.test')).toHaveLength(2);
  });
});
