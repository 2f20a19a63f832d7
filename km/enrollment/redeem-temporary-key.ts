// Redeeming a temporary key (issue 4): the one step where a mailbox becomes Active. In one
// transaction it spends the key (exactly once, even under concurrent redemptions), issues the
// signing certificate for the client's own key, issues an encryption certificate for a key pair
// the KM generated and archived, supersedes the mailbox's earlier certificates, and returns
// every archived encryption key so old mail stays readable after recovery (seed 003).
import { SealmailError } from '../../core/errors.js';
import type { KmContext } from '../authority/km-clock.js';
import { unlockAsNode, type UnlockedKm } from '../authority/unlocked-km.js';
import { issueMailCertificate } from '../ca/issuing-ca.js';
import { generateEncryptionKeyPair, type EncryptionKeyType } from '../ca/key-algorithms.js';
import { temporaryKeyHash } from '../mailbox/issue-temporary-key.js';
import { mailboxAddress } from '../mailbox/mailbox-address.js';
import { publishCrl } from '../mailbox/publish-crl.js';
import { stateAfter } from '../mailbox/transitions.js';
import type { KmRecords } from '../storage/km-records.js';
import { archivedEncryptionKeys, sealArchivedKey, type ArchivedEncryptionKey } from './key-archive.js';
import { checkRedemptionRate } from './redemption-rate.js';

export interface RedemptionRequest {
  email: string;
  temporaryKey: string;
  /** SubjectPublicKeyInfo DER of the client's signing key (from its PKCS#10). */
  signingPublicKey: Uint8Array;
  encryptionKeyType: EncryptionKeyType;
}

export type { ArchivedEncryptionKey };

export interface Redemption {
  email: string;
  caCertificate: Uint8Array;
  signingCertificate: Uint8Array;
  encryptionCertificate: Uint8Array;
  /** Every archived encryption key of the mailbox, oldest first; the new one is last. */
  encryptionKeys: ArchivedEncryptionKey[];
}

/** The KM-generated encryption key pair, exported: the public half is certified, the private archived. */
interface ExportedKeyPair {
  spki: Uint8Array;
  pkcs8: Uint8Array;
}

/** Why a key was refused, decided inside the transaction and reported after the rollback. */
class Refusal extends Error {
  constructor(readonly error: SealmailError) {
    super(error.message);
  }
}

async function spend(records: KmRecords, email: string, typedKey: string, at: Date): Promise<void> {
  const hash = temporaryKeyHash(typedKey);
  const key = await records.temporaryKey(hash);
  const refuse = (code: SealmailError['code'], message: string): never => {
    throw new Refusal(new SealmailError(code, message));
  };
  if (!key)
    refuse('AUTH_FAILED', `that temporary key is not valid for ${email}; check it with your administrator.`);
  else if (key.email !== email) {
    refuse('TEMPORARY_KEY_WRONG_MAILBOX', `that temporary key belongs to another mailbox, not ${email}.`);
  } else if (key.redeemedAt !== null) {
    refuse(
      'TEMPORARY_KEY_SPENT',
      `that temporary key was already used (at ${key.redeemedAt}); ask your administrator for a new one.`,
    );
  } else if (key.withdrawnAt !== null) {
    refuse(
      'TEMPORARY_KEY_SPENT',
      'that temporary key was replaced by a newer one or withdrawn; use the newest key you were sent.',
    );
  } else if (key.expiresAt <= at.toISOString()) {
    refuse(
      'TEMPORARY_KEY_EXPIRED',
      `that temporary key expired at ${key.expiresAt}; ask your administrator for a new one.`,
    );
  }
  // The condition is in the UPDATE: a concurrent redemption that got here first leaves 0 rows.
  if (!(await records.spendTemporaryKey(hash, at.toISOString()))) {
    refuse(
      'TEMPORARY_KEY_SPENT',
      'that temporary key was just used by another enrollment; ask your administrator for a new one.',
    );
  }
}

async function issueAndArchive(
  records: KmRecords,
  km: UnlockedKm,
  request: RedemptionRequest & { encryptionKeys: ExportedKeyPair },
  now: Date,
): Promise<{ signing: Uint8Array; encryption: Uint8Array }> {
  const email = request.email;
  const superseded = await records.revokeCertificatesOf(email, 'superseded', now.toISOString());
  const signing = await issueMailCertificate(km.ca, {
    email,
    kind: 'signing',
    subjectPublicKeyInfo: request.signingPublicKey,
    now,
  });
  const encryption = await issueMailCertificate(km.ca, {
    email,
    kind: 'encryption',
    subjectPublicKeyInfo: request.encryptionKeys.spki,
    now,
  });
  for (const [kind, issued] of [
    ['signing', signing],
    ['encryption', encryption],
  ] as const) {
    await records.addCertificate({
      serial: issued.serial,
      email,
      kind,
      der: issued.der,
      notBefore: issued.notBefore.toISOString(),
      notAfter: issued.notAfter.toISOString(),
      revokedAt: null,
      revocationReason: null,
    });
  }
  await records.archiveKey({
    serial: encryption.serial,
    email,
    wrappedKey: sealArchivedKey(km.archiveKey, encryption.serial, request.encryptionKeys.pkcs8),
    archivedAt: now.toISOString(),
  });
  if (superseded.length > 0) await publishCrl(records, km, now);
  return { signing: signing.der, encryption: encryption.der };
}

export async function redeemTemporaryKey(
  context: KmContext,
  dataDirectory: string,
  request: RedemptionRequest,
): Promise<Redemption> {
  const email = mailboxAddress(request.email);
  await checkRedemptionRate(context, email);
  // Generated before the transaction: RSA-3072 generation is slow and must not hold the lock.
  const pair = await generateEncryptionKeyPair(request.encryptionKeyType);
  const encryptionKeys = {
    spki: new Uint8Array(await globalThis.crypto.subtle.exportKey('spki', pair.publicKey)),
    pkcs8: new Uint8Array(await globalThis.crypto.subtle.exportKey('pkcs8', pair.privateKey)),
  };
  try {
    return await context.store.transaction(async (records) => {
      const now = context.now();
      const km = await unlockAsNode(records, dataDirectory);
      await spend(records, email, request.temporaryKey, now);
      const mailbox = await records.mailbox(email);
      const state = mailbox?.state ?? 'Undefined';
      const target = stateAfter('redeem', email, state);
      const issued = await issueAndArchive(records, km, { ...request, email, encryptionKeys }, now);
      await records.setMailboxState(email, target, now.toISOString());
      await records.appendAudit({
        at: now.toISOString(),
        actor: email,
        action: 'redeem',
        subject: email,
        detail: `${state} → ${target}`,
      });
      return {
        email,
        caCertificate: km.ca.der,
        signingCertificate: issued.signing,
        encryptionCertificate: issued.encryption,
        encryptionKeys: await archivedEncryptionKeys(records, km.archiveKey, email),
      };
    });
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    await context.store.records.recordFailedRedemption(email, context.now().toISOString());
    throw error.error;
  }
}
