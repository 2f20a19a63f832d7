// The KM's mailbox lifecycle of seed 003 over real storage (SQLite in --data, and a real
// PostgreSQL cluster: issue 4 asks the same suite to pass on both) and real WebCrypto, checked
// with openssl where a relying party would look: enable → redeem (Active) → revoke (CRL with
// reason) → recover → redeem again with the old encryption key returned.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTemporaryKey } from '../../core/enrollment/temporary-key.js';
import { SealmailError } from '../../core/errors.js';
import { enableMailbox, recoverMailbox, revokeMailbox } from '../../km/mailbox/admin-operations.js';
import { mailboxStatus } from '../../km/mailbox/mailbox-status.js';
import { redeemTemporaryKey, type Redemption } from '../../km/enrollment/redeem-temporary-key.js';
import { adminPasswords, signingPublicKey, startTestKm, type TestKm } from '../support/km-authority.js';
import { startPostgres, type TestPostgres } from '../support/postgres.js';

const two = adminPasswords.slice(0, 2);
let km: TestKm;

function pem(der: Uint8Array, label = 'CERTIFICATE'): string {
  const body = Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n');
  return `-----BEGIN ${label}-----\n${body}${body.endsWith('\n') ? '' : '\n'}-----END ${label}-----\n`;
}

function writePem(name: string, der: Uint8Array, label?: string): string {
  const file = join(km.dataDirectory, name);
  writeFileSync(file, pem(der, label));
  return file;
}

function openssl(...args: string[]): string {
  return execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

async function codeOf(action: Promise<unknown>): Promise<string | undefined> {
  try {
    await action;
    return undefined;
  } catch (error) {
    return error instanceof SealmailError ? error.code : `not a SealmailError: ${String(error)}`;
  }
}

async function redeem(email: string, temporaryKey: string): Promise<Redemption> {
  return redeemTemporaryKey(km, km.dataDirectory, {
    email,
    temporaryKey,
    signingPublicKey: await signingPublicKey(),
    encryptionKeyType: 'P-256',
  });
}

/** Runs one statement straight on the engine, bypassing the KM (to prove the log is append-only). */
async function rawStatement(engine: 'sqlite' | 'postgres', sql: string): Promise<void> {
  if (engine === 'sqlite') {
    const db = new Database(join(km.dataDirectory, 'km.sqlite'));
    try {
      db.prepare(sql).run();
    } finally {
      db.close();
    }
    return;
  }
  const client = new pg.Client(postgres?.url);
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

let postgres: TestPostgres | undefined;

describe.each(['sqlite', 'postgres'] as const)('KM mailbox lifecycle on %s', (engine) => {
  beforeAll(async () => {
    if (engine === 'postgres') postgres = await startPostgres();
    km = await startTestKm({ required: 2, db: postgres?.url });
  });
  afterAll(async () => {
    await km?.close();
    await postgres?.stop();
    postgres = undefined;
  });

  let firstEnrollment: Redemption;

  it('enables alice only with two administrator passwords, and she is New', async () => {
    expect(await codeOf(enableMailbox(km, 'alice@example.test', adminPasswords.slice(0, 1)))).toBe(
      'ADMIN_PASSWORDS_REQUIRED',
    );
    expect((await mailboxStatus(km.store.records, 'alice@example.test')).status).toBe('Undefined');
    const before = Date.now();
    const issued = await enableMailbox(km, 'Alice@Example.test', two);
    const after = Date.now();
    expect(issued.email).toBe('alice@example.test');
    const week = 7 * 86_400_000;
    expect(Date.parse(issued.expires)).toBeGreaterThanOrEqual(before + week);
    expect(Date.parse(issued.expires)).toBeLessThanOrEqual(after + week);
    expect((await mailboxStatus(km.store.records, 'alice@example.test')).status).toBe('New');
    firstEnrollment = await redeem('alice@example.test', issued.temporaryKey.toLowerCase());
    const status = await mailboxStatus(km.store.records, 'alice@example.test');
    expect(status.status).toBe('Active');
    expect(status.signingCertificate?.validTo).toBeTruthy();
    expect(await codeOf(redeem('alice@example.test', issued.temporaryKey))).toBe('TEMPORARY_KEY_SPENT');
  });

  it('issues certificates openssl accepts for S/MIME, with SAN, EKU, key usage and CRL point', () => {
    const caFile = writePem('ca.pem', km.caCertificate);
    const signing = writePem('alice-sign.pem', firstEnrollment.signingCertificate);
    const encryption = writePem('alice-enc.pem', firstEnrollment.encryptionCertificate);
    expect(openssl('verify', '-CAfile', caFile, '-purpose', 'smimesign', signing)).toContain(': OK');
    // OpenSSL's smimeencrypt purpose demands keyEncipherment, which an EC key cannot do
    // (RFC 8550 §4.4.2 asks keyAgreement for it); check the chain and then the usage itself.
    expect(openssl('verify', '-CAfile', caFile, encryption)).toContain(': OK');
    const signingText = openssl('x509', '-in', signing, '-noout', '-text');
    expect(signingText).toContain('email:alice@example.test');
    expect(signingText).toContain('E-mail Protection');
    expect(signingText).toMatch(/Key Usage: critical\s+Digital Signature\s/);
    expect(signingText).toContain('URI:https://127.0.0.1:8443/crl');
    const encryptionText = openssl('x509', '-in', encryption, '-noout', '-text');
    expect(encryptionText).toMatch(/Key Usage: critical\s+Key Agreement\s/);
    const days =
      (Date.parse(openssl('x509', '-in', signing, '-noout', '-enddate').split('=')[1] ?? '') - Date.now()) /
      86_400_000;
    expect(Math.round(days)).toBe(365);
  });

  it('refuses a key for another mailbox, an expired key, and a typo before looking it up', async () => {
    const bob = await enableMailbox(km, 'bob@example.test', two);
    expect(await codeOf(redeem('carol@example.test', bob.temporaryKey))).toBe('TEMPORARY_KEY_WRONG_MAILBOX');
    const typo = bob.temporaryKey.startsWith('A')
      ? `B${bob.temporaryKey.slice(1)}`
      : `A${bob.temporaryKey.slice(1)}`;
    expect(await codeOf(redeem('bob@example.test', typo))).toBe('TEMPORARY_KEY_MALFORMED');
    km.setNow(new Date(Date.now() + 8 * 86_400_000));
    try {
      expect(await codeOf(redeem('bob@example.test', bob.temporaryKey))).toBe('TEMPORARY_KEY_EXPIRED');
    } finally {
      km.setNow(new Date());
    }
    expect((await mailboxStatus(km.store.records, 'bob@example.test')).status).toBe('New');
  });

  it('rate-limits a mailbox after ten failed redemptions, even with the right key', async () => {
    const erin = await enableMailbox(km, 'erin@example.test', two);
    for (let i = 0; i < 10; i++) {
      expect(await codeOf(redeem('erin@example.test', generateTemporaryKey()))).toBe('AUTH_FAILED');
    }
    expect(await codeOf(redeem('erin@example.test', erin.temporaryKey))).toBe('RATE_LIMITED');
    km.setNow(new Date(Date.now() + 16 * 60_000));
    try {
      await redeem('erin@example.test', erin.temporaryKey);
    } finally {
      km.setNow(new Date());
    }
    expect((await mailboxStatus(km.store.records, 'erin@example.test')).status).toBe('Active');
  });

  it('lets exactly one of fifty concurrent redemptions of one key succeed', async () => {
    const dave = await enableMailbox(km, 'dave@example.test', two);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 50 }, () => redeem('dave@example.test', dave.temporaryKey)),
    );
    const succeeded = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    const refused = outcomes.flatMap((outcome) =>
      outcome.status === 'rejected' && outcome.reason instanceof SealmailError ? [outcome.reason.code] : [],
    );
    expect(succeeded).toHaveLength(1);
    // Spent, or (once ten refusals are on record for the mailbox) rate-limited: which one depends
    // on how the fifty interleave, so both are accepted; a storage error is not.
    expect(refused).toHaveLength(49);
    expect(refused.filter((code) => code !== 'TEMPORARY_KEY_SPENT' && code !== 'RATE_LIMITED')).toEqual([]);
    const certificates = await km.store.records.certificatesOf('dave@example.test');
    expect(certificates).toHaveLength(2);
  });

  it('revokes alice onto the CRL with the reason, and recovery returns her old encryption key', async () => {
    const { revokedSerials } = await revokeMailbox(km, 'alice@example.test', 'keyCompromise', two);
    expect(revokedSerials).toHaveLength(2);
    expect((await mailboxStatus(km.store.records, 'alice@example.test')).status).toBe('Disabled');
    const crl = await km.store.records.latestCrl();
    const crlFile = writePem('km.crl', crl?.der ?? new Uint8Array(), 'X509 CRL');
    const caFile = writePem('ca.pem', km.caCertificate);
    const text = openssl('crl', '-in', crlFile, '-CAfile', caFile, '-noout', '-text');
    for (const serial of revokedSerials) expect(text.toUpperCase()).toContain(serial.toUpperCase());
    expect(text).toContain('Key Compromise');
    expect(text).toMatch(/Next Update:/);

    const recovery = await recoverMailbox(km, 'alice@example.test', adminPasswords.slice(1));
    expect((await mailboxStatus(km.store.records, 'alice@example.test')).status).toBe(
      'KeyRecoveryInProgress',
    );
    const again = await redeem('alice@example.test', recovery.temporaryKey);
    expect((await mailboxStatus(km.store.records, 'alice@example.test')).status).toBe('Active');
    expect(again.encryptionKeys).toHaveLength(2);
    expect(again.encryptionKeys[0]?.certificate).toEqual(firstEnrollment.encryptionCertificate);
    expect(again.encryptionKeys[0]?.privateKey).toEqual(firstEnrollment.encryptionKeys[0]?.privateKey);
    expect(again.encryptionKeys[1]?.certificate).toEqual(again.encryptionCertificate);
  });

  it('keeps an append-only audit log of who did what, when', async () => {
    const log = await km.store.records.auditLog();
    expect(log.map((entry) => entry.action)).toEqual(
      expect.arrayContaining(['init', 'enable', 'redeem', 'revoke', 'recover']),
    );
    const revoke = log.find((entry) => entry.action === 'revoke');
    expect(revoke).toMatchObject({ actor: 'admin 1, admin 2', subject: 'alice@example.test' });
    expect(log.find((entry) => entry.action === 'recover')?.actor).toBe('admin 2, admin 3');
    await expect(rawStatement(engine, 'DELETE FROM audit_log')).rejects.toThrow(/append-only/);
    await expect(rawStatement(engine, "UPDATE audit_log SET actor = 'nobody'")).rejects.toThrow(
      /append-only/,
    );
    expect(await km.store.records.auditLog()).toHaveLength(log.length);
  });
});
