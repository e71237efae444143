import { parentPort, workerData } from 'node:worker_threads';
import { auditSegment, type AuditSegment } from '@pool/domain';
import { openEventStore } from '@pool/event-store';
import { LedgerFollower, type EventStore, type GlobalPosition, type RecordedEvent } from '@pool/event-sourcing';
import type { SegmentReply, SegmentWorkerData } from './segment-messages';

/**
 * Body of one audit thread: opens the ledger read-only once, then audits each segment it is handed (parallel-audit.ts)
 * reading only that segment's events, from the closing it starts at to the one that ends it, and hashing its own
 * events for the seals.
 */
/** Every event from the segment's closing on (the seals hash every type), page by page, up to its end. */
async function* segmentPages(store: EventStore, segment: AuditSegment, pageSize: number): AsyncGenerator<readonly RecordedEvent[]> {
  const after = segment.from?.closedPosition as GlobalPosition | undefined;
  const reader = new LedgerFollower<RecordedEvent>(store, { decode: (r) => r, pageSize, ...(after === undefined ? {} : { after }) });
  for await (const page of reader.pages()) {
    yield page;
    if (segment.through !== undefined && page.length > 0 && page[page.length - 1]!.position > segment.through) return;
  }
}

async function audit(store: EventStore, segment: AuditSegment, pageSize: number): Promise<void> {
  const report = await auditSegment(segment, segmentPages(store, segment, pageSize), { records: true });
  const transfer = report.records === undefined ? [] : [report.records.digests.buffer];
  parentPort!.postMessage({ type: 'report', report } satisfies SegmentReply, transfer as ArrayBuffer[]);
}

async function serve(): Promise<void> {
  const port = parentPort;
  if (port === null) throw new Error('segment-audit.worker must run in a worker thread');
  const { url, pageSize } = workerData as SegmentWorkerData;
  const store = await openEventStore(url, { readOnly: true });
  // The main thread terminates the thread once every segment is audited (a read-only store has nothing to flush).
  port.on('message', (segment: AuditSegment) => {
    audit(store, segment, pageSize).catch((error: unknown) => {
      port.postMessage({ type: 'failed', index: segment.index, message: error instanceof Error ? error.message : String(error) } satisfies SegmentReply);
    });
  });
  port.postMessage({ type: 'ready' } satisfies SegmentReply);
}

serve().catch((error: unknown) => {
  parentPort?.postMessage({ type: 'fatal', message: error instanceof Error ? error.message : String(error) } satisfies SegmentReply);
});
