// Identities and key files for the crypto worker's tests, made at test time with openssl
// (test/support/openssl-pki.ts): alice and bob each have a signing and an encryption
// certificate from one CA, as the KM issues them, and alice also an older encryption key.
import { sealKeyFile, type KeyFileContents } from '../../core/keyfile/key-file.js';
import type { KeyClock } from '../../renderer/src/crypto/operations/unlocked-keys.js';
import { publicCertificatesOf } from '../../renderer/src/crypto/operations/save-key-file.js';
import type { IssuedCertificate, TestPki } from '../support/openssl-pki.js';
import { FakeMain } from './crypto-worker-fake-main.js';

/** Structure-only key files use few iterations; the worker's own writes use Sealmail's defaults. */
const fastSettings = { pbkdf2Iterations: 2_000, macIterations: 2_000 };

export interface Person {
  email: string;
  password: string;
  signing: IssuedCertificate;
  encryption: IssuedCertificate;
  previous: IssuedCertificate | null;
}

export function makePerson(pki: TestPki, name: string, withPrevious = false): Person {
  const email = `${name}@example.test`;
  const day = 24 * 3600 * 1000;
  return {
    email,
    password: `${name} key-file password`,
    signing: pki.issueUser({ email, purpose: 'signing', key: { type: 'ec', curve: 'P-256' } }),
    encryption: pki.issueUser({ email, purpose: 'encryption' }),
    previous: withPrevious
      ? pki.issueUser({
          email,
          purpose: 'encryption',
          notBefore: new Date(Date.now() - 400 * day),
          notAfter: new Date(Date.now() + 30 * day),
        })
      : null,
  };
}

export function contentsOf(pki: TestPki, person: Person): KeyFileContents {
  return {
    keys: [
      {
        privateKey: person.signing.keyDer,
        certificate: person.signing.certDer,
        signing: true,
        encryption: null,
      },
      {
        privateKey: person.encryption.keyDer,
        certificate: person.encryption.certDer,
        signing: false,
        encryption: 'current',
      },
      ...(person.previous
        ? [
            {
              privateKey: person.previous.keyDer,
              certificate: person.previous.certDer,
              signing: false,
              encryption: 'previous' as const,
            },
          ]
        : []),
    ],
    caCertificates: [pki.root.certDer],
  };
}

/** What main holds after the worker saved this person's key file. */
export async function enrollInFake(fake: FakeMain, pki: TestPki, person: Person): Promise<void> {
  const contents = contentsOf(pki, person);
  fake.store(person.email, {
    bytes: await sealKeyFile(contents, person.password, fastSettings),
    certificates: publicCertificatesOf(contents),
    caCertificates: contents.caCertificates,
  });
}

/** A fake main holding the key files of `people`, as after each of them enrolled. */
export async function fakeMainWith(pki: TestPki, ...people: Person[]): Promise<FakeMain> {
  const fake = new FakeMain();
  for (const person of people) await enrollInFake(fake, pki, person);
  return fake;
}

/** A clock the test moves by hand; the unlock window's timer never fires on its own. */
export function handClock(): KeyClock & { advanceMinutes(minutes: number): void } {
  let now = Date.parse('2026-11-23T10:00:00Z');
  return {
    now: () => now,
    later: () => () => undefined,
    advanceMinutes(minutes) {
      now += minutes * 60_000;
    },
  };
}
