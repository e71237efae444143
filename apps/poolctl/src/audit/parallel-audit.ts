import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { auditBySegments, BOOKS_CLOSINGS_STREAM, planSegments, type AuditSegment, type BooksClosed, type SegmentedAudit, type SegmentReport } from '@pool/domain';
import { LedgerFollower, StreamNotFoundError, type EventStore, type GlobalPosition, type RecordedEvent } from '@pool/event-sourcing';
import { startWorker } from '@pool/runtime';
import type { SegmentReply, SegmentWorkerData } from './segment-messages';
import { tracked, type Progress } from '../progress/progress';

export interface ParallelAuditOptions {
  /** Audit threads (default: one per core this process may use). */
  threads?: number;
  pageSize?: number;
  /** Told of each page the main thread reads (every event, for the seals' chain). */
  progress?: Progress;
}

export interface ParallelAudit extends SegmentedAudit {
  segments: number;
  threads: number;
}

async function closingsOf(store: EventStore): Promise<{ position: string; data: BooksClosed['data'] }[]> {
  try {
    return (await store.readStream(BOOKS_CLOSINGS_STREAM)).map((e) => ({ position: e.position, data: e.data as BooksClosed['data'] }));
  } catch (error) {
    if (error instanceof StreamNotFoundError) return [];
    throw error;
  }
}

/** Every event after `after` (all: none), page by page: the seals read every type. */
function ledgerAfter(store: EventStore, pageSize: number, after?: string): AsyncGenerator<readonly RecordedEvent[]> {
  return new LedgerFollower<RecordedEvent>(store, { decode: (r) => r, pageSize, ...(after === undefined ? {} : { after: after as GlobalPosition }) }).pages();
}

/**
 * Hands the segments to `threads` audit threads (segment-audit.worker.ts), the next one to whichever finishes: one
 * promise per segment, settled with its report as soon as it is in (undefined when its thread failed: auditBySegments
 * then audits from there in order). The threads end once every segment is settled.
 */
function auditOnThreads(segments: readonly AuditSegment[], url: string, threads: number, pageSize: number): Promise<SegmentReport | undefined>[] {
  const settle: ((report: SegmentReport | undefined) => void)[] = [];
  const reports = segments.map((_, i) => new Promise<SegmentReport | undefined>((resolve) => (settle[i] = resolve)));
  const queue = [...segments];
  let alive = Math.min(threads, segments.length);
  for (let t = 0; t < alive; t++) {
    const worker = startWorker(join(__dirname, 'segment-audit.worker'), { workerData: { url, pageSize } satisfies SegmentWorkerData });
    let current: number | undefined;
    const next = (): void => {
      const segment = queue.shift();
      current = segment?.index;
      if (segment === undefined) void worker.terminate();
      else worker.postMessage(segment);
    };
    // A thread that dies leaves its segment without a report: audited in order later, never lost.
    const fail = (): void => {
      if (current !== undefined) settle[current]!(undefined);
      current = undefined;
    };
    worker.on('message', (reply: SegmentReply) => {
      if (reply.type === 'report') settle[reply.report.index]!(reply.report);
      if (reply.type === 'failed') settle[reply.index]!(undefined);
      if (reply.type === 'fatal') return void worker.terminate();
      next();
    });
    worker.on('error', fail);
    worker.on('exit', () => {
      fail();
      // The last thread to end settles what no thread will take any more.
      if (--alive === 0) for (const segment of queue.splice(0)) settle[segment.index]!(undefined);
    });
  }
  return reports;
}

/**
 * The full audit of a store with books closings, in parallel: its segments between closings on threads, the seals
 * here, joined into the report the audit in order gives (libs/domain audit/period.audit.ts). Undefined when the store
 * has no closing to cut it at: audit it in order.
 */
export async function auditInParallel(store: EventStore, url: string, options: ParallelAuditOptions = {}): Promise<ParallelAudit | undefined> {
  const closings = await closingsOf(store);
  if (closings.length === 0) return undefined;
  const threads = Math.max(1, options.threads ?? availableParallelism());
  const pageSize = options.pageSize ?? 5000;
  // Twice as many segments as threads: one that ends early takes the next, so an uneven cut costs less.
  const segments = planSegments(closings, threads * 2, await store.headPosition());
  if (segments.length < 2) return undefined;
  const audit = await auditBySegments(segments, (all) => auditOnThreads(all, url, threads, pageSize), (after) => tracked(ledgerAfter(store, pageSize, after), options.progress));
  return { ...audit, segments: segments.length, threads };
}
