// PostgreSQL through pg, for organisations that run several stateless KM nodes on one database
// (issue 4, `--db postgres://…`). Each transaction holds one pooled client from BEGIN to
// COMMIT; row locks taken by a conditional UPDATE make a concurrent redemption of the same
// temporary key wait and then find it spent.
import pg from 'pg';
import { SealmailError } from '../../core/errors.js';
import type { SqlConnection, SqlExecutor, SqlRow, SqlValue } from './sql-connection.js';

/** `?` → `$1, $2, …`; the store's SQL never has a `?` inside a string literal. */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

function storageFailure(error: unknown): SealmailError {
  if (error instanceof SealmailError) return error;
  return new SealmailError('STORAGE_FAILED', `The KM database failed: ${(error as Error).message}`, {
    cause: error,
  });
}

type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

function executor(target: Queryable): SqlExecutor {
  return {
    dialect: 'postgres',
    run: async (sql, params = []) => {
      try {
        return (await target.query(numbered(sql), [...params])).rowCount ?? 0;
      } catch (error) {
        throw storageFailure(error);
      }
    },
    all: async (sql, params = []) => {
      try {
        return (await target.query<SqlRow>(numbered(sql), [...params])).rows;
      } catch (error) {
        throw storageFailure(error);
      }
    },
  };
}

export class PostgresConnection implements SqlConnection {
  readonly dialect = 'postgres' as const;
  private readonly pool: pg.Pool;
  private readonly direct: SqlExecutor;

  constructor(url: string) {
    this.pool = new pg.Pool({ connectionString: url, max: 10 });
    // A connection can be cut while idle (database restart, or a client still closing when the
    // pool has ended). That must not crash the KM: the failure surfaces as STORAGE_FAILED on
    // the next query instead, so the 'error' events themselves are only absorbed here.
    this.pool.on('error', () => undefined);
    this.pool.on('connect', (client) => client.on('error', () => undefined));
    this.direct = executor(this.pool);
  }

  run(sql: string, params?: readonly SqlValue[]): Promise<number> {
    return this.direct.run(sql, params);
  }

  all(sql: string, params?: readonly SqlValue[]): Promise<SqlRow[]> {
    return this.direct.all(sql, params);
  }

  async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw storageFailure(error);
    }
    try {
      await client.query('BEGIN').catch((error: unknown) => {
        throw storageFailure(error);
      });
      const result = await work(executor(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      // The work's own errors pass through unchanged (its queries already wrap theirs).
      throw error;
    } finally {
      client.release();
    }
  }

  async exec(sql: string): Promise<void> {
    try {
      await this.pool.query(sql);
    } catch (error) {
      throw storageFailure(error);
    }
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
