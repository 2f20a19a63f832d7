// The KM's queries, written once for both engines over SqlExecutor. Every method can run inside
// a transaction (KmStore.transaction) or on its own.
import type {
  ArchivedKeyRecord,
  AuditEntry,
  CertificateKind,
  CertificateRecord,
  CrlRecord,
  MailboxRecord,
  MailboxState,
  RevocationReason,
  TemporaryKeyRecord,
  TemporaryKeyPurpose,
} from './records.js';
import type { SqlExecutor, SqlRow } from './sql-connection.js';

const text = (row: SqlRow, column: string): string => String(row[column]);
const optionalText = (row: SqlRow, column: string): string | null =>
  row[column] === null || row[column] === undefined ? null : String(row[column]);
const base64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
const bytes = (value: string): Uint8Array => new Uint8Array(Buffer.from(value, 'base64'));

function certificateFrom(row: SqlRow): CertificateRecord {
  return {
    serial: text(row, 'serial'),
    email: text(row, 'email'),
    kind: text(row, 'kind') as CertificateKind,
    der: bytes(text(row, 'der')),
    notBefore: text(row, 'not_before'),
    notAfter: text(row, 'not_after'),
    revokedAt: optionalText(row, 'revoked_at'),
    revocationReason: optionalText(row, 'revocation_reason') as RevocationReason | null,
  };
}

function temporaryKeyFrom(row: SqlRow): TemporaryKeyRecord {
  return {
    keyHash: text(row, 'key_hash'),
    email: text(row, 'email'),
    purpose: text(row, 'purpose') as TemporaryKeyPurpose,
    issuedAt: text(row, 'issued_at'),
    expiresAt: text(row, 'expires_at'),
    redeemedAt: optionalText(row, 'redeemed_at'),
    withdrawnAt: optionalText(row, 'withdrawn_at'),
    collectedAt: optionalText(row, 'collected_at'),
  };
}

/** The advisory lock key that serialises CRL issuance (migrations hold 4044 while they run). */
const crlIssuanceLock = 4045;

export class KmRecords {
  constructor(private readonly sql: SqlExecutor) {}

  async setting(name: string): Promise<string | undefined> {
    const rows = await this.sql.all('SELECT value FROM settings WHERE name = ?', [name]);
    return rows[0] ? text(rows[0], 'value') : undefined;
  }

  async putSetting(name: string, value: string): Promise<void> {
    await this.sql.run(
      'INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
      [name, value],
    );
  }

  async mailbox(email: string): Promise<MailboxRecord | undefined> {
    const rows = await this.sql.all('SELECT email, state, updated_at FROM mailboxes WHERE email = ?', [
      email,
    ]);
    const row = rows[0];
    return row
      ? {
          email: text(row, 'email'),
          state: text(row, 'state') as MailboxState,
          updatedAt: text(row, 'updated_at'),
        }
      : undefined;
  }

  async mailboxes(): Promise<MailboxRecord[]> {
    const rows = await this.sql.all('SELECT email, state, updated_at FROM mailboxes ORDER BY email');
    return rows.map((row) => ({
      email: text(row, 'email'),
      state: text(row, 'state') as MailboxState,
      updatedAt: text(row, 'updated_at'),
    }));
  }

  async setMailboxState(email: string, state: MailboxState, at: string): Promise<void> {
    await this.sql.run(
      `INSERT INTO mailboxes (email, state, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (email) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`,
      [email, state, at],
    );
  }

  /** Stores a new key and withdraws any earlier unredeemed key of the same mailbox. */
  async addTemporaryKey(key: TemporaryKeyRecord): Promise<void> {
    await this.sql.run(
      'UPDATE temporary_keys SET withdrawn_at = ? WHERE email = ? AND redeemed_at IS NULL AND withdrawn_at IS NULL',
      [key.issuedAt, key.email],
    );
    await this.sql.run(
      `INSERT INTO temporary_keys (key_hash, email, purpose, issued_at, expires_at, redeemed_at, withdrawn_at)
       VALUES (?, ?, ?, ?, ?, NULL, NULL)`,
      [key.keyHash, key.email, key.purpose, key.issuedAt, key.expiresAt],
    );
  }

  /** Revocation also cancels any key not yet redeemed. */
  async withdrawTemporaryKeysOf(email: string, at: string): Promise<void> {
    await this.sql.run(
      'UPDATE temporary_keys SET withdrawn_at = ? WHERE email = ? AND redeemed_at IS NULL AND withdrawn_at IS NULL',
      [at, email],
    );
  }

  async temporaryKey(keyHash: string): Promise<TemporaryKeyRecord | undefined> {
    const rows = await this.sql.all('SELECT * FROM temporary_keys WHERE key_hash = ?', [keyHash]);
    return rows[0] ? temporaryKeyFrom(rows[0]) : undefined;
  }

  /**
   * Spends a key: true for exactly one caller. The condition is in the UPDATE itself, so two
   * redemptions racing on two connections (or two KM nodes) cannot both see it unspent.
   */
  async spendTemporaryKey(keyHash: string, at: string): Promise<boolean> {
    const changed = await this.sql.run(
      `UPDATE temporary_keys SET redeemed_at = ?
       WHERE key_hash = ? AND redeemed_at IS NULL AND withdrawn_at IS NULL AND expires_at > ?`,
      [at, keyHash, at],
    );
    return changed === 1;
  }

  /** Marks a redeemed key's encryption keys as handed out: true for exactly one caller. */
  async collectServerKeys(keyHash: string, at: string, redeemedAfter: string): Promise<boolean> {
    const changed = await this.sql.run(
      `UPDATE temporary_keys SET collected_at = ?
       WHERE key_hash = ? AND redeemed_at IS NOT NULL AND redeemed_at > ? AND collected_at IS NULL`,
      [at, keyHash, redeemedAfter],
    );
    return changed === 1;
  }

  async recordFailedRedemption(email: string, at: string): Promise<void> {
    await this.sql.run('INSERT INTO failed_redemptions (email, at) VALUES (?, ?)', [email, at]);
  }

  async failedRedemptionsSince(email: string, since: string): Promise<number> {
    const rows = await this.sql.all(
      'SELECT COUNT(*) AS n FROM failed_redemptions WHERE email = ? AND at > ?',
      [email, since],
    );
    return rows[0] ? Number(rows[0].n) : 0;
  }

  async addCertificate(certificate: CertificateRecord): Promise<void> {
    await this.sql.run(
      `INSERT INTO certificates (serial, email, kind, der, not_before, not_after, revoked_at, revocation_reason)
       VALUES (?, ?, ?, ?, ?, ?, NULL, NULL)`,
      [
        certificate.serial,
        certificate.email,
        certificate.kind,
        base64(certificate.der),
        certificate.notBefore,
        certificate.notAfter,
      ],
    );
  }

  async certificate(serial: string): Promise<CertificateRecord | undefined> {
    const rows = await this.sql.all('SELECT * FROM certificates WHERE serial = ?', [serial]);
    return rows[0] ? certificateFrom(rows[0]) : undefined;
  }

  /** A mailbox's certificates, newest first. */
  async certificatesOf(email: string): Promise<CertificateRecord[]> {
    const rows = await this.sql.all(
      'SELECT * FROM certificates WHERE email = ? ORDER BY not_before DESC, serial',
      [email],
    );
    return rows.map(certificateFrom);
  }

  /** Revokes every unrevoked certificate of the mailbox; returns their serials. */
  async revokeCertificatesOf(email: string, reason: RevocationReason, at: string): Promise<string[]> {
    const rows = await this.sql.all(
      'SELECT serial FROM certificates WHERE email = ? AND revoked_at IS NULL',
      [email],
    );
    await this.sql.run(
      'UPDATE certificates SET revoked_at = ?, revocation_reason = ? WHERE email = ? AND revoked_at IS NULL',
      [at, reason, email],
    );
    return rows.map((row) => text(row, 'serial'));
  }

  /** Revoked certificates not yet expired: they stay on the CRL until they expire (seed 003). */
  async revokedUnexpired(at: string): Promise<CertificateRecord[]> {
    const rows = await this.sql.all(
      'SELECT * FROM certificates WHERE revoked_at IS NOT NULL AND not_after > ? ORDER BY serial',
      [at],
    );
    return rows.map(certificateFrom);
  }

  async archiveKey(key: ArchivedKeyRecord): Promise<void> {
    await this.sql.run(
      'INSERT INTO archived_keys (serial, email, wrapped_key, archived_at) VALUES (?, ?, ?, ?)',
      [key.serial, key.email, key.wrappedKey, key.archivedAt],
    );
  }

  async archivedKeysOf(email: string): Promise<ArchivedKeyRecord[]> {
    const rows = await this.sql.all(
      'SELECT * FROM archived_keys WHERE email = ? ORDER BY archived_at, serial',
      [email],
    );
    return rows.map((row) => ({
      serial: text(row, 'serial'),
      email: text(row, 'email'),
      wrappedKey: text(row, 'wrapped_key'),
      archivedAt: text(row, 'archived_at'),
    }));
  }

  async appendAudit(entry: AuditEntry): Promise<void> {
    await this.sql.run('INSERT INTO audit_log (at, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?)', [
      entry.at,
      entry.actor,
      entry.action,
      entry.subject,
      entry.detail,
    ]);
  }

  async auditLog(): Promise<AuditEntry[]> {
    const rows = await this.sql.all('SELECT at, actor, action, subject, detail FROM audit_log ORDER BY seq');
    return rows.map((row) => ({
      at: text(row, 'at'),
      actor: text(row, 'actor'),
      action: text(row, 'action'),
      subject: text(row, 'subject'),
      detail: text(row, 'detail'),
    }));
  }

  async addCrl(crl: CrlRecord): Promise<void> {
    await this.sql.run('INSERT INTO crls (crl_number, der, this_update, next_update) VALUES (?, ?, ?, ?)', [
      crl.crlNumber,
      base64(crl.der),
      crl.thisUpdate,
      crl.nextUpdate,
    ]);
  }

  /**
   * Makes any other KM node that wants to issue a CRL wait until this transaction ends. Several
   * nodes may publish at once on one PostgreSQL database, and RFC 5280 §5.2.3 wants CRL numbers
   * to increase monotonically: behind this transaction-scoped advisory lock the next publisher
   * reads this CRL's number (and every revocation committed before it), so no number is issued
   * twice and a higher number lists every revocation a lower one did (until that certificate
   * expires). SQLite transactions already run one at a time (BEGIN IMMEDIATE). Call it inside a
   * transaction: outside one the lock would end with the statement. Taking it twice in one
   * transaction is harmless.
   */
  async holdCrlIssuance(): Promise<void> {
    if (this.sql.dialect === 'postgres')
      await this.sql.all(`SELECT pg_advisory_xact_lock(${crlIssuanceLock})`);
  }

  /** The number for the CRL this transaction is about to issue (after holdCrlIssuance). */
  async nextCrlNumber(): Promise<number> {
    await this.holdCrlIssuance();
    const rows = await this.sql.all('SELECT MAX(crl_number) AS newest FROM crls');
    return Number(rows[0]?.newest ?? 0) + 1;
  }

  async latestCrl(): Promise<CrlRecord | undefined> {
    const rows = await this.sql.all('SELECT * FROM crls ORDER BY crl_number DESC LIMIT 1');
    const row = rows[0];
    if (!row) return undefined;
    return {
      crlNumber: Number(row.crl_number),
      der: bytes(text(row, 'der')),
      thisUpdate: text(row, 'this_update'),
      nextUpdate: text(row, 'next_update'),
    };
  }
}
