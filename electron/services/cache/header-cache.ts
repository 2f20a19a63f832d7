// The local cache of folders and message headers (SQLite, WAL). It answers the message list at
// once, even for 50,000 messages, and remembers what incremental sync needs: UIDVALIDITY, UIDNEXT
// and HIGHESTMODSEQ (RFC 3501 section 2.3.1.1, RFC 7162 section 3.1.1).
import Database from 'better-sqlite3';
import type { Statement } from 'better-sqlite3';
import { SealmailError } from '../../../core/errors.js';
import type { MessagePage, MessageSummary } from '../../../core/api/types.js';
import { migrate } from './cache-schema.js';
import {
  rowFromSummary,
  upsertMessageParams,
  upsertMessageSql,
  type UpsertMessageParams,
} from './header-row.js';
import { HeaderWriterThread, type CacheWriter } from './header-writer.js';

export type { CacheWriter } from './header-writer.js';

export interface FolderSyncState {
  /** RFC 3501 UIDVALIDITY, kept as a decimal string (imapflow reports a bigint). */
  uidValidity: string;
  uidNext: number;
  /** RFC 7162 HIGHESTMODSEQ, null when the server has no CONDSTORE for this folder. */
  highestModseq: string | null;
}

interface MessageRow {
  uid: number;
  from_address: string;
  to_addresses: string;
  subject: string;
  date_ms: number;
  flags: string;
  size: number;
  security: MessageSummary['security'];
  has_attachments: number;
}

function toSummary(row: MessageRow): MessageSummary {
  return {
    uid: row.uid,
    from: row.from_address,
    to: JSON.parse(row.to_addresses) as string[],
    subject: row.subject,
    date: new Date(row.date_ms).toISOString(),
    flags: JSON.parse(row.flags) as string[],
    size: row.size,
    security: row.security,
    hasAttachments: row.has_attachments === 1,
  };
}

export class HeaderCache {
  private readonly db: Database.Database;
  /** Started by the first sync that writes, so reading the cache never starts a thread. */
  private writerThread: HeaderWriterThread | null = null;
  private readonly statements: {
    folderState: Statement<[string, string]>;
    saveFolderState: Statement<[string, string, string, number, string | null]>;
    clearFolder: Statement<[string, string]>;
    forgetFolder: Statement<[string, string]>;
    upsert: Statement<UpsertMessageParams>;
    setFlags: Statement<[string, string, string, number]>;
    remove: Statement<[string, string, number]>;
    uids: Statement<[string, string]>;
    count: Statement<[string, string]>;
    page: Statement<[string, string, number, number]>;
    forgetAccountMessages: Statement<[string]>;
    forgetAccountFolders: Statement<[string]>;
  };

  constructor(private readonly file: string) {
    try {
      this.db = new Database(file);
      this.db.pragma('journal_mode = WAL');
      // WAL + NORMAL is durable across application crashes; a cache may lose its last
      // transaction on power loss, and the next sync refills it.
      this.db.pragma('synchronous = NORMAL');
      // Checkpoint after ~40 MB of WAL rather than SQLite's default ~4 MB: a first sync of a big
      // folder then copies its pages into the database once (at close), not a dozen times.
      this.db.pragma('wal_autocheckpoint = 10000');
      migrate(this.db);
    } catch (error) {
      throw new SealmailError(
        'STORAGE_FAILED',
        `cannot open the message cache ${file} (${(error as Error).message}); it holds no mail that is not on the server, so it may be deleted`,
        { cause: error },
      );
    }
    const db = this.db;
    this.statements = {
      folderState: db.prepare(
        'SELECT uidvalidity, uidnext, highestmodseq FROM folders WHERE account_id = ? AND path = ?',
      ),
      saveFolderState: db.prepare(
        `INSERT INTO folders (account_id, path, uidvalidity, uidnext, highestmodseq) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (account_id, path) DO UPDATE SET uidvalidity = excluded.uidvalidity,
           uidnext = excluded.uidnext, highestmodseq = excluded.highestmodseq`,
      ),
      clearFolder: db.prepare('DELETE FROM messages WHERE account_id = ? AND folder = ?'),
      forgetFolder: db.prepare('DELETE FROM folders WHERE account_id = ? AND path = ?'),
      upsert: db.prepare(upsertMessageSql),
      setFlags: db.prepare('UPDATE messages SET flags = ? WHERE account_id = ? AND folder = ? AND uid = ?'),
      remove: db.prepare('DELETE FROM messages WHERE account_id = ? AND folder = ? AND uid = ?'),
      uids: db.prepare('SELECT uid FROM messages WHERE account_id = ? AND folder = ?').pluck(),
      count: db.prepare('SELECT COUNT(*) FROM messages WHERE account_id = ? AND folder = ?').pluck(),
      page: db.prepare(
        `SELECT uid, from_address, to_addresses, subject, date_ms, flags, size, security, has_attachments
         FROM messages WHERE account_id = ? AND folder = ?
         ORDER BY date_ms DESC, uid DESC LIMIT ? OFFSET ?`,
      ),
      forgetAccountMessages: db.prepare('DELETE FROM messages WHERE account_id = ?'),
      forgetAccountFolders: db.prepare('DELETE FROM folders WHERE account_id = ?'),
    };
  }

  folderState(accountId: string, path: string): FolderSyncState | null {
    const row = this.statements.folderState.get(accountId, path) as
      { uidvalidity: string; uidnext: number; highestmodseq: string | null } | undefined;
    if (!row) return null;
    return { uidValidity: row.uidvalidity, uidNext: row.uidnext, highestModseq: row.highestmodseq };
  }

  saveFolderState(accountId: string, path: string, state: FolderSyncState): void {
    this.statements.saveFolderState.run(
      accountId,
      path,
      state.uidValidity,
      state.uidNext,
      state.highestModseq,
    );
  }

  /** RFC 3501 section 2.3.1.1: a new UIDVALIDITY means every cached UID is meaningless. */
  resetFolder(accountId: string, path: string): void {
    this.db.transaction(() => {
      this.statements.clearFolder.run(accountId, path);
      this.statements.forgetFolder.run(accountId, path);
    })();
  }

  /** Inserts (or replaces) a batch in one transaction: one commit per batch, not per message. */
  putMessages(accountId: string, path: string, messages: readonly MessageSummary[]): void {
    this.db.transaction(() => {
      for (const m of messages)
        this.statements.upsert.run(...upsertMessageParams(accountId, path, rowFromSummary(m)));
    })();
  }

  /**
   * For a sync that streams messages in: rows go in batches of `rowsPerBatch` to a writer thread
   * with its own connection, one transaction per batch (header-writer.ts), so that inserting does
   * not hold up parsing the next FETCH response. Await `flush()` before recording the sync state.
   */
  writer(accountId: string, path: string, rowsPerBatch: number): CacheWriter {
    this.writerThread ??= new HeaderWriterThread(this.file);
    return this.writerThread.writer(accountId, path, rowsPerBatch);
  }

  setFlags(accountId: string, path: string, changes: readonly { uid: number; flags: string[] }[]): void {
    this.db.transaction(() => {
      for (const change of changes)
        this.statements.setFlags.run(JSON.stringify(change.flags), accountId, path, change.uid);
    })();
  }

  removeMessages(accountId: string, path: string, uids: Iterable<number>): number {
    let removed = 0;
    this.db.transaction(() => {
      for (const uid of uids) removed += this.statements.remove.run(accountId, path, uid).changes;
    })();
    return removed;
  }

  uids(accountId: string, path: string): number[] {
    return this.statements.uids.all(accountId, path) as number[];
  }

  count(accountId: string, path: string): number {
    return this.statements.count.get(accountId, path) as number;
  }

  /** Newest first. */
  page(accountId: string, path: string, offset: number, limit: number): MessagePage {
    const rows = this.statements.page.all(accountId, path, limit, offset) as MessageRow[];
    return { total: this.count(accountId, path), offset, items: rows.map(toSummary) };
  }

  forgetAccount(accountId: string): void {
    this.db.transaction(() => {
      this.statements.forgetAccountMessages.run(accountId);
      this.statements.forgetAccountFolders.run(accountId);
    })();
  }

  close(): void {
    this.writerThread?.close();
    this.writerThread = null;
    this.db.close();
  }
}
