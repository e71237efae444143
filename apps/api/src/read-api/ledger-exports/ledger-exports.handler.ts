import { Inject, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { pipeline, Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { ledgerExportLines, LEDGER_SEALS_STREAM, type LedgerSealed } from '@pool/domain';
import { LedgerFollower, StreamNotFoundError, type EventStore, type RecordedEvent } from '@pool/event-sourcing';
import { EVENT_STORE } from '@pool/runtime';
import { ClosedPeriodsQuery, LedgerExportQuery, type LedgerExportDownload } from './ledger-exports.query';
import type { ClosedPeriodResponse, ClosedPeriodsResponse } from './ledger-exports.response';

/** Exports streamed at once: each reads the ledger from its first event, so more would only slow them all. */
export const MAX_CONCURRENT_EXPORTS = 2;

/**
 * The closed periods, read from stream `ledger-seals`. Seals never change once recorded, so the list is kept and only
 * the seals appended since are read on each request (a seal carries its segment's digests: the list keeps none).
 */
@QueryHandler(ClosedPeriodsQuery)
export class ClosedPeriodsHandler implements IQueryHandler<ClosedPeriodsQuery> {
  private readonly periods: ClosedPeriodResponse[] = [];
  private nextRevision = 0n;

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute(): Promise<ClosedPeriodsResponse> {
    await this.readNewSeals();
    return { items: [...this.periods].reverse() };
  }

  /** The closed period of seal `sequence`, or undefined when there is no such seal at a payout plan. */
  async period(sequence: number): Promise<ClosedPeriodResponse | undefined> {
    await this.readNewSeals();
    return this.periods.find((p) => p.sequence === sequence);
  }

  private async readNewSeals(): Promise<void> {
    let seals: RecordedEvent[];
    try {
      seals = await this.store.readStream(LEDGER_SEALS_STREAM, { fromRevision: this.nextRevision });
    } catch (error) {
      if (error instanceof StreamNotFoundError) return;
      throw error;
    }
    for (const recorded of seals) {
      this.nextRevision = recorded.revision + 1n;
      const seal = recorded.data as LedgerSealed['data'];
      if (seal.reason !== 'payout' || seal.payoutId === null) continue;
      this.periods.push({
        sequence: seal.sequence,
        payoutId: seal.payoutId,
        coveredPosition: seal.coveredPosition,
        position: recorded.position,
        eventCount: seal.eventCount,
        hash: seal.hash,
        sealedAt: seal.sealedAt,
      });
    }
  }
}

/**
 * The export (docs/ledger-encoding.md) of every event through a seal at a payout plan, seal included, gzip: the same
 * bytes `poolctl ledger export --until <the seal's position>` writes, for `poolctl audit --export` on the farmer's
 * side. A closed period never changes, so the answer can be cached for good.
 */
@QueryHandler(LedgerExportQuery)
export class LedgerExportHandler implements IQueryHandler<LedgerExportQuery> {
  private streaming = 0;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly periods: ClosedPeriodsHandler,
  ) {}

  async execute({ sequence }: LedgerExportQuery): Promise<LedgerExportDownload> {
    const period = await this.periods.period(sequence);
    if (period === undefined) throw new NotFoundException(`no seal ${sequence} at a payout plan (GET /api/ledger/exports lists them)`);
    if (this.streaming >= MAX_CONCURRENT_EXPORTS) {
      throw new ServiceUnavailableException(`${MAX_CONCURRENT_EXPORTS} exports are being streamed already; try again in a minute`);
    }
    this.streaming++;
    const pages = new LedgerFollower<RecordedEvent>(this.store, { decode: (recorded) => recorded, pageSize: 5000 }).pages();
    const lines = (async function* () {
      for await (const line of ledgerExportLines(pages, period.position)) yield `${line}\n`;
    })();
    // pipeline, not pipe: a client that goes away destroys the gzip, and with it the read of the ledger.
    const stream = pipeline(Readable.from(lines), createGzip(), () => undefined);
    let released = false;
    const release = (): void => {
      if (!released) this.streaming--;
      released = true;
    };
    stream.once('close', release);
    stream.once('error', release);
    return { period, stream };
  }
}
