// The client's side of the EST messages (issue 4) against the KM's own encoders: the CSR the
// client makes passes the KM's proof-of-possession check, the certs-only and serverkeygen
// answers parse back to the same certificates and keys, newest key current, and an answer
// that is not EST is a clear SERVER_ERROR.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encryptionKeysFrom } from '../../core/enrollment/redeem-temporary-key.js';
import { certificatesOfCertsOnly, serverGeneratedKeys } from '../../core/enrollment/est-messages.js';
import { checkIssuedFor, createSigningRequest } from '../../core/enrollment/signing-request.js';
import { SealmailError } from '../../core/errors.js';
import { certsOnly } from '../../km/server/certs-only.js';
import { base64Lines, csrPublicKey, serverKeygenBody } from '../../km/server/est-bodies.js';
import { createTestPki, type TestPki } from '../support/openssl-pki.js';

let pki: TestPki;
beforeAll(() => {
  pki = createTestPki();
});
afterAll(() => pki?.cleanup());

const encoded = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('EST messages', () => {
  it('makes a signing request the KM accepts, for exactly the generated key', async () => {
    const request = await createSigningRequest('alice@example.test');
    expect(await csrPublicKey(request.csr)).toEqual(request.publicKeyInfo);
    const foreign = pki.issueUser({ email: 'alice@example.test', key: { type: 'ec', curve: 'P-256' } });
    expect(() => checkIssuedFor(foreign.certDer, request)).toThrow(/different key/);
  });

  it('reads the certificates of a base64 certs-only answer', () => {
    const body = encoded(base64Lines(certsOnly([pki.root.certDer])));
    expect(certificatesOfCertsOnly(body)).toEqual([pki.root.certDer]);
  });

  it('reads every serverkeygen key in order and makes the newest current', () => {
    const older = pki.issueUser({
      email: 'alice@example.test',
      purpose: 'encryption',
      key: { type: 'ec', curve: 'P-256' },
    });
    const newer = pki.issueUser({
      email: 'alice@example.test',
      purpose: 'encryption',
      key: { type: 'ec', curve: 'P-256' },
    });
    const boundary = 'sealmail-test-boundary';
    const body = serverKeygenBody(
      [newer, older].map((key) => ({ privateKey: key.keyDer, certsOnly: certsOnly([key.certDer]) })),
      boundary,
    );
    const keys = serverGeneratedKeys(encoded(body), `multipart/mixed; boundary=${boundary}`);
    expect(keys).toEqual([
      { privateKey: newer.keyDer, certificate: newer.certDer },
      { privateKey: older.keyDer, certificate: older.certDer },
    ]);
    expect(encryptionKeysFrom(keys).map((key) => key.encryption)).toEqual(['current', 'previous']);
  });

  it('calls an answer that is not EST a server error', () => {
    const refused = (action: () => unknown): string => {
      try {
        action();
      } catch (error) {
        return error instanceof SealmailError ? error.code : 'not coded';
      }
      return 'accepted';
    };
    expect(refused(() => certificatesOfCertsOnly(encoded('<html>proxy login</html>')))).toBe('SERVER_ERROR');
    expect(refused(() => serverGeneratedKeys(encoded('{}'), 'application/json'))).toBe('SERVER_ERROR');
  });
});
