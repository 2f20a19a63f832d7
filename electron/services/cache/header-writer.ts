// The main thread's side of the cache writer thread (header-writer-thread.ts). A sync puts rows
// as they arrive; they go to the thread in batches, each written in one transaction, while the
// main thread goes on parsing the FETCH. `flush()` resolves once every row put before it is
// committed, so a sync awaits it before it records its UIDNEXT/HIGHESTMODSEQ: the watermark is
// never ahead of the rows it covers, and reads after the sync see every row.
import { Worker } from 'node:worker_threads';
import { SealmailError } from '../../../core/errors.js';
import type { HeaderRow } from './header-row.js';
import type { WriterReply, WriterRequest, WriterThreadData } from './header-writer-protocol.js';

export interface CacheWriter {
  /** Queues a row; false when the writer thread is behind and the caller should await `drained()`. */
  put(row: HeaderRow): boolean;
  drained(): Promise<void>;
  /** Sends what is queued and resolves when all of it is committed; fails with STORAGE_FAILED. */
  flush(): Promise<void>;
}

/**
 * Rows posted but not yet written before `put` asks the sync to wait: bounds the memory, and
 * leaves room for the rows that arrive while the thread starts.
 */
const maxRowsInFlight = 10_000;

/** How long `close()` waits for the thread to finish what it was sent and close its connection. */
const closeWaitMs = 10_000;

function startThread(workerData: WriterThreadData): Worker {
  const fromSource = import.meta.url.endsWith('.ts');
  const entry = new URL(`./header-writer-thread.${fromSource ? 'ts' : 'js'}`, import.meta.url);
  if (!fromSource) return new Worker(entry, { workerData });
  // Run from source (tsx, vitest): in Node 20 a worker thread gets none of its parent's module
  // hooks, so it registers tsx's loader itself before importing the TypeScript entry.
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap =
    `import { register } from ${JSON.stringify(tsx)}; register();` +
    `await import(${JSON.stringify(entry.href)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`), { workerData });
}

export class HeaderWriterThread {
  private readonly worker: Worker;
  private rowsInFlight = 0;
  private nextFlushId = 1;
  private readonly flushes = new Map<number, { resolve(): void; reject(error: Error): void }>();
  private drainWaiters: (() => void)[] = [];
  /** Set when the thread died: every later flush fails with it. */
  private broken: SealmailError | null = null;
  private closed = false;

  private readonly closedFlag = new SharedArrayBuffer(4);

  constructor(private readonly file: string) {
    this.worker = startThread({ file, closedFlag: this.closedFlag });
    this.worker.unref();
    this.worker.on('message', (reply: WriterReply) => this.onReply(reply));
    this.worker.on('error', (error) => this.fail(error.message));
    this.worker.on('exit', () => {
      if (!this.closed) this.fail('the cache writer thread stopped');
    });
  }

  private storageError(reason: string): SealmailError {
    return new SealmailError(
      'STORAGE_FAILED',
      `cannot write the message cache ${this.file} (${reason}); it holds no mail that is not on the server, so it may be deleted`,
    );
  }

  private onReply(reply: WriterReply): void {
    if (reply.type === 'written') {
      this.rowsInFlight -= reply.rows;
      if (this.rowsInFlight < maxRowsInFlight) this.wakeDrainWaiters();
    } else {
      const waiter = this.flushes.get(reply.id);
      this.flushes.delete(reply.id);
      if (reply.failure === null) waiter?.resolve();
      else waiter?.reject(this.storageError(reply.failure));
    }
    this.holdProcessWhileBusy();
  }

  /** An idle thread must not keep the process alive (the CLI exits when its command is done). */
  private holdProcessWhileBusy(): void {
    if (this.rowsInFlight > 0 || this.flushes.size > 0) this.worker.ref();
    else this.worker.unref();
  }

  private fail(reason: string): void {
    this.broken ??= this.storageError(reason);
    for (const waiter of this.flushes.values()) waiter.reject(this.broken);
    this.flushes.clear();
    this.wakeDrainWaiters();
  }

  private wakeDrainWaiters(): void {
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const wake of waiters) wake();
  }

  private post(request: WriterRequest): void {
    if (this.broken) return;
    this.worker.postMessage(request);
    this.holdProcessWhileBusy();
  }

  private sendRows(accountId: string, path: string, rows: HeaderRow[]): void {
    if (rows.length === 0 || this.broken) return;
    this.rowsInFlight += rows.length;
    this.post({ type: 'rows', accountId, path, rows });
  }

  private isBehind(): boolean {
    return this.rowsInFlight >= maxRowsInFlight && !this.broken;
  }

  private drained(): Promise<void> {
    if (!this.isBehind()) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  private flushAll(): Promise<void> {
    if (this.broken) return Promise.reject(this.broken);
    const id = this.nextFlushId++;
    const done = new Promise<void>((resolve, reject) => this.flushes.set(id, { resolve, reject }));
    this.post({ type: 'flush', id });
    return done;
  }

  /** A writer for one folder's sync; several may be open at once (they share the thread). */
  writer(accountId: string, path: string, rowsPerBatch: number): CacheWriter {
    let rows: HeaderRow[] = [];
    const send = () => {
      this.sendRows(accountId, path, rows);
      rows = [];
    };
    return {
      put: (row) => {
        rows.push(row);
        if (rows.length >= rowsPerBatch) send();
        return !this.isBehind();
      },
      drained: () => this.drained(),
      flush: () => {
        send();
        return this.flushAll();
      },
    };
  }

  /**
   * The thread finishes what it was sent, closes its connection and ends. Waits (synchronously,
   * a bounded time) for the connection to be closed, so the caller's own connection closes last.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const alive = !this.broken;
    this.post({ type: 'close' });
    this.fail('the message cache was closed');
    if (alive) Atomics.wait(new Int32Array(this.closedFlag), 0, 0, closeWaitMs);
  }
}
