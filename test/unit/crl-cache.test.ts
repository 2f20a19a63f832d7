// The on-disk CRL index and the CRL cache: what was verified once is read back at start-up
// without a re-parse, damage is detected (CRL_INDEX_INVALID), refreshes are conditional
// (ETag / If-Modified-Since against a real local HTTP server), and offline the last good CRL
// keeps answering.
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SealmailError } from '../../core/errors.js';
import { readCertificateFacts } from '../../core/pki/crl/certificate-facts.js';
import { crlRevocationChecker } from '../../core/pki/crl/crl-revocation-checker.js';
import { RevokedSerialIndex } from '../../core/pki/crl/revoked-index.js';
import { loadVerifiedCrl } from '../../core/pki/crl/verified-crl.js';
import { CrlCache } from '../../electron/services/crl/crl-cache.js';
import { readCrlIndex, writeCrlIndex } from '../../electron/services/crl/crl-index-file.js';
import { refreshDueAt } from '../../electron/services/crl/crl-refresh.js';
import { makeCa, makeCrl, type TestCa } from '../support/crl-builder.js';

const day = 86400_000;
const secondsAgo = (days: number) => new Date(Math.floor((Date.now() - days * day) / 1000) * 1000);

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof SealmailError) return error.code;
    throw error;
  }
  return 'no error';
}

describe('the on-disk CRL index and cache', () => {
  let dir: string;
  let ca: TestCa;
  let crlDer: Uint8Array;
  let server: Server;
  let url: string;
  const requests: { ifNoneMatch: string | undefined }[] = [];
  let serving: 'crl' | 'down' = 'crl';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sealmail-crl-cache-'));
    ca = await makeCa();
    crlDer = await makeCrl(ca, {
      entries: [
        { serial: [0x11], revokedAt: secondsAgo(2), reason: 1 },
        { serial: [0x00, 0x99], revokedAt: secondsAgo(3) },
      ],
    });
    server = createServer((request, response) => {
      requests.push({ ifNoneMatch: request.headers['if-none-match'] });
      if (serving === 'down') {
        response.writeHead(503).end();
      } else if (request.headers['if-none-match'] === '"v1"') {
        response.writeHead(304).end();
      } else {
        response.writeHead(200, { 'content-type': 'application/pkix-crl', etag: '"v1"' }).end(crlDer);
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ca.crl`;
  });
  afterAll(() => {
    server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads back exactly what it wrote, and refuses a damaged or truncated file', async () => {
    const crl = await loadVerifiedCrl(crlDer, ca.certificate);
    const path = join(dir, 'one.crlindex');
    await writeCrlIndex(path, crl);
    const back = readCrlIndex(path)!;
    expect(back.facts).toEqual(crl.facts);
    expect(back.entries.find(Uint8Array.of(0x11))).toEqual(crl.entries.find(Uint8Array.of(0x11)));
    expect(back.entries.find(Uint8Array.of(0x00, 0x99))).not.toBeNull();
    expect(back.entries.find(Uint8Array.of(0x12))).toBeNull();
    // Listing serials must not disturb the index it reads (a Node Buffer's slice() is a view).
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < back.entries.count; i++)
        expect(back.entries.indexOf(back.entries.serialAt(i))).toBe(i);
    }

    const bytes = readFileSync(path);
    for (const at of [3, bytes.length >> 1, bytes.length - 40, bytes.length - 1]) {
      const damaged = Buffer.from(bytes);
      damaged[at] = damaged[at]! ^ 0x01;
      writeFileSync(path, damaged);
      expect(
        codeOf(() => readCrlIndex(path)),
        `byte ${at}`,
      ).toBe('CRL_INDEX_INVALID');
    }
    writeFileSync(path, bytes.subarray(0, bytes.length - 7));
    expect(codeOf(() => readCrlIndex(path))).toBe('CRL_INDEX_INVALID');
    expect(readCrlIndex(join(dir, 'absent.crlindex'))).toBeNull();
  });

  it('fetches with ETag, keeps the index on disk, and answers after a restart and offline', async () => {
    const cacheDir = join(dir, 'cache');
    const cache = new CrlCache(cacheDir);
    await cache.refresh(ca.certificate, url);
    expect(requests.at(-1)!.ifNoneMatch).toBeUndefined();
    const first = cache.records()[0]!;
    await cache.refresh(ca.certificate);
    // The second fetch was conditional and the server said 304: nothing downloaded.
    expect(requests.at(-1)!.ifNoneMatch).toBe('"v1"');
    expect(cache.records()[0]!.thisUpdate).toBe(first.thisUpdate);

    // A new process: the index comes from disk, no request is made.
    const before = requests.length;
    const restarted = new CrlCache(cacheDir);
    expect(restarted.loadAll()).toHaveLength(1);
    const checker = crlRevocationChecker(restarted, 'warn');
    // The self-signed CA certificate (serial 1) is one the CA's CRL speaks for, and not listed.
    const answer = await checker.status(ca.certificate, ca.certificate, new Date());
    expect(answer).toMatchObject({ status: 'good' });
    expect(requests.length).toBe(before);

    // Offline: the refresh fails with a coded error and the last good CRL stays.
    serving = 'down';
    await expect(restarted.refresh(ca.certificate)).rejects.toMatchObject({ code: 'SERVER_ERROR' });
    expect(restarted.cached(readCertificateFacts(ca.certificate))!.complete.entries.count).toBe(2);
    serving = 'crl';
  });

  it('stores the lookup table with a large index and finds every serial after reading it back', async () => {
    // 5,000 random 9-octet serials sharing a 3-octet prefix, as a CA with a fixed serial prefix issues.
    const width = 9;
    const values = new Set<string>();
    while (values.size < 5000) {
      values.add(
        `${'0a0b0c'}${Array.from({ length: 6 }, () =>
          Math.floor(Math.random() * 256)
            .toString(16)
            .padStart(2, '0'),
        ).join('')}`,
      );
    }
    const sorted = [...values].sort();
    const keys = new Uint8Array(sorted.length * width);
    sorted.forEach((hex, i) => keys.set(Buffer.from(hex, 'hex'), i * width));
    for (let i = 0; i < sorted.length; i++) keys[i * width] = keys[i * width]! ^ 0x80;
    const entries = new RevokedSerialIndex(
      sorted.length,
      width,
      keys,
      new Uint32Array(sorted.length).fill(1_800_000_000),
      new Uint8Array(sorted.length).fill(1),
    );
    const crl = await loadVerifiedCrl(crlDer, ca.certificate);
    const path = join(dir, 'large.crlindex');
    await writeCrlIndex(path, { facts: crl.facts, entries });
    const back = readCrlIndex(path)!.entries;
    for (const hex of sorted) {
      const serial = Buffer.from(hex, 'hex');
      expect(back.find(serial)).toEqual({ revokedAt: 1_800_000_000, reason: 1 });
      serial[serial.length - 1] = serial[serial.length - 1]! ^ 0x01;
      expect(back.find(serial) !== null).toBe(values.has(serial.toString('hex')));
    }
    expect(back.find(Buffer.from('0a0b0d000000000000', 'hex'))).toBeNull();
  });

  it('refuses to replace a newer CRL with an older one', async () => {
    const cache = new CrlCache(join(dir, 'order'));
    const newer = await makeCrl(ca, { entries: [], thisUpdate: secondsAgo(1) });
    const older = await makeCrl(ca, { entries: [], thisUpdate: secondsAgo(5) });
    await cache.install(ca.certificate, newer);
    await expect(cache.install(ca.certificate, older)).rejects.toMatchObject({ code: 'CRL_STALE' });
  });

  it('plans the refresh before nextUpdate', () => {
    const thisUpdate = 1_800_000_000;
    const record = {
      issuer: '',
      url,
      validators: { etag: null, lastModified: null },
      checkedAt: new Date(thisUpdate * 1000).toISOString(),
      thisUpdate,
      nextUpdate: thisUpdate + 7 * 86400,
    };
    expect(refreshDueAt(record)).toBe((record.nextUpdate - 0.7 * 86400) * 1000);
  });
});
