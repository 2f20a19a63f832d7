// Property test (issue 3): mutate valid S/MIME messages and their CMS, at the MIME level and
// inside the DER, and require that every case ends in a verdict or a coded SealmailError —
// never an uncaught TypeError from deep inside a parser, never a hang. 10,500 cases in all.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, type IssuedCertificate, type TestPki } from '../support/openssl-pki.js';
import { bytes, infoOf, plainMessage, signingIdentity } from '../support/smime-identities.js';
import { SealmailError, isErrorCode } from '../../core/errors.js';
import {
  buildMessage,
  buildMultipartSignedEntity,
  buildPkcs7MimeEntity,
} from '../../core/mime/build-entities.js';
import { concatBytes } from '../../core/mime/message-bytes.js';
import { decryptContent, encryptContent } from '../../core/smime/envelope/index.js';
import { openMessage, type OpenOptions } from '../../core/smime/open.js';
import { sealMessage } from '../../core/smime/seal.js';
import { createSignature } from '../../core/smime/sign/create-signature.js';
import { signatureStatuses } from '../../core/smime/verify/verdict.js';

// openssl makes fresh keys for every run; on a busy shared machine that takes seconds.
const pkiTimeout = 60_000;

let pki: TestPki;
let alice: IssuedCertificate;
let bob: IssuedCertificate;
let options: OpenOptions;
let detachedMessage: Uint8Array;
let content: Uint8Array;
let detachedDer: Uint8Array;
let opaqueDer: Uint8Array;
let envelopeDer: Uint8Array;

const headers = [bytes('From: alice@example.test\r\n'), bytes('Subject: fuzz\r\n')];

beforeAll(async () => {
  pki = createTestPki({ rootKey: { type: 'ec', curve: 'P-256' } });
  alice = pki.issueUser({
    email: 'alice@example.test',
    key: { type: 'ec', curve: 'P-256' },
    purpose: 'signing',
  });
  bob = pki.issueUser({
    email: 'bob@example.test',
    key: { type: 'ec', curve: 'P-256' },
    purpose: 'encryption',
  });
  const identity = await signingIdentity(alice);
  options = {
    anchors: [infoOf(pki.root)],
    decrypt: async (der) => decryptContent(der, [{ certificate: bob.certDer, privateKey: bob.keyDer }]),
  };
  detachedMessage = await sealMessage(plainMessage({ body: 'Fuzz me.\r\n' }), { sign: { identity } });
  content = bytes('Content-Type: text/plain\r\n\r\nFuzz the DER.\r\n');
  detachedDer = await createSignature(content, identity);
  opaqueDer = await createSignature(content, identity, { detached: false });
  const signedEntity = buildMultipartSignedEntity(content, detachedDer, 'sha-256');
  envelopeDer = await encryptContent(signedEntity, [bob.certDer], { cipher: 'aes-256-gcm' });
}, pkiTimeout);
afterAll(() => pki.cleanup());

type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'set'; at: number; value: number }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'insert'; at: number; data: Uint8Array }
  | { kind: 'truncate'; at: number }
  | { kind: 'duplicate'; at: number; length: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({
    kind: fc.constant('set' as const),
    at: fc.nat(),
    value: fc.constantFrom(0x00, 0x80, 0xff, 0x30, 0x31, 0x04, 0x24, 0x0a, 0x2d),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 64 }) }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    data: fc.uint8Array({ minLength: 1, maxLength: 16 }),
  }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('duplicate' as const),
    at: fc.nat(),
    length: fc.integer({ min: 1, max: 200 }),
  }),
);

function apply(input: Uint8Array, mutations: Mutation[]): Uint8Array {
  let out = input;
  for (const m of mutations) {
    const at = out.length === 0 ? 0 : m.at % out.length;
    const copy = () => Uint8Array.from(out);
    switch (m.kind) {
      case 'flip':
        out = copy();
        if (out.length) out[at] ^= 1 << m.bit;
        break;
      case 'set':
        out = copy();
        if (out.length) out[at] = m.value;
        break;
      case 'delete':
        out = concatBytes([out.subarray(0, at), out.subarray(at + m.length)]);
        break;
      case 'insert':
        out = concatBytes([out.subarray(0, at), m.data, out.subarray(at)]);
        break;
      case 'truncate':
        out = out.subarray(0, at);
        break;
      case 'duplicate':
        out = concatBytes([out.subarray(0, at + m.length), out.subarray(at)]);
        break;
    }
  }
  return out;
}

const mutations = fc.array(mutation, { minLength: 1, maxLength: 4 });

/** The property: a verdict with a known status, or a SealmailError with a known code. */
async function endsWell(message: Uint8Array): Promise<boolean> {
  try {
    const opened = await openMessage(message, options);
    return (signatureStatuses as readonly string[]).includes(opened.report.signature);
  } catch (error) {
    if (error instanceof SealmailError && isErrorCode(error.code)) return true;
    throw error; // fast-check reports the input that made it
  }
}

const runs = (numRuns: number) => ({ numRuns, endOnFailure: true });

describe('mutated messages end in a verdict or a coded error', { timeout: pkiTimeout }, () => {
  it('multipart/signed message, mutated as bytes (2,000 cases)', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(mutations, async (m) => endsWell(apply(detachedMessage, m))),
      runs(2000),
    );
  });

  it('detached CMS, mutated inside the DER (2,500 cases)', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(mutations, async (m) =>
        endsWell(
          buildMessage(headers, buildMultipartSignedEntity(content, apply(detachedDer, m), 'sha-256')),
        ),
      ),
      runs(2500),
    );
  });

  it('opaque signed-data, mutated inside the DER (2,500 cases)', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(mutations, async (m) =>
        endsWell(buildMessage(headers, buildPkcs7MimeEntity(apply(opaqueDer, m), 'signed-data'))),
      ),
      runs(2500),
    );
  });

  it(
    'AuthEnvelopedData around a signed entity, mutated inside the DER (3,500 cases)',
    { timeout: 120_000 },
    async () => {
      await fc.assert(
        fc.asyncProperty(mutations, async (m) =>
          endsWell(buildMessage(headers, buildPkcs7MimeEntity(apply(envelopeDer, m), 'authEnveloped-data'))),
        ),
        runs(3500),
      );
    },
  );

  it('the unmutated inputs are valid, so the mutations start from real messages', async () => {
    expect((await openMessage(detachedMessage, options)).report.signature).toBe('valid');
    const sealed = buildMessage(headers, buildPkcs7MimeEntity(envelopeDer, 'authEnveloped-data'));
    expect((await openMessage(sealed, options)).report).toMatchObject({
      decrypted: true,
      signature: 'valid',
    });
  });
});
