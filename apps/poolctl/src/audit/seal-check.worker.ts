import { parentPort, workerData } from 'node:worker_threads';
import { checkSeals } from '@pool/domain';
import { openEventStore } from '@pool/event-store';
import { LedgerFollower, type RecordedEvent } from '@pool/event-sourcing';
import type { SealCheckReply, SealCheckWorkerData } from './seal-check-messages';
import { readAhead } from './read-ahead';

/**
 * Body of the seals' thread of the audit in order (in-order-audit.ts): reads the whole ledger (the seals hash every
 * event) from its own read-only connection and runs the seals' chain over it, while the main thread recomputes the
 * payouts from the money events. Reports each page read, then what the seals say.
 */
async function run(): Promise<void> {
  const port = parentPort;
  if (port === null) throw new Error('seal-check.worker must run in a worker thread');
  const { url, pageSize } = workerData as SealCheckWorkerData;
  const store = await openEventStore(url, { readOnly: true });
  try {
    const pages = async function* (): AsyncGenerator<readonly RecordedEvent[]> {
      for await (const page of readAhead(new LedgerFollower<RecordedEvent>(store, { decode: (r) => r, pageSize }).pages())) {
        yield page;
        port.postMessage({ type: 'page', read: page.length, position: page[page.length - 1]!.position } satisfies SealCheckReply);
      }
    };
    const check = await checkSeals(pages());
    port.postMessage({ type: 'done', check: { problems: check.problems, summary: check.summary } } satisfies SealCheckReply);
  } finally {
    await store.close();
  }
}

run().catch((error: unknown) => {
  parentPort?.postMessage({ type: 'failed', message: error instanceof Error ? error.message : String(error) } satisfies SealCheckReply);
});
