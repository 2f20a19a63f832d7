// The header cache's schema, one migration per version, applied in order and recorded in
// PRAGMA user_version (SQLite's own per-database integer) so an older cache upgrades in place.
// Only headers and flags are kept: never a body, so never the plaintext of an encrypted message.
import type { Database } from 'better-sqlite3';

const migrations: readonly string[] = [
  // 1: folders with their sync state, and one row of headers per message
  `CREATE TABLE folders (
     account_id    TEXT NOT NULL,
     path          TEXT NOT NULL,
     uidvalidity   TEXT NOT NULL,
     uidnext       INTEGER NOT NULL,
     highestmodseq TEXT,
     PRIMARY KEY (account_id, path)
   ) WITHOUT ROWID;
   CREATE TABLE messages (
     account_id      TEXT NOT NULL,
     folder          TEXT NOT NULL,
     uid             INTEGER NOT NULL,
     from_address    TEXT NOT NULL,
     to_addresses    TEXT NOT NULL,
     subject         TEXT NOT NULL,
     date_ms         INTEGER NOT NULL,
     flags           TEXT NOT NULL,
     size            INTEGER NOT NULL,
     security        TEXT NOT NULL,
     has_attachments INTEGER NOT NULL,
     PRIMARY KEY (account_id, folder, uid)
   );
   CREATE INDEX messages_newest_first ON messages (account_id, folder, date_ms DESC, uid DESC);`,
];

export function migrate(db: Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let version = current; version < migrations.length; version++) {
    db.transaction(() => {
      db.exec(migrations[version]!);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
