// A FAKE of the main-process side the crypto worker talks to (keyfile.read/save, security.status,
// policy.get, certificates.revocation), for testing the worker's operations in Node while the
// real services are being built. It keeps the key file bytes and public certificates it is
// given, as main does, and answers revocation from a list the test controls. Everything
// cryptographic in these tests is real: the key files, certificates and messages.
import { createHash } from 'node:crypto';
import type { CertificateView, RevocationView, SecurityStatus } from '../../core/api/security-types.js';
import type { Responses } from '../../core/api/types.js';
import { SealmailError } from '../../core/errors.js';
import { summarizeCertificate } from '../../core/keyfile/key-file-summary.js';
import { builtInPolicy, type SecurityProfile } from '../../core/policy/effective-policy.js';
import type { Invoke, WorkerChannel } from '../../renderer/src/crypto/operations/worker-ipc.js';

interface Stored {
  bytes: Uint8Array;
  certificates: Uint8Array[];
  caCertificates: Uint8Array[];
}

function viewOf(der: Uint8Array, role: CertificateView['role']): CertificateView {
  const summary = summarizeCertificate(der);
  return {
    role,
    subject: summary.subject,
    email: summary.email,
    issuer: summary.issuer,
    serial: summary.serial,
    validFrom: summary.notBefore,
    validTo: summary.notAfter,
    fingerprint: createHash('sha256').update(der).digest('hex'),
    der,
  };
}

export class FakeMain {
  readonly stored = new Map<string, Stored>();
  /** Every channel the worker invoked, in order. */
  readonly calls: WorkerChannel[] = [];
  profile: SecurityProfile = { kind: 'medium', cacheMinutes: 10 };
  /** Serial (lower-case hex) → the revocation main would report for it. */
  readonly revoked = new Map<string, RevocationView>();

  store(accountId: string, stored: Stored): void {
    this.stored.set(accountId, stored);
  }

  status(accountId: string): SecurityStatus {
    const stored = this.stored.get(accountId);
    // As the worker orders them (save-key-file.ts): signing, current encryption, previous ones.
    const certificates = stored
      ? [
          ...stored.certificates.map((der, i) =>
            viewOf(der, i === 0 ? 'signing' : i === 1 ? 'encryption' : 'previous-encryption'),
          ),
          ...stored.caCertificates.map((der) => viewOf(der, 'ca')),
        ]
      : [];
    return {
      accountId,
      state: stored ? 'active' : 'not-enrolled',
      detail: null,
      certificates,
      km: null,
      defaults: { sign: true, encrypt: false },
    };
  }

  readonly invoke: Invoke = async (channel, request) => {
    this.calls.push(channel);
    const answer = await this.answer(channel, request);
    return answer as Responses[typeof channel];
  };

  private async answer(channel: WorkerChannel, request: unknown): Promise<unknown> {
    const { accountId } = request as { accountId: string };
    switch (channel) {
      case 'policy.get': {
        const policy = builtInPolicy();
        return { ...policy, securityProfile: { value: this.profile, locked: true } };
      }
      case 'security.status':
        return this.status(accountId);
      case 'keyfile.read': {
        const stored = this.stored.get(accountId);
        if (!stored) throw new SealmailError('NOT_FOUND', `No key file for ${accountId}.`);
        return { bytes: stored.bytes };
      }
      case 'keyfile.save': {
        const { bytes, certificates, caCertificates } = request as Stored;
        this.store(accountId, { bytes, certificates, caCertificates });
        return this.status(accountId);
      }
      case 'certificates.revocation': {
        const { certificate } = request as { certificate: Uint8Array };
        const serial = summarizeCertificate(certificate).serial;
        return this.revoked.get(serial) ?? { status: 'good', warning: null };
      }
      case 'km.est':
        throw new SealmailError('CONNECTION_FAILED', 'This fake has no KM.');
    }
  }
}
