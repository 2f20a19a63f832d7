// The harvested-certificate store in a Sealmail home (issue 4): a verified signer's encryption
// certificate is kept under each address it names, and an older one (from opening an old message
// after the sender was re-enrolled) never replaces a newer one.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  harvestCertificate,
  harvestedCertificate,
} from '../../electron/services/secure-send/harvested-certificates.js';
import { resolveHome, type SealmailHome } from '../../electron/services/home.js';
import { createTestPki, type IssuedCertificate, type TestPki } from '../support/openssl-pki.js';

let pki: TestPki;
let home: SealmailHome;
let older: IssuedCertificate;
let newer: IssuedCertificate;

beforeAll(() => {
  pki = createTestPki({ rootKey: { type: 'ec', curve: 'P-256' } });
  const key = { type: 'ec', curve: 'P-256' } as const;
  older = pki.issueUser({
    email: 'Alice@Example.test',
    key,
    purpose: 'encryption',
    notBefore: new Date(Date.now() - 30 * 86_400_000),
  });
  newer = pki.issueUser({ email: 'alice@example.test', key, purpose: 'encryption' });
  home = resolveHome(mkdtempSync(join(tmpdir(), 'sealmail-harvest-')));
}, 60_000);
afterAll(() => {
  pki.cleanup();
  rmSync(home.root, { recursive: true, force: true });
});

describe('harvested certificates', () => {
  it('keeps the certificate under its address, in lower case', async () => {
    expect(await harvestedCertificate(home, 'alice@example.test')).toBeNull();
    expect(await harvestCertificate(home, older.certDer)).toEqual(['alice@example.test']);
    expect(await harvestedCertificate(home, 'ALICE@example.test')).toEqual(older.certDer);
  });

  it('replaces an older certificate with a newer one, and never the other way round', async () => {
    expect(await harvestCertificate(home, newer.certDer)).toEqual(['alice@example.test']);
    expect(await harvestCertificate(home, older.certDer)).toEqual([]);
    expect(await harvestedCertificate(home, 'alice@example.test')).toEqual(newer.certDer);
  });
});
