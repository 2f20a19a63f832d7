// Opens the KM's storage: SQLite in `--data DIR` unless `--db postgres://…` names a shared
// PostgreSQL database (issue 4). Migrations run on every open, so nodes upgrade their schema
// in place.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SealmailError } from '../../core/errors.js';
import { KmRecords } from './km-records.js';
import { migrate } from './migrations.js';
import { PostgresConnection } from './postgres-connection.js';
import type { SqlConnection } from './sql-connection.js';
import { SqliteConnection } from './sqlite-connection.js';

export interface StoreLocation {
  /** The KM data directory: the SQLite file and the node's own files live here. */
  data: string;
  /** postgres://… to share one database between KM nodes. */
  db?: string;
}

export class KmStore {
  /** Queries outside a transaction. */
  readonly records: KmRecords;

  private constructor(private readonly connection: SqlConnection) {
    this.records = new KmRecords(connection);
  }

  static async open(location: StoreLocation): Promise<KmStore> {
    const connection = connectionFor(location);
    try {
      await migrate(connection);
    } catch (error) {
      await connection.close().catch(() => undefined);
      throw error;
    }
    return new KmStore(connection);
  }

  get dialect(): SqlConnection['dialect'] {
    return this.connection.dialect;
  }

  /** All of `work` commits or none of it does. */
  transaction<T>(work: (records: KmRecords) => Promise<T>): Promise<T> {
    return this.connection.transaction((tx) => work(new KmRecords(tx)));
  }

  close(): Promise<void> {
    return this.connection.close();
  }
}

/** --data is needed with either engine: it holds the node key (and the SQLite file). */
function ensureDataDirectory(data: string): void {
  try {
    mkdirSync(data, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new SealmailError('STORAGE_FAILED', `cannot create the KM data directory ${data}`, {
      cause: error,
    });
  }
}

function connectionFor(location: StoreLocation): SqlConnection {
  ensureDataDirectory(location.data);
  if (location.db !== undefined) {
    if (!/^postgres(ql)?:\/\//.test(location.db)) {
      throw new SealmailError(
        'INVALID_REQUEST',
        `--db "${location.db}" is not a PostgreSQL URL; use postgres://USER@HOST:PORT/DATABASE, ` +
          'or leave --db out to use SQLite in --data.',
      );
    }
    return new PostgresConnection(location.db);
  }
  return new SqliteConnection(join(location.data, 'km.sqlite'));
}
