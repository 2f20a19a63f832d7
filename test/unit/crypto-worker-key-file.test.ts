// Import, change password and export in the crypto worker (seed 003, Settings › Security): the
// key file main ends up holding opens with the new password and no other, a .p12 made by openssl
// comes in with its keys usable, and an export opens in `openssl pkcs12` with its own password.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openKeyFile } from '../../core/keyfile/key-file.js';
import { createCryptoOperations } from '../../renderer/src/crypto/operations/crypto-operations.js';
import { createTestPki, type TestPki } from '../support/openssl-pki.js';
import { plainMessage, text } from '../support/smime-identities.js';
import { FakeMain } from './crypto-worker-fake-main.js';
import { fakeMainWith, handClock, makePerson, type Person } from './crypto-worker-support.js';

const slow = 180_000;
let pki: TestPki;
let alice: Person;

beforeAll(() => {
  pki = createTestPki();
  alice = makePerson(pki, 'alice');
});
afterAll(() => pki.cleanup());

function storedBytes(fake: FakeMain, accountId: string): Uint8Array {
  const stored = fake.stored.get(accountId);
  if (!stored) throw new Error(`the fake holds no key file for ${accountId}`);
  return stored.bytes;
}

describe('changing the key-file password', () => {
  it(
    'leaves a key file that opens with the new password only',
    async () => {
      const fake = await fakeMainWith(pki, alice);
      const worker = createCryptoOperations(fake.invoke, { clock: handClock() });
      await expect(
        worker.changePassword({ accountId: alice.email, oldPassword: 'wrong', newPassword: 'new one' }),
      ).rejects.toMatchObject({ code: 'WRONG_PASSWORD' });

      await worker.changePassword({
        accountId: alice.email,
        oldPassword: alice.password,
        newPassword: 'a brand new password',
      });
      await expect(worker.unlock(alice.email, alice.password)).rejects.toMatchObject({
        code: 'WRONG_PASSWORD',
      });
      await worker.unlock(alice.email, 'a brand new password');
      const opened = await openKeyFile(storedBytes(fake, alice.email), 'a brand new password');
      expect(opened.contents.keys.map((key) => key.certificate)).toEqual([
        alice.signing.certDer,
        alice.encryption.certDer,
      ]);
    },
    slow,
  );
});

describe('exporting the key file', () => {
  it(
    'writes a .p12 that openssl opens with the export password',
    async () => {
      const fake = await fakeMainWith(pki, alice);
      const worker = createCryptoOperations(fake.invoke, { clock: handClock() });
      const p12 = await worker.exportKeyFile({
        accountId: alice.email,
        password: alice.password,
        exportPassword: 'for my laptop',
      });
      const file = pki.writeFile('export.p12', p12);
      const pem = pki.openssl(['pkcs12', '-in', file, '-passin', 'pass:for my laptop', '-nodes']).toString();
      expect(pem.match(/BEGIN PRIVATE KEY/g)).toHaveLength(2);
      expect(() =>
        pki.openssl(['pkcs12', '-in', file, '-passin', `pass:${alice.password}`, '-nodes']),
      ).toThrow();
    },
    slow,
  );
});

describe('importing a key file from another computer', () => {
  it(
    'brings in an openssl .p12 under the new password, and its key opens mail at once',
    async () => {
      const carol = pki.issueUser({ email: 'carol@example.test', purpose: 'both' });
      const p12File = join(pki.dir, 'carol.p12');
      pki.openssl([
        'pkcs12',
        '-export',
        '-inkey',
        carol.keyFile,
        '-in',
        carol.certFile,
        '-certfile',
        pki.root.certFile,
        '-passout',
        'pass:from outlook',
        '-out',
        p12File,
      ]);
      const bytes = new Uint8Array(readFileSync(p12File));
      const fake = new FakeMain();
      const worker = createCryptoOperations(fake.invoke, { clock: handClock() });
      await expect(
        worker.importKeyFile({ accountId: 'carol', bytes, password: 'wrong', newPassword: 'sealmail pw' }),
      ).rejects.toMatchObject({ code: 'WRONG_PASSWORD' });
      const status = await worker.importKeyFile({
        accountId: 'carol',
        bytes,
        password: 'from outlook',
        newPassword: 'sealmail pw',
      });
      expect(status.state).toBe('active');
      expect(fake.stored.get('carol')?.caCertificates).toEqual([pki.root.certDer]);

      const file = pki.writeFile(
        'to-carol.eml',
        plainMessage({ to: 'carol@example.test', body: 'Welcome.\r\n' }),
      );
      const sealed = pki.openssl(['cms', '-encrypt', '-in', file, '-aes-256-cbc', carol.certFile]);
      await expect(worker.open({ accountId: 'carol', raw: new Uint8Array(sealed) })).rejects.toMatchObject({
        code: 'KEYFILE_LOCKED',
      });
      const opened = await worker.open({
        accountId: 'carol',
        raw: new Uint8Array(sealed),
        password: 'sealmail pw',
      });
      expect(text(opened.content)).toContain('Welcome.');
    },
    slow,
  );
});
