// SQLite through better-sqlite3, the embedded store in `km --data DIR`. better-sqlite3 is
// synchronous and has one connection, but the KM's transactions await WebCrypto in the middle
// (signing a certificate), so transactions are serialised here: a second transaction, or a
// statement outside one, waits until the first commits or rolls back. That is what makes fifty
// concurrent redemptions of one temporary key see one another's commits.
import Database from 'better-sqlite3';
import { SealmailError } from '../../core/errors.js';
import type { SqlConnection, SqlExecutor, SqlRow, SqlValue } from './sql-connection.js';

function storageFailure(error: unknown): SealmailError {
  if (error instanceof SealmailError) return error;
  return new SealmailError('STORAGE_FAILED', `The KM database failed: ${(error as Error).message}`, {
    cause: error,
  });
}

export class SqliteConnection implements SqlConnection {
  readonly dialect = 'sqlite' as const;
  private readonly db: Database.Database;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(file: string) {
    try {
      this.db = new Database(file);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('foreign_keys = ON');
      this.db.pragma('busy_timeout = 5000');
    } catch (error) {
      throw storageFailure(error);
    }
  }

  private readonly direct: SqlExecutor = {
    dialect: 'sqlite',
    run: async (sql, params = []) => {
      try {
        return this.db.prepare(sql).run(...params).changes;
      } catch (error) {
        throw storageFailure(error);
      }
    },
    all: async (sql, params = []) => {
      try {
        return this.db.prepare(sql).all(...params) as SqlRow[];
      } catch (error) {
        throw storageFailure(error);
      }
    },
  };

  /** One at a time, in arrival order, whatever the previous one's outcome. */
  private serialised<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(work, work);
    this.queue = result.catch(() => undefined);
    return result;
  }

  run(sql: string, params?: readonly SqlValue[]): Promise<number> {
    return this.serialised(() => this.direct.run(sql, params));
  }

  all(sql: string, params?: readonly SqlValue[]): Promise<SqlRow[]> {
    return this.serialised(() => this.direct.all(sql, params));
  }

  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.serialised(async () => {
      // IMMEDIATE takes the write lock now, so another process on the same file waits too.
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const result = await work(this.direct);
        this.db.exec('COMMIT');
        return result;
      } catch (error) {
        this.db.exec('ROLLBACK');
        throw error;
      }
    });
  }

  exec(sql: string): Promise<void> {
    return this.serialised(async () => {
      try {
        this.db.exec(sql);
      } catch (error) {
        throw storageFailure(error);
      }
    });
  }

  async close(): Promise<void> {
    await this.serialised(async () => this.db.close());
  }
}
