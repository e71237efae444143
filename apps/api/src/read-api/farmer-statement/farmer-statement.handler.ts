import { Inject, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { farmerStatement, farmerStream, PAYOUT_LEDGER_EVENT_TYPES, poolEvents, type AuditEvent, type PoolEvent } from '@pool/domain';
import { LedgerFollower, StreamNotFoundError, type EventStore, type GlobalPosition } from '@pool/event-sourcing';
import { EVENT_STORE } from '@pool/runtime';
import { FarmerStatementQuery } from './farmer-statement.query';
import type { FarmerStatementResponse } from './farmer-statement.response';

/**
 * The statement is folded from the payout ledger's event types only (every other type moves no points or money),
 * so reading only these gives the same statement as `poolctl audit --farmer` over the whole store, without reading the partial submissions that make up
 * most of it.
 */
export const STATEMENT_EVENT_TYPES = PAYOUT_LEDGER_EVENT_TYPES;

const PAGE = 5000;

/** The statement's events after `position` (from the start when null), in store order. */
function statementEvents(store: EventStore, position: string | null): LedgerFollower<PoolEvent> {
  return new LedgerFollower(store, { ...poolEvents(...STATEMENT_EVENT_TYPES), pageSize: PAGE, ...(position === null ? {} : { after: position as GlobalPosition }) });
}

async function* ledgerEvents(store: EventStore): AsyncGenerator<AuditEvent> {
  for await (const page of statementEvents(store, null).pages()) yield* page;
}

/** Statements kept, newest use last; each is checked against the ledger before it is served again. */
const CACHED_STATEMENTS = 256;

/**
 * Farmers whose replay may wait or run at once. Replays run one at a time (each reads the whole ledger), so every
 * farmer in the queue delays the ones behind it by a whole replay: past a few, the answer would come too late to be
 * worth waiting for, and a flood of requests would push an honest farmer's statement back without limit.
 */
export const MAX_QUEUED_STATEMENT_REPLAYS = 8;

/** Refused because the replay queue is full: answered 503 with a Retry-After (see the controller). */
export class StatementReplaysBusyException extends ServiceUnavailableException {
  constructor(readonly retryAfterSeconds: number) {
    super(`${MAX_QUEUED_STATEMENT_REPLAYS} farmers' statements are already being replayed from the ledger; try again in ${retryAfterSeconds} s`);
  }
}

/**
 * A farmer's audit statement, replayed from the ledger itself by the same function as `poolctl audit --farmer`:
 * it is evidence, so it is not read from a projection that could lag or be rebuilt differently.
 *
 * A replay reads the whole ledger (1.5 to 3.5 s for 200,000 events on SQLite), so on a public endpoint: a launcher
 * the ledger has never registered is answered 404 from its farmer stream (one indexed read) before any replay;
 * replays run one at a time, at most MAX_QUEUED_STATEMENT_REPLAYS farmers waiting or running (more are refused with
 * 503), concurrent requests for one farmer share one replay, and a statement is served again while no event the
 * statement depends on has been appended after the one it was read up to.
 */
@QueryHandler(FarmerStatementQuery)
export class FarmerStatementHandler implements IQueryHandler<FarmerStatementQuery> {
  private readonly cache = new Map<string, FarmerStatementResponse>();
  private readonly running = new Map<string, Promise<FarmerStatementResponse>>();
  private queue: Promise<unknown> = Promise.resolve();
  /** How long the last replay took, in ms: what a refused client is told to wait per farmer ahead of it. */
  private lastReplayMs = 1000;

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ launcherId }: FarmerStatementQuery): Promise<FarmerStatementResponse> {
    const cached = this.cache.get(launcherId);
    if (cached && !(await this.changedSince(cached.asOfPosition))) return cached;
    let replay = this.running.get(launcherId);
    if (!replay) {
      // Unknown launchers (any 32 bytes anyone makes up) never reach the queue.
      await this.assertKnown(launcherId);
      replay = this.running.get(launcherId) ?? this.enqueue(launcherId);
    }
    const answer = await replay;
    this.cache.delete(launcherId);
    this.cache.set(launcherId, answer);
    if (this.cache.size > CACHED_STATEMENTS) this.cache.delete(this.cache.keys().next().value!);
    return answer;
  }

  private enqueue(launcherId: string): Promise<FarmerStatementResponse> {
    if (this.running.size >= MAX_QUEUED_STATEMENT_REPLAYS) {
      throw new StatementReplaysBusyException(Math.max(1, Math.ceil((this.lastReplayMs * this.running.size) / 1000)));
    }
    const next = this.queue.then(() => this.timedReplay(launcherId));
    this.queue = next.catch(() => undefined);
    const replay = next.finally(() => this.running.delete(launcherId));
    this.running.set(launcherId, replay);
    return replay;
  }

  private async timedReplay(launcherId: string): Promise<FarmerStatementResponse> {
    const started = performance.now();
    try {
      return await this.replay(launcherId);
    } finally {
      this.lastReplayMs = performance.now() - started;
    }
  }

  private changedSince(position: string | null): Promise<boolean> {
    return statementEvents(this.store, position).hasNew();
  }

  private async replay(launcherId: string): Promise<FarmerStatementResponse> {
    let last: string | null = null;
    const events = ledgerEvents(this.store);
    const tracked = (async function* () {
      for await (const event of events) {
        last = event.position;
        yield event;
      }
    })();
    const statement = await farmerStatement(tracked, launcherId);
    const t = statement.totals;
    return {
      launcherId,
      asOfPosition: last,
      lines: statement.lines,
      totals: {
        creditedPoints: t.creditedPoints.toString(),
        revertedPoints: t.revertedPoints.toString(),
        allocated: t.allocated.toString(),
        paid: t.paid.toString(),
        inFlight: t.inFlight.toString(),
        carried: t.carried.toString(),
      },
    };
  }

  private async assertKnown(launcherId: string): Promise<void> {
    try {
      await this.store.readStream(farmerStream(launcherId), { maxCount: 1 });
    } catch (error) {
      if (error instanceof StreamNotFoundError) throw new NotFoundException(`no farmer with launcher id ${launcherId} is in the ledger`);
      throw error;
    }
  }
}
