import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { join } from 'node:path';
import { AUDIT_EVENT_TYPES, auditLedger, auditPayouts, checkSeals, withSeals, type AuditReport, type PayoutAuditResult, type SealCheck } from '@pool/domain';
import { LedgerFollower, type EventStore, type RecordedEvent } from '@pool/event-sourcing';
import { startWorker } from '@pool/runtime';
import { positionOrdinal, tracked, type Progress } from '../progress/progress';
import { readAhead } from './read-ahead';
import { withScratchArchive } from './scratch-archive';
import type { SealCheckReply, SealCheckWorkerData } from './seal-check-messages';

export interface InOrderAuditOptions {
  /**
   * The seals' chain on a thread of its own from this many events in the store on (default 200,000), when this process
   * may use two cores: it costs about what the payouts cost, and the thread's start (a second read of the ledger, a
   * second heap) is not worth it for a small ledger.
   */
  sealThreadFrom?: number;
  pageSize?: number;
  onResult?: (result: PayoutAuditResult) => void;
  progress?: Progress;
}

export interface InOrderAudit {
  report: AuditReport;
  /** Whether the seals were checked on a thread of their own. */
  sealThread: boolean;
}

const MONEY_AND_SEALS = [...AUDIT_EVENT_TYPES, 'LedgerSealed'];

/** Every event of the store, page by page (the seals hash every type). */
const wholeStore = (store: EventStore, pageSize: number): AsyncGenerator<readonly RecordedEvent[]> =>
  readAhead(new LedgerFollower<RecordedEvent>(store, { decode: (r) => r, pageSize }).pages());

/** Lets the event loop take messages between pages (a SQLite read never leaves it otherwise). */
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Pages of 250 events, on both threads (the read-ahead holds two). The seals' thread reads every event and keeps
 * little of it, so its time goes to decoding and collecting garbage: small pages leave room under the audit's 300 MB
 * for a young generation that collects less often (at 1M events, pages of 5,000 with 8 MB took 29.0-29.8 s at 285-290
 * MB, pages of 1,000 with 16 MB 23.3-24.9 s at 287 MB), and each collection copies what the pages still hold: pages of
 * 250 took 16.2-20.6 s where pages of 1,000 took 20.0-23.3 s and 500 20.4-24.0 s (100: 16.2-20.0 s), and 27-33 s of
 * CPU against 33-38 (`poolctl audit` on the audit bench's 1.07M events, three rounds run in turn, 2026-12-08). The
 * money pages hold every plan's list of farmers: on the audit bench's ledger of 1M events and 5,000 payouts, pages of
 * 1,000 peaked at 294-297 MB where pages of 5,000 took 322-323 MB. A `pageSize` asked of the audit applies to both.
 */
const PAGE_SIZE = 250;
const SEAL_THREAD_YOUNG_GENERATION_MB = 16;

/**
 * The seals' check on a thread (seal-check.worker.ts), reporting each page it reads to `onPage`; undefined when the
 * thread failed (the caller checks the seals here instead).
 */
function checkSealsOnThread(url: string, pageSize: number, onPage: (read: number, position: string) => void): { check: Promise<SealCheck | undefined>; stop(): void } {
  const worker = startWorker(join(__dirname, 'seal-check.worker'), {
    workerData: { url, pageSize } satisfies SealCheckWorkerData,
    resourceLimits: { maxYoungGenerationSizeMb: SEAL_THREAD_YOUNG_GENERATION_MB },
  });
  const check = new Promise<SealCheck | undefined>((resolve) => {
    let result: SealCheck | undefined;
    worker.on('message', (reply: SealCheckReply) => {
      if (reply.type === 'page') onPage(reply.read, reply.position);
      if (reply.type === 'done') result = reply.check;
      if (reply.type === 'done' || reply.type === 'failed') void worker.terminate();
    });
    worker.on('error', () => undefined);
    worker.on('exit', () => resolve(result));
  });
  return { check, stop: () => void worker.terminate() };
}

/**
 * For a process that audits a long ledger (`poolctl audit`): V8 lets the heap grow to several times what is live
 * between full collections, so an audit whose live data is ~100 MB held 300-400 MB of heap. Growing by 30 % at most
 * cost the audit on one thread about 8 % of its time on the bench's 1M-event ledger. Process-wide: call it in the
 * audit's own process only.
 */
export function limitHeapGrowth(): void {
  setFlagsFromString('--heap-growing-percent=30');
}

/**
 * `poolctl audit` in order: the report auditLedger gives over the whole store, its confirmed partials beyond every
 * window and its abandoned payouts' plans filed in a scratch file (scratch-archive.ts), so its memory does not grow
 * with the ledger's age. On two cores and a large ledger, in two passes at once: the payouts here from the money events
 * and the seals (what signings' commitments name), the seals' chain over every event on a second thread
 * (payout.audit.ts: auditPayouts, checkSeals, withSeals).
 */
export async function auditInOrder(store: EventStore, url: string, options: InOrderAuditOptions = {}): Promise<InOrderAudit> {
  const pageSize = options.pageSize ?? PAGE_SIZE;
  const progress = options.progress;
  const size = positionOrdinal(await store.headPosition()) ?? 0;
  const onResult = options.onResult;
  if (availableParallelism() < 2 || size < (options.sealThreadFrom ?? 200_000)) {
    const report = await withScratchArchive((archives) => auditLedger(tracked(wholeStore(store, pageSize), progress), { ...archives, ...(onResult === undefined ? {} : { onResult }) }));
    return { report, sealThread: false };
  }
  // Progress: events read by the seals' thread (every event), as far as the slower of the two passes.
  let money: string | undefined;
  let seals: string | undefined;
  const slower = (): string | undefined => (money === undefined || seals === undefined ? undefined : money < seals ? money : seals);
  const thread = checkSealsOnThread(url, pageSize, (read, position) => {
    seals = position;
    progress?.advance(read, slower());
  });
  const moneyPages = async function* (): AsyncGenerator<readonly RecordedEvent[]> {
    const reader = new LedgerFollower<RecordedEvent>(store, { types: MONEY_AND_SEALS, decode: (r) => r, pageSize });
    for await (const page of readAhead(reader.pages())) {
      yield page;
      money = page[page.length - 1]!.position;
      await turn();
    }
    money = '\uffff'; // done: the seals' thread alone is behind
  };
  let report: AuditReport;
  try {
    report = await withScratchArchive((archives) => auditPayouts(moneyPages(), { ...archives, ...(onResult === undefined ? {} : { onResult }) }));
  } catch (error) {
    thread.stop(); // a read that failed here ends the audit: the seals' thread with it
    throw error;
  }
  const check = (await thread.check) ?? (await checkSeals(wholeStore(store, pageSize)));
  return { report: withSeals(report, check), sealThread: true };
}
