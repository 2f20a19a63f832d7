// The unlock window of the crypto worker follows the policy's security profile (seed 004):
// "medium" keeps the key unlocked for cacheMinutes, so the next seal or open asks for nothing;
// "high" asks every time. The clock is moved by hand: nothing here waits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCryptoOperations } from '../../renderer/src/crypto/operations/crypto-operations.js';
import { createTestPki, type TestPki } from '../support/openssl-pki.js';
import { plainMessage } from '../support/smime-identities.js';
import { fakeMainWith, handClock, makePerson, type Person } from './crypto-worker-support.js';

const slow = 120_000;
let pki: TestPki;
let alice: Person;

beforeAll(() => {
  pki = createTestPki();
  alice = makePerson(pki, 'alice');
});
afterAll(() => pki.cleanup());

const aliceMain = () => fakeMainWith(pki, alice);

const signOnly = () => ({ accountId: alice.email, raw: plainMessage(), sign: true, encryptTo: null });

describe('the medium profile', () => {
  it(
    'keeps the key unlocked for its minutes, then asks again; Lock now asks at once',
    async () => {
      const fake = await aliceMain();
      fake.profile = { kind: 'medium', cacheMinutes: 10 };
      const clock = handClock();
      const worker = createCryptoOperations(fake.invoke, { clock });

      expect(await worker.isUnlocked(alice.email)).toBe(false);
      await worker.unlock(alice.email, alice.password);
      expect(await worker.isUnlocked(alice.email)).toBe(true);
      clock.advanceMinutes(9);
      await expect(worker.seal(signOnly())).resolves.toBeInstanceOf(Uint8Array);

      clock.advanceMinutes(1);
      expect(await worker.isUnlocked(alice.email)).toBe(false);
      await expect(worker.seal(signOnly())).rejects.toMatchObject({ code: 'KEYFILE_LOCKED' });

      // A password given with the operation unlocks again for the next ones.
      await worker.seal({ ...signOnly(), password: alice.password });
      expect(await worker.isUnlocked(alice.email)).toBe(true);
      await worker.lock(alice.email);
      expect(await worker.isUnlocked(alice.email)).toBe(false);
      await expect(worker.seal(signOnly())).rejects.toMatchObject({ code: 'KEYFILE_LOCKED' });
    },
    slow,
  );

  it(
    'does not unlock with a wrong password',
    async () => {
      const fake = await aliceMain();
      const worker = createCryptoOperations(fake.invoke, { clock: handClock() });
      await expect(worker.unlock(alice.email, 'guess')).rejects.toMatchObject({ code: 'WRONG_PASSWORD' });
      expect(await worker.isUnlocked(alice.email)).toBe(false);
    },
    slow,
  );
});

describe('the high profile', () => {
  it(
    'asks for the password on every seal, even right after one was given',
    async () => {
      const fake = await aliceMain();
      fake.profile = { kind: 'high' };
      const worker = createCryptoOperations(fake.invoke, { clock: handClock() });

      await worker.unlock(alice.email, alice.password);
      expect(await worker.isUnlocked(alice.email)).toBe(false);
      await expect(worker.seal({ ...signOnly(), password: alice.password })).resolves.toBeInstanceOf(
        Uint8Array,
      );
      await expect(worker.seal(signOnly())).rejects.toMatchObject({ code: 'KEYFILE_LOCKED' });
    },
    slow,
  );

  it(
    'drops a key kept under medium as soon as the organisation switches to high',
    async () => {
      const fake = await aliceMain();
      const worker = createCryptoOperations(fake.invoke, { clock: handClock() });
      await worker.unlock(alice.email, alice.password);
      expect(await worker.isUnlocked(alice.email)).toBe(true);
      fake.profile = { kind: 'high' };
      await expect(worker.seal(signOnly())).rejects.toMatchObject({ code: 'KEYFILE_LOCKED' });
      fake.profile = { kind: 'medium', cacheMinutes: 10 };
      expect(await worker.isUnlocked(alice.email)).toBe(false);
    },
    slow,
  );
});
