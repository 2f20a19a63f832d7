// The narrow SQL surface the KM store needs, so one store serves both engines (issue 4):
// SQLite in `--data DIR` (embedded default) and PostgreSQL for several stateless KM nodes.
// Statements use `?` placeholders; the PostgreSQL connection numbers them.

export type SqlDialect = 'sqlite' | 'postgres';
export type SqlValue = string | number | null;
export type SqlRow = Record<string, unknown>;

export interface SqlExecutor {
  readonly dialect: SqlDialect;
  /** Runs a statement and returns how many rows it changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
  all(sql: string, params?: readonly SqlValue[]): Promise<SqlRow[]>;
}

export interface SqlConnection extends SqlExecutor {
  /**
   * Runs `work` in one transaction: all of it commits, or none of it does (a throw rolls back).
   * Conditional updates inside it are how a temporary key is spent exactly once.
   */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /** Runs several statements (migrations). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}
