// Numbered schema migrations, applied in order and recorded in schema_migrations, so a KM data
// directory or database made by an older version is brought forward on open. A migration is
// never edited once released: a change is a new number. Where the engines' SQL differs (key
// generation, triggers) a migration carries both.
import { SealmailError } from '../../core/errors.js';
import type { SqlConnection, SqlDialect } from './sql-connection.js';

export interface Migration {
  version: number;
  description: string;
  /** One statement per entry, so trigger bodies need no splitting. */
  sql: Record<SqlDialect, readonly string[]>;
}

const tables = [
  `CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)`,
  `CREATE TABLE mailboxes (
    email TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    updated_at TEXT NOT NULL
    )`,
  `CREATE TABLE temporary_keys (
    key_hash TEXT PRIMARY KEY,
    email TEXT NOT NULL REFERENCES mailboxes(email),
    purpose TEXT NOT NULL,
    issued_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    redeemed_at TEXT,
    withdrawn_at TEXT
    )`,
  `CREATE INDEX temporary_keys_by_email ON temporary_keys(email)`,
  `CREATE TABLE certificates (
    serial TEXT PRIMARY KEY,
    email TEXT NOT NULL REFERENCES mailboxes(email),
    kind TEXT NOT NULL,
    der TEXT NOT NULL,
    not_before TEXT NOT NULL,
    not_after TEXT NOT NULL,
    revoked_at TEXT,
    revocation_reason TEXT
    )`,
  `CREATE INDEX certificates_by_email ON certificates(email)`,
  `CREATE TABLE archived_keys (
    serial TEXT PRIMARY KEY REFERENCES certificates(serial),
    email TEXT NOT NULL REFERENCES mailboxes(email),
    wrapped_key TEXT NOT NULL,
    archived_at TEXT NOT NULL
    )`,
  `CREATE TABLE failed_redemptions (email TEXT NOT NULL, at TEXT NOT NULL)`,
  `CREATE INDEX failed_redemptions_by_email ON failed_redemptions(email, at)`,
  `CREATE TABLE crls (
    crl_number INTEGER PRIMARY KEY,
    der TEXT NOT NULL,
    this_update TEXT NOT NULL,
    next_update TEXT NOT NULL
    )`,
];

export const migrations: readonly Migration[] = [
  {
    version: 1,
    description: 'mailboxes, temporary keys, certificates, key archive, CRLs, audit log',
    sql: {
      sqlite: [
        ...tables,
        `CREATE TABLE audit_log (
          seq INTEGER PRIMARY KEY AUTOINCREMENT,
          at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
          subject TEXT NOT NULL, detail TEXT NOT NULL)`,
        `CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
          BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END`,
        `CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
          BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END`,
      ],
      postgres: [
        ...tables,
        `CREATE TABLE audit_log (
          seq BIGSERIAL PRIMARY KEY,
          at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
          subject TEXT NOT NULL, detail TEXT NOT NULL)`,
        `CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$
          BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$ LANGUAGE plpgsql`,
        `CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
          FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`,
      ],
    },
  },
  {
    version: 2,
    description: 'temporary keys remember when EST serverkeygen collected the encryption keys',
    sql: {
      sqlite: ['ALTER TABLE temporary_keys ADD COLUMN collected_at TEXT'],
      postgres: ['ALTER TABLE temporary_keys ADD COLUMN collected_at TEXT'],
    },
  },
];

/** Brings the schema up to the newest migration; returns the version it ends at. */
export async function migrate(connection: SqlConnection, available = migrations): Promise<number> {
  await connection.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)',
  );
  return connection.transaction(async (tx) => {
    // Two KM nodes starting together on one PostgreSQL database must not both migrate.
    if (tx.dialect === 'postgres') await tx.all('SELECT pg_advisory_xact_lock(4044)');
    const rows = await tx.all('SELECT version FROM schema_migrations');
    const applied = new Set(rows.map((row) => Number(row.version)));
    const newest = Math.max(0, ...applied);
    const known = Math.max(0, ...available.map((m) => m.version));
    if (newest > known) {
      throw new SealmailError(
        'STORAGE_FAILED',
        `The KM database is at schema version ${newest}, newer than this Sealmail knows (${known}). ` +
          'Upgrade Sealmail on this node.',
      );
    }
    for (const migration of available) {
      if (applied.has(migration.version)) continue;
      for (const statement of migration.sql[tx.dialect]) await tx.run(statement);
      await tx.run('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)', [
        migration.version,
        new Date().toISOString(),
      ]);
    }
    return known;
  });
}
