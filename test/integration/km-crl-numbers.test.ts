// Several stateless KM nodes on one PostgreSQL database (issue 4) must never issue two CRLs with
// the same number: RFC 5280 §5.2.3 wants the CRL number to increase monotonically for a CRL
// issuer, and a relying party keeps the CRL with the highest number. Two server contexts (two
// connection pools, as two `km serve` processes have) publish at the same time here; openssl
// reads the numbers back from the CRLs themselves.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KmContext } from '../../km/authority/km-clock.js';
import { enableMailbox, revokeMailbox } from '../../km/mailbox/admin-operations.js';
import { refreshCrl } from '../../km/mailbox/refresh-crl.js';
import { redeemTemporaryKey } from '../../km/enrollment/redeem-temporary-key.js';
import { startKmServer } from '../../km/server/km-server.js';
import { KmStore } from '../../km/storage/km-store.js';
import { adminPasswords, signingPublicKey, startTestKm, type TestKm } from '../support/km-authority.js';
import { startPostgres, type TestPostgres } from '../support/postgres.js';

const two = adminPasswords.slice(0, 2);
let postgres: TestPostgres;
let first: TestKm;
/** The second node: its own connection pool on the same database, the same node key in --data. */
let second: KmContext;

/** What openssl reads from a DER CRL: its number and the serials it lists. */
function opensslView(name: string, der: Uint8Array): { crlNumber: number; text: string } {
  const file = join(first.dataDirectory, `${name}.crl`);
  writeFileSync(file, der);
  const text = execFileSync('openssl', ['crl', '-inform', 'DER', '-in', file, '-noout', '-text'], {
    encoding: 'utf8',
  });
  const crlNumber = /X509v3 CRL Number:\s*(\d+)/.exec(text)?.[1];
  return { crlNumber: Number(crlNumber ?? Number.NaN), text: text.toUpperCase() };
}

/** GET /crl from a node, trusting the KM CA: the ETag it answers with. */
function crlEtag(url: string): Promise<string> {
  const ca = `-----BEGIN CERTIFICATE-----\n${Buffer.from(first.caCertificate).toString('base64')}\n-----END CERTIFICATE-----\n`;
  return new Promise((resolve, reject) => {
    const req = request(`${url}/crl`, { ca, agent: false }, (response) => {
      response.resume();
      response.on('end', () =>
        response.statusCode === 200
          ? resolve(String(response.headers.etag))
          : reject(new Error(`GET /crl answered ${response.statusCode}`)),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

async function enrolled(email: string): Promise<void> {
  const issued = await enableMailbox(first, email, two);
  await redeemTemporaryKey(first, first.dataDirectory, {
    email,
    temporaryKey: issued.temporaryKey,
    signingPublicKey: await signingPublicKey(),
    encryptionKeyType: 'P-256',
  });
}

beforeAll(async () => {
  postgres = await startPostgres();
  first = await startTestKm({ required: 2, db: postgres.url });
  const store = await KmStore.open({ data: first.dataDirectory, db: postgres.url });
  // One clock for both nodes, so moving the first one's (setNow) moves the second's too.
  second = { store, now: () => first.now() };
});
afterAll(async () => {
  await second?.store.close();
  await first?.close();
  await postgres?.stop();
});

describe('CRL numbers with two KM nodes on one PostgreSQL database', () => {
  it('gives every CRL the two nodes publish at the same time its own, increasing number', async () => {
    const before = (await first.store.records.latestCrl())?.crlNumber ?? 0;
    // Each node publishes six CRLs one after another (as `km crl` run six times), both at once.
    const publishSix = async (node: KmContext, name: string): Promise<number[]> => {
      const numbers: number[] = [];
      for (let i = 0; i < 6; i++) {
        const crl = await refreshCrl(node, first.dataDirectory);
        numbers.push(opensslView(`${name}-${i}`, crl.der).crlNumber);
      }
      return numbers;
    };
    const [fromFirst, fromSecond] = await Promise.all([
      publishSix(first, 'first'),
      publishSix(second, 'second'),
    ]);
    for (const numbers of [fromFirst, fromSecond]) {
      expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    }
    const all = [...fromFirst, ...fromSecond].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 12 }, (_, i) => before + 1 + i));
    expect((await second.store.records.latestCrl())?.crlNumber).toBe(before + 12);
  });

  it('lists both revocations in the newest CRL when two nodes revoke at the same time', async () => {
    await enrolled('alice@example.test');
    await enrolled('bob@example.test');
    const [alice, bob] = await Promise.all([
      revokeMailbox(first, 'alice@example.test', 'keyCompromise', two),
      revokeMailbox(second, 'bob@example.test', 'affiliationChanged', two),
    ]);
    const latest = await first.store.records.latestCrl();
    const newest = opensslView('newest', latest?.der ?? new Uint8Array());
    for (const serial of [...alice.revokedSerials, ...bob.revokedSerials]) {
      expect(newest.text).toContain(`SERIAL NUMBER: ${serial.toUpperCase()}`);
    }
    const log = await first.store.records.auditLog();
    expect(log.filter((entry) => entry.action === 'revoke')).toHaveLength(2);
  });

  it('reissues a CRL gone stale once, whichever node is asked for it first', async () => {
    const servers = await Promise.all(
      [first, second].map((node) =>
        startKmServer(
          {
            ...node,
            dataDirectory: first.dataDirectory,
            encryptionKeyType: 'P-256',
            requestsPerMinute: 1000,
          },
          { listen: { host: '127.0.0.1', port: 0 } },
        ),
      ),
    );
    try {
      const before = (await first.store.records.latestCrl())?.crlNumber ?? 0;
      // Past half of the CRL's seven days: the distribution point reissues it on request.
      first.setNow(new Date(Date.now() + 4 * 86_400_000));
      const etags = await Promise.all(
        Array.from({ length: 10 }, (_, i) => crlEtag(servers[i % 2]?.url ?? '')),
      );
      expect(new Set(etags)).toEqual(new Set([`"crl-${before + 1}"`]));
      expect((await first.store.records.latestCrl())?.crlNumber).toBe(before + 1);
    } finally {
      first.setNow(new Date());
      await Promise.all(servers.map((server) => server.close()));
    }
  });
});
