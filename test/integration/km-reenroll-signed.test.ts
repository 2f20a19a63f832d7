// Renewal without a TLS client certificate (issue 6): the desktop's crypto worker signs the new
// PKCS#10 with the current signing key (a CMS SignedData, core/enrollment/signed-reenroll.ts) and
// main relays it to a real KM over TLS as EST simplereenroll. A valid request renews; a revoked
// signer, a signer from another CA, an ended signer certificate, a stale signingTime, a replay,
// an altered request and a request for another mailbox are each refused with the code and the
// words the user sees. The same Renew then asks serverkeygen, with a request signed by the new
// signing key, for a NEW encryption key (the encryption certificate ends at the same time): it
// comes back first, with the older keys after it; a replay and a revoked signer are refused.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as pkijs from 'pkijs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redeemTemporaryKey } from '../../core/enrollment/redeem-temporary-key.js';
import type { ServerGeneratedKey } from '../../core/enrollment/est-client.js';
import { certificatesOfCertsOnly, serverGeneratedKeys } from '../../core/enrollment/est-messages.js';
import { renewWithSignedRequest, signedReenrollRequest } from '../../core/enrollment/signed-reenroll.js';
import {
  renewEncryptionKeyWithSignedRequest,
  serverKeygenRequestContent,
} from '../../core/enrollment/signed-serverkeygen.js';
import { createSigningRequest } from '../../core/enrollment/signing-request.js';
import { SealmailError } from '../../core/errors.js';
import {
  encryptionKeysOf,
  signingKeyOf,
  type KeyFileContents,
} from '../../core/keyfile/key-file-contents.js';
import { estHttpsClient, relayEstRequest } from '../../electron/services/enrollment/est-https-client.js';
import type { KmEndpoint } from '../../electron/services/enrollment/km-address.js';
import { kmEndpointOf } from '../../electron/services/security/est-relay.js';
import { unlockAsNode } from '../../km/authority/unlocked-km.js';
import { issueMailCertificate } from '../../km/ca/issuing-ca.js';
import { enableMailbox, revokeMailbox } from '../../km/mailbox/admin-operations.js';
import { startKmServer, type RunningKm } from '../../km/server/km-server.js';
import { adminPasswords, startTestKm, type TestKm } from '../support/km-authority.js';

const two = adminPasswords.slice(0, 2);
const alice = 'alice@example.test';
const bob = 'bob@example.test';
const carol = 'carol@example.test';
const dave = 'dave@example.test';
const dayMs = 24 * 60 * 60_000;

let km: TestKm;
let otherKm: TestKm;
let server: RunningKm;
let endpoint: KmEndpoint;

function pem(der: Uint8Array): string {
  return `-----BEGIN CERTIFICATE-----\n${Buffer.from(der).toString('base64')}\n-----END CERTIFICATE-----\n`;
}

function notAfterOf(der: Uint8Array): Date {
  return pkijs.Certificate.fromBER(new Uint8Array(der)).notAfter.value;
}

/** What main does for the desktop: relays the signed request, no client certificate. */
async function relay(signedRequest: Uint8Array): Promise<Uint8Array> {
  const reply = await relayEstRequest(endpoint, 'simplereenroll', { body: signedRequest, credentials: null });
  const [certificate] = certificatesOfCertsOnly(reply.body, 'the renewed signing certificate');
  return certificate!;
}

/** The renewal's second request: a signed serverkeygen, relayed the same way (no temporary key). */
async function relayKeygen(signedRequest: Uint8Array): Promise<ServerGeneratedKey[]> {
  const reply = await relayEstRequest(endpoint, 'serverkeygen', { body: signedRequest, credentials: null });
  return serverGeneratedKeys(reply.body, reply.contentType);
}

async function enrolled(email: string): Promise<KeyFileContents> {
  const { temporaryKey } = await enableMailbox(km, email, two);
  return redeemTemporaryKey(estHttpsClient(endpoint), { email, temporaryKey });
}

async function refusal(attempt: Promise<unknown>): Promise<SealmailError> {
  const error = await attempt.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(SealmailError);
  return error as SealmailError;
}

beforeAll(async () => {
  km = await startTestKm({ required: 2 });
  otherKm = await startTestKm({ required: 2 });
  server = await startKmServer(
    { ...km, dataDirectory: km.dataDirectory, encryptionKeyType: 'P-256', requestsPerMinute: 1000 },
    { listen: { host: '127.0.0.1', port: 0 } },
  );
  endpoint = kmEndpointOf({ url: server.url, caPem: pem(km.caCertificate) });
}, 120_000);

afterAll(async () => {
  await server?.close();
  await km?.close();
  await otherKm?.close();
});

describe('simplereenroll with a request signed by the current signing key', () => {
  let aliceContents: KeyFileContents;

  it('issues a new signing certificate, valid later, and keeps the encryption keys', async () => {
    aliceContents = await enrolled(alice);
    const oldSigning = signingKeyOf(aliceContents)!;
    // Eleven months on, inside the renewal window: the KM's clock and the desktop's agree.
    const later = new Date(Date.now() + 330 * dayMs);
    km.setNow(later);
    const renewed = await renewWithSignedRequest(aliceContents, relay, { now: () => later });
    km.setNow(new Date());
    const newSigning = signingKeyOf(renewed)!;
    expect(newSigning.certificate).not.toEqual(oldSigning.certificate);
    expect(newSigning.privateKey).not.toEqual(oldSigning.privateKey);
    expect(notAfterOf(newSigning.certificate).getTime()).toBeGreaterThan(
      notAfterOf(oldSigning.certificate).getTime() + 300 * dayMs,
    );
    // The old signing key is gone; every encryption key is still there.
    expect(renewed.keys.filter((key) => key.signing)).toHaveLength(1);
    expect(renewed.keys.filter((key) => key.encryption).map((key) => key.certificate)).toEqual(
      aliceContents.keys.filter((key) => key.encryption).map((key) => key.certificate),
    );
    const audit = await km.store.records.auditLog();
    expect(audit.at(-1)).toMatchObject({ action: 'renew', actor: alice });
  });

  it('builds a standard CMS signed-data that openssl verifies and unwraps to the PKCS#10', async () => {
    const { csr } = await createSigningRequest(alice);
    const signed = await signedReenrollRequest(aliceContents, csr);
    const dir = mkdtempSync(join(tmpdir(), 'sealmail-reenroll-'));
    try {
      writeFileSync(join(dir, 'request.p7m'), signed);
      writeFileSync(join(dir, 'ca.pem'), pem(km.caCertificate));
      const content = execFileSync(
        'openssl',
        ['cms', '-verify', '-inform', 'DER', '-in', join(dir, 'request.p7m'), '-CAfile', join(dir, 'ca.pem')],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      expect(new Uint8Array(content)).toEqual(csr);
      const subject = execFileSync('openssl', ['req', '-inform', 'DER', '-noout', '-subject'], {
        input: content,
        encoding: 'utf8',
      });
      expect(subject).toContain(alice);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses the same signed request sent again (a replay inside the time window)', async () => {
    const { csr } = await createSigningRequest(alice);
    const signed = await signedReenrollRequest(aliceContents, csr);
    await relay(signed);
    const error = await refusal(relay(signed));
    expect(error.code).toBe('ALREADY_EXISTS');
    expect(error.message).toContain('already answered');
  });

  it('refuses a request signed an hour ago (stale signingTime)', async () => {
    const hourAgo = new Date(Date.now() - 60 * 60_000);
    const error = await refusal(renewWithSignedRequest(aliceContents, relay, { now: () => hourAgo }));
    expect(error.code).toBe('AUTH_FAILED');
    expect(error.message).toContain('more than 5 minutes');
    expect(error.message).toContain('clock');
  });

  it('refuses a request whose content was changed after signing (SIGNATURE_INVALID)', async () => {
    const { csr } = await createSigningRequest(alice);
    const signed = await signedReenrollRequest(aliceContents, csr);
    const at = Buffer.from(signed).indexOf(Buffer.from(csr));
    expect(at).toBeGreaterThan(0);
    // The last byte of the PKCS#10's own signature: the structure stays readable.
    const tampered = new Uint8Array(signed);
    tampered[at + csr.length - 1]! ^= 0x01;
    const error = await refusal(relay(tampered));
    expect(error.code).toBe('SIGNATURE_INVALID');
    expect(error.message).toContain('does not verify');
  });

  it('refuses a signer whose certificate has ended (SIGNER_EXPIRED)', async () => {
    const afterEnd = new Date(Date.now() + 400 * dayMs);
    km.setNow(afterEnd);
    try {
      const error = await refusal(renewWithSignedRequest(aliceContents, relay, { now: () => afterEnd }));
      expect(error.code).toBe('SIGNER_EXPIRED');
      expect(error.message).toContain('recovery key');
    } finally {
      km.setNow(new Date());
    }
  });

  it('refuses a request for another mailbox, even signed by a valid certificate', async () => {
    const { csr } = await createSigningRequest(bob);
    const error = await refusal(relay(await signedReenrollRequest(aliceContents, csr)));
    expect(error.code).toBe('SIGNER_MISMATCH');
    expect(error.message).toContain(bob);
    expect(error.message).toContain(alice);
  });

  it('refuses a signer whose certificate another CA issued for the same mailbox', async () => {
    const pair = await globalThis.crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
      'sign',
      'verify',
    ]);
    const other = await unlockAsNode(otherKm.store.records, otherKm.dataDirectory);
    const issued = await issueMailCertificate(other.ca, {
      email: alice,
      kind: 'signing',
      subjectPublicKeyInfo: new Uint8Array(await globalThis.crypto.subtle.exportKey('spki', pair.publicKey)),
      now: new Date(),
    });
    const impostor: KeyFileContents = {
      keys: [
        {
          privateKey: new Uint8Array(await globalThis.crypto.subtle.exportKey('pkcs8', pair.privateKey)),
          certificate: issued.der,
          signing: true,
          encryption: null,
        },
      ],
      caCertificates: [otherKm.caCertificate],
    };
    const error = await refusal(renewWithSignedRequest(impostor, relay));
    expect(error.code).toBe('SIGNER_UNTRUSTED');
    expect(error.message).toContain('did not issue');
  });

  it('refuses a revoked signer with SIGNER_REVOKED and the reason', async () => {
    const bobContents = await enrolled(bob);
    await revokeMailbox(km, bob, 'keyCompromise', two);
    const before = (await km.store.records.certificatesOf(bob)).length;
    const error = await refusal(renewWithSignedRequest(bobContents, relay));
    expect(error.code).toBe('SIGNER_REVOKED');
    expect(error.message).toContain('keyCompromise');
    expect((await km.store.records.certificatesOf(bob)).length).toBe(before);
  });
});

describe('serverkeygen with a request signed by the renewed signing key', () => {
  let enrolledContents: KeyFileContents;
  let renewedSigning: KeyFileContents;

  it('issues a new, later-ending encryption key and hands back the older keys too', async () => {
    // carol enrolled 340 days ago: both her certificates end in 25 days.
    km.setNow(new Date(Date.now() - 340 * dayMs));
    try {
      enrolledContents = await enrolled(carol);
    } finally {
      km.setNow(new Date());
    }
    const [oldKey] = encryptionKeysOf(enrolledContents);
    renewedSigning = await renewWithSignedRequest(enrolledContents, relay);
    const renewed = await renewEncryptionKeyWithSignedRequest(renewedSigning, relayKeygen);

    const [current, ...previous] = encryptionKeysOf(renewed);
    expect(current!.encryption).toBe('current');
    expect(current!.certificate).not.toEqual(oldKey!.certificate);
    expect(current!.privateKey).not.toEqual(oldKey!.privateKey);
    expect(notAfterOf(current!.certificate).getTime()).toBeGreaterThan(
      notAfterOf(oldKey!.certificate).getTime() + 300 * dayMs,
    );
    // The old key comes back as it was, so mail encrypted to it stays readable.
    expect(previous).toEqual([{ ...oldKey!, encryption: 'previous' }]);
    expect(signingKeyOf(renewed)).toEqual(signingKeyOf(renewedSigning));
    const record = (await km.store.records.certificatesOf(carol)).find((entry) =>
      Buffer.from(entry.der).equals(Buffer.from(current!.certificate)),
    );
    expect(record).toMatchObject({ kind: 'encryption', revokedAt: null });
    expect((await km.store.records.archivedKeysOf(carol)).length).toBe(2);
    const audit = await km.store.records.auditLog();
    expect(audit.at(-1)).toMatchObject({ action: 'renew', actor: carol });
    expect(audit.at(-1)?.detail).toContain('encryption key renewed');
  });

  it('refuses the same signed request sent again, and mints no second key', async () => {
    const signed = await signedReenrollRequest(renewedSigning, serverKeygenRequestContent(carol));
    const error = await refusal(relayKeygen(signed));
    expect(error.code).toBe('ALREADY_EXISTS');
    expect(error.message).toContain('already renewed the encryption key');
    expect((await km.store.records.archivedKeysOf(carol)).length).toBe(2);
  });

  it('refuses a signed renewal PKCS#10 passed off as a serverkeygen request', async () => {
    const { csr } = await createSigningRequest(carol);
    const error = await refusal(relayKeygen(await signedReenrollRequest(renewedSigning, csr)));
    expect(error.code).toBe('SIGNER_MISMATCH');
    expect(error.message).toContain(`sealmail serverkeygen ${carol}`);
  });

  it('refuses a revoked signer with SIGNER_REVOKED and mints no key', async () => {
    const daveContents = await enrolled(dave);
    await revokeMailbox(km, dave, 'keyCompromise', two);
    const error = await refusal(renewEncryptionKeyWithSignedRequest(daveContents, relayKeygen));
    expect(error.code).toBe('SIGNER_REVOKED');
    expect(error.message).toContain('keyCompromise');
    expect((await km.store.records.archivedKeysOf(dave)).length).toBe(1);
  });
});
