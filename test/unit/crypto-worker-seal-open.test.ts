// The crypto worker's seal and open (issue 6), run in Node on the same operations the Worker
// serves, against key files and certificates made at test time and a FAKE of main
// (crypto-worker-fake-main.ts). What a user would notice: openssl reads what Sealmail sends,
// Sent stays readable, a signed message opens without a password, a locked key asks for one, a
// wrong one is named, and a revoked signer shows as revoked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCryptoOperations } from '../../renderer/src/crypto/operations/crypto-operations.js';
import { createTestPki, type TestPki } from '../support/openssl-pki.js';
import { plainMessage, text } from '../support/smime-identities.js';
import { summarizeCertificate } from '../../core/keyfile/key-file-summary.js';
import type { FakeMain } from './crypto-worker-fake-main.js';
import { fakeMainWith, handClock, makePerson, type Person } from './crypto-worker-support.js';

const slow = 120_000;
let pki: TestPki;
let alice: Person;
let bob: Person;

beforeAll(() => {
  pki = createTestPki();
  alice = makePerson(pki, 'alice', true);
  bob = makePerson(pki, 'bob');
});
afterAll(() => pki.cleanup());

const mainWithBoth = () => fakeMainWith(pki, alice, bob);

function opensslDecrypt(sealed: Uint8Array, who: { certFile: string; keyFile: string }): string {
  const file = pki.writeFile(`sealed-${Math.random().toString(36).slice(2)}.eml`, sealed);
  return pki
    .openssl(['cms', '-decrypt', '-in', file, '-recip', who.certFile, '-inkey', who.keyFile])
    .toString();
}

function opensslVerify(signed: string | Uint8Array): string {
  const file = pki.writeFile(`signed-${Math.random().toString(36).slice(2)}.eml`, signed);
  return pki.openssl(['cms', '-verify', '-in', file, '-CAfile', pki.root.certFile]).toString();
}

const body = 'The figures are attached.\r\nRegards, Alice\r\n';

/** Alice signs the figures with her password, and encrypts them to `encryptTo` when given. */
function aliceSeals(fake: FakeMain, encryptTo: Uint8Array[] | null): Promise<Uint8Array> {
  return createCryptoOperations(fake.invoke, { clock: handClock() }).seal({
    accountId: alice.email,
    raw: plainMessage({ body }),
    sign: true,
    encryptTo,
    password: alice.password,
  });
}

describe('sealing in the crypto worker', () => {
  it(
    'signs and encrypts so that openssl decrypts it as bob, verifies alice, and alice can read her Sent copy',
    async () => {
      const sealed = await aliceSeals(await mainWithBoth(), [bob.encryption.certDer]);
      expect(text(sealed)).toMatch(/^Subject: Quarterly figures$/m);
      expect(text(sealed)).toMatch(/application\/pkcs7-mime; smime-type=enveloped-data/);
      expect(text(sealed)).not.toContain('The figures');

      const inner = opensslDecrypt(sealed, bob.encryption);
      expect(inner).toMatch(/multipart\/signed/);
      expect(opensslVerify(inner)).toContain('The figures are attached.');
      // The sender's own current encryption certificate is always a recipient (Sent stays readable).
      expect(opensslVerify(opensslDecrypt(sealed, alice.encryption))).toContain('Regards, Alice');
    },
    slow,
  );

  it(
    'encrypts without a password when not signing, using the certificate main keeps',
    async () => {
      const fake = await mainWithBoth();
      const worker = createCryptoOperations(fake.invoke, { clock: handClock() });
      const sealed = await worker.seal({
        accountId: alice.email,
        raw: plainMessage({ body }),
        sign: false,
        encryptTo: [bob.encryption.certDer],
      });
      expect(opensslDecrypt(sealed, bob.encryption)).toContain('The figures are attached.');
      expect(opensslDecrypt(sealed, alice.encryption)).toContain('The figures are attached.');
      expect(fake.calls).not.toContain('keyfile.read');
    },
    slow,
  );

  it('asks for the password (KEYFILE_LOCKED) to sign when the key is not unlocked', async () => {
    const fake = await mainWithBoth();
    const worker = createCryptoOperations(fake.invoke, { clock: handClock() });
    await expect(
      worker.seal({ accountId: alice.email, raw: plainMessage(), sign: true, encryptTo: null }),
    ).rejects.toMatchObject({ code: 'KEYFILE_LOCKED' });
  });

  it(
    'names a wrong password as WRONG_PASSWORD',
    async () => {
      const fake = await mainWithBoth();
      const worker = createCryptoOperations(fake.invoke, { clock: handClock() });
      await expect(
        worker.seal({
          accountId: alice.email,
          raw: plainMessage(),
          sign: true,
          encryptTo: null,
          password: 'not the password',
        }),
      ).rejects.toMatchObject({ code: 'WRONG_PASSWORD' });
    },
    slow,
  );
});

describe('opening in the crypto worker', () => {
  it(
    'decrypts and verifies what alice sealed, with bob’s password, and names alice as the signer',
    async () => {
      const fake = await mainWithBoth();
      const sealed = await aliceSeals(fake, [bob.encryption.certDer]);
      const reader = createCryptoOperations(fake.invoke, { clock: handClock() });
      await expect(reader.open({ accountId: bob.email, raw: sealed })).rejects.toMatchObject({
        code: 'KEYFILE_LOCKED',
      });
      await expect(
        reader.open({ accountId: bob.email, raw: sealed, password: 'wrong' }),
      ).rejects.toMatchObject({ code: 'WRONG_PASSWORD' });

      const opened = await reader.open({ accountId: bob.email, raw: sealed, password: bob.password });
      expect(opened.report).toMatchObject({
        encrypted: true,
        decrypted: true,
        signed: true,
        signature: 'valid',
        fromMatchesSigner: true,
        errors: [],
      });
      expect(opened.report.signer?.email).toBe(alice.email);
      expect(text(opened.content)).toContain('The figures are attached.');
      expect(text(opened.content)).toMatch(/^Subject: Quarterly figures$/m);
      expect(opened.signerCertificates[0]).toEqual(alice.signing.certDer);
      expect(opened.signerCertificates.at(-1)).toEqual(pki.root.certDer);
    },
    slow,
  );

  it(
    'opens a signed, unencrypted message without any password',
    async () => {
      const fake = await mainWithBoth();
      const signed = await aliceSeals(fake, null);
      fake.calls.length = 0;
      const reader = createCryptoOperations(fake.invoke, { clock: handClock() });
      const opened = await reader.open({ accountId: bob.email, raw: signed });
      expect(opened.report).toMatchObject({ encrypted: false, signed: true, signature: 'valid' });
      expect(opened.report.signer?.email).toBe(alice.email);
      expect(text(opened.content)).toContain('Regards, Alice');
      expect(fake.calls).not.toContain('keyfile.read');
    },
    slow,
  );

  it(
    'shows a revoked signer as revoked, with the date main reports',
    async () => {
      const fake = await mainWithBoth();
      const signed = await aliceSeals(fake, null);
      fake.revoked.set(summarizeCertificate(alice.signing.certDer).serial, {
        status: 'revoked',
        revokedAt: '2026-11-20T09:00:00.000Z',
        reason: 'keyCompromise',
      });
      const opened = await createCryptoOperations(fake.invoke).open({ accountId: bob.email, raw: signed });
      expect(opened.report.signature).toBe('revoked');
      expect(opened.report.errors.map((e) => e.code)).toContain('SIGNER_REVOKED');
      expect(opened.report.errors.map((e) => e.message).join(' ')).toContain('2026-11-20');
    },
    slow,
  );

  it(
    'reads mail sent to alice’s previous encryption key (old mail stays readable after renewal)',
    async () => {
      const fake = await mainWithBoth();
      const previous = alice.previous;
      if (!previous) throw new Error('alice has a previous key in this test');
      const file = pki.writeFile('old.eml', plainMessage({ body: 'From before the renewal.\r\n' }));
      const old = pki.openssl(['cms', '-encrypt', '-in', file, '-aes-256-cbc', previous.certFile]);
      const opened = await createCryptoOperations(fake.invoke).open({
        accountId: alice.email,
        raw: new Uint8Array(old),
        password: alice.password,
      });
      expect(opened.report).toMatchObject({ encrypted: true, decrypted: true, signed: false });
      expect(text(opened.content)).toContain('From before the renewal.');
    },
    slow,
  );
});
