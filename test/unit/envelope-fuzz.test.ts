// Mutated envelopes (flipped, inserted, deleted and truncated bytes) end in a decryption or a
// coded SealmailError: nothing uncaught from asn1js or WebCrypto, and nothing hangs.
import { afterAll, beforeAll, expect, it } from 'vitest';
import fc from 'fast-check';
import { SealmailError } from '../../core/errors.js';
import { decryptContent, encryptContent } from '../../core/smime/envelope/index.js';
import { createTestPki, type IssuedCertificate, type TestPki } from '../support/openssl-pki.js';

let pki: TestPki;
let rsa: IssuedCertificate;
let ec: IssuedCertificate;
const samples: Uint8Array[] = [];

beforeAll(async () => {
  pki = createTestPki();
  rsa = pki.issueUser({ email: 'alice@example.test', purpose: 'encryption' });
  ec = pki.issueUser({
    email: 'bob@example.test',
    purpose: 'encryption',
    key: { type: 'ec', curve: 'P-256' },
  });
  const content = new TextEncoder().encode('Content-Type: text/plain\r\n\r\nfuzz me\r\n');
  samples.push(
    await encryptContent(content, [rsa.certDer, ec.certDer]),
    await encryptContent(content, [{ certificate: rsa.certDer, supportsRsaOaep: true }], {
      cipher: 'aes-128-cbc',
    }),
    await encryptContent(content, [ec.certDer, rsa.certDer], { cipher: 'aes-256-gcm' }),
  );
});
afterAll(() => pki?.cleanup());

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bits: fc.integer({ min: 1, max: 255 }) }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 4 }),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

function mutate(input: Uint8Array, change: Mutation): Uint8Array {
  const at = change.at % input.length;
  switch (change.kind) {
    case 'flip': {
      const out = input.slice();
      out[at]! ^= change.bits;
      return out;
    }
    case 'insert':
      return Uint8Array.from([...input.subarray(0, at), ...change.bytes, ...input.subarray(at)]);
    case 'delete':
      return Uint8Array.from([...input.subarray(0, at), ...input.subarray(at + change.count)]);
    case 'truncate':
      return input.slice(0, at);
  }
}

it('answers every mutated envelope with content or a coded error (2,000 cases)', async () => {
  const keys = [
    { certificate: rsa.certDer, privateKey: rsa.keyDer },
    { certificate: ec.certDer, privateKey: ec.keyDer },
  ];
  await fc.assert(
    fc.asyncProperty(
      fc.nat({ max: 2 }),
      fc.array(mutation, { minLength: 1, maxLength: 3 }),
      async (which, changes) => {
        const input = changes.reduce(mutate, samples[which]!);
        try {
          const opened = await decryptContent(input, keys);
          expect(opened.content).toBeInstanceOf(Uint8Array);
        } catch (error) {
          if (!(error instanceof SealmailError)) throw error;
        }
      },
    ),
    { numRuns: 2_000 },
  );
}, 300_000);
