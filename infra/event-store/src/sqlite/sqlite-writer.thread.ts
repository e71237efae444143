import { parentPort, workerData } from 'node:worker_threads';
import { openWritableLedger, SqliteLedgerWriter } from './sqlite-ledger-writer';
import type { WriterReply, WriterRequest } from './sqlite-ledger-writers';

/**
 * Body of a SQLite ledger's writer thread: its own connection commits each group it is handed. The COMMIT's fsync
 * and SQLite's automatic WAL checkpoints (tens of ms) wait here, not on the thread that serves farmers.
 */
function serve(): void {
  const port = parentPort;
  if (port === null) throw new Error('sqlite-writer.thread must run in a worker thread');
  const { path } = workerData as { path: string };
  const db = openWritableLedger(path);
  const writer = new SqliteLedgerWriter(db, path);
  port.on('message', (request: WriterRequest) => {
    let reply: WriterReply;
    if (request.type === 'commit') reply = { type: 'committed', id: request.id, answer: writer.commit(request.batch) };
    else if (request.type === 'probe') reply = { type: 'probed', id: request.id, refusal: writer.probe(request.bytes) };
    else {
      db.close();
      reply = { type: 'closed', id: request.id };
    }
    port.postMessage(reply);
    if (request.type === 'close') port.close();
  });
}

try {
  serve();
} catch (error) {
  // Opening failed (a vanished folder, a locked file): the store hears why and refuses appends with it.
  parentPort?.postMessage({ type: 'fatal', message: error instanceof Error ? error.message : String(error) } satisfies WriterReply);
}
