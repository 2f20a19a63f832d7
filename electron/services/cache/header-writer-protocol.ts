// What the main thread and the cache writer thread say to each other (header-writer.ts and
// header-writer-thread.ts). Messages are handled in the order they were posted, so a `flush`
// answered means every `rows` posted before it is committed.
import type { HeaderRow } from './header-row.js';

export interface WriterThreadData {
  /** The cache file; the main thread has created it and applied the schema already. */
  file: string;
  /**
   * One Int32 the thread sets to 1 once its connection is closed, so that the main thread can
   * wait for it synchronously (Atomics.wait) and be the last connection to close: the last one
   * checkpoints the WAL into the database, in `close()`, not later behind anyone's back.
   */
  closedFlag: SharedArrayBuffer;
}

export type WriterRequest =
  /** One batch, written in one transaction: on a crash the cache holds whole batches only. */
  | { type: 'rows'; accountId: string; path: string; rows: HeaderRow[] }
  | { type: 'flush'; id: number }
  | { type: 'close' };

export type WriterReply =
  | { type: 'written'; rows: number }
  /** failure: why a batch since the last flush could not be written, so that the sync fails. */
  | { type: 'flushed'; id: number; failure: string | null };
