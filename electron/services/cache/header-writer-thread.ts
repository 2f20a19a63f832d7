// The cache writer thread: inserts the rows a sync fetched, one transaction per batch, on its own
// SQLite connection. Parsing IMAP responses and inserting rows then run on two cores instead of
// one after the other on the main thread (issue 2: the initial sync of 50,000 messages must keep
// up with a plain imapflow FETCH). WAL lets the main thread read the cache meanwhile.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { upsertMessageParams, upsertMessageSql, type HeaderRow } from './header-row.js';
import type { WriterReply, WriterRequest, WriterThreadData } from './header-writer-protocol.js';

const port = parentPort;
if (!port) throw new Error('header-writer-thread.ts runs only as a worker thread');
const { file, closedFlag } = workerData as WriterThreadData;

const db = new Database(file);
// The same settings as the main thread's connection (header-cache.ts explains them); WAL mode
// is a property of the file, the others are per connection.
db.pragma('synchronous = NORMAL');
db.pragma('wal_autocheckpoint = 10000');
const upsert = db.prepare(upsertMessageSql);
const writeBatch = db.transaction((accountId: string, path: string, rows: HeaderRow[]) => {
  for (const row of rows) upsert.run(upsertMessageParams(accountId, path, row));
});

/** The first failure since the last flush, reported to that flush so the sync fails with it. */
let failure: string | null = null;
const reply = (message: WriterReply) => port.postMessage(message);

port.on('message', (request: WriterRequest) => {
  switch (request.type) {
    case 'rows':
      try {
        writeBatch(request.accountId, request.path, request.rows);
      } catch (error) {
        failure ??= (error as Error).message;
      }
      reply({ type: 'written', rows: request.rows.length });
      return;
    case 'flush':
      reply({ type: 'flushed', id: request.id, failure });
      failure = null;
      return;
    case 'close': {
      db.close();
      const flag = new Int32Array(closedFlag);
      Atomics.store(flag, 0, 1);
      Atomics.notify(flag, 0);
      port.close();
      return;
    }
  }
});
