import { isAfter, type EventStore, type GlobalPosition, type RecordedEvent } from '@pool/event-sourcing';
import type { ReadModelDatabase, SqlExecutor } from './read-model-database';
import {
  activateGeneration,
  activeGeneration,
  createGeneration,
  finishTable,
  lockGeneration,
  physicalTable,
  saveCheckpoint,
} from './generations';
import type { Projection } from './projection';
import { imageIfAligned, imageOf, restoreImage, splitAfter, type ClosingImage } from './closing-images';
import { freshEvents, lowestCheckpoint, pause } from './projector-batches';

export interface ProjectorLogger {
  log(message: string): void;
  warn(message: string): void;
}

export interface ProjectorOptions {
  /** Events per batch (one transaction) when following the store, and when rebuilding unless rebuildBatchSize is set. */
  batchSize?: number;
  /**
   * Events per batch of a rebuild (default: batchSize when given, else 20,000). A building generation has no
   * readers, so large batches only cost memory, and they save the per-batch work of every projection (loads,
   * the farmer view's 24-hour sums, index pages rewritten on every commit); on SQLite each batch holds the
   * file's write lock, so they stay small enough for a live projector in another process to wait them out.
   */
  rebuildBatchSize?: number;
  logger?: ProjectorLogger;
  /**
   * Keep following after a failed batch instead of rejecting: the batch has rolled back with its checkpoints (and
   * the read-model connection was replaced), so the runner waits, doubling the wait after each failure in a row up
   * to `maxDelayMs`, and resumes from the checkpoints. For the long-running projector; one-shot callers (tests,
   * tools) want the error. A full disk, a restarted database server or a lock held too long then heal on their own.
   */
  retry?: { initialDelayMs?: number; maxDelayMs?: number };
  /**
   * Closing images (closing-images.ts): the live runner ends a batch after each event of these types and copies every
   * projection's tables in that batch's transaction, keeping the newest `keep` (default 2), so a rebuild can start
   * there (rebuildFromImage). The composer names the events (the books closings); none: no images. A rebuild takes
   * none (one image per closing would cost it a copy of every table each time): the live runner images the new
   * tables at the next such event, and the images taken before stay valid for the same projection versions.
   */
  images?: { after: readonly string[]; keep?: number };
  /** Told after each batch of a rebuild's catch-up: events read in it and the position of its last (progress displays). */
  onRebuildBatch?: (read: number, position: GlobalPosition) => void;
  /**
   * Fills a rebuild's fresh generations (rows and checkpoints) before the projector catches them up itself: apps/projector's
   * rebuild threads build groups of projections at once, one core each. Whatever it leaves counts as applied: the projector
   * then reads from the least advanced checkpoint, and each projection skips the events its checkpoint covers.
   */
  prefill?: RebuildPrefill;
}

/** See ProjectorOptions.prefill: the generations to fill, and where to report the catch-up's progress. */
export type RebuildPrefill = (
  targets: ReadonlyMap<Projection, number>,
  signal: AbortSignal,
  onBatch: (read: number, position: GlobalPosition) => void,
) => Promise<RebuildCount>;

/** What a rebuild did: events read from the store (of the types the projections handle) and applications. */
export interface RebuildCount {
  read: number;
  applied: number;
}

/** Where the live runner stands, for logs and an in-process readiness check. */
export interface ProjectorHealth {
  /** Batches (or catch-up starts) that failed since the last one that committed. */
  consecutiveFailures: number;
  lastError?: string;
  /** Unix ms of the last committed live batch. */
  lastCommitAt?: number;
}

/** Which generation of each projection a pass writes to. */
type Targets = Map<Projection, number>;

/** How many of the ledger's newest events a rebuild hands its projections (ProjectionContext.newestEvents). */
const NEWEST_EVENTS = 1_000;

/** Thrown inside a batch when a rebuild switched a projection to a new generation under the live runner. */
class GenerationSwitched extends Error {}

/**
 * Catch-up subscription -> projections -> read models, with each projection's checkpoint stored in the
 * same transaction as its rows. Delivery from the store is at least once; the checkpoint makes the
 * effect exactly once, so the runner resumes after a crash exactly where the last commit left it.
 */
export class Projector {
  private readonly batchSize: number;
  private readonly rebuildBatchSize: number;
  private readonly logger: ProjectorLogger;
  private readonly retry?: { initialDelayMs: number; maxDelayMs: number };
  private readonly status: ProjectorHealth = { consecutiveFailures: 0 };
  private readonly imageAfter: ReadonlySet<string>;
  private readonly keepImages: number;
  private readonly onRebuildBatch: (read: number, position: GlobalPosition) => void;
  private readonly prefill?: RebuildPrefill;

  constructor(
    private readonly store: EventStore,
    private readonly db: ReadModelDatabase,
    readonly projections: readonly Projection[],
    options: ProjectorOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 1000;
    this.rebuildBatchSize = options.rebuildBatchSize ?? options.batchSize ?? 20_000;
    this.logger = options.logger ?? { log: () => undefined, warn: () => undefined };
    this.imageAfter = new Set(options.images?.after ?? []);
    this.keepImages = options.images?.keep ?? 2;
    this.onRebuildBatch = options.onRebuildBatch ?? (() => undefined);
    this.prefill = options.prefill;
    if (options.retry) this.retry = { initialDelayMs: options.retry.initialDelayMs ?? 1_000, maxDelayMs: options.retry.maxDelayMs ?? 60_000 };
  }

  get health(): ProjectorHealth {
    return { ...this.status };
  }

  /**
   * Runs the live projections until the signal aborts. A projection with no active generation, or one
   * built by an older version, is first rebuilt from zero (blue/green).
   */
  async run(signal: AbortSignal, onCaughtUp?: () => void): Promise<void> {
    while (!signal.aborted) {
      try {
        await this.runOnce(signal, onCaughtUp);
        return;
      } catch (error) {
        if (signal.aborted) return;
        this.status.consecutiveFailures += 1;
        this.status.lastError = error instanceof Error ? error.message : String(error);
        if (!this.retry) throw error;
        const failures = this.status.consecutiveFailures;
        const delay = Math.min(this.retry.maxDelayMs, this.retry.initialDelayMs * 2 ** Math.min(failures - 1, 30));
        this.logger.warn(
          `a projector batch failed (${failures} in a row) and was rolled back; resuming from the checkpoints in ${delay} ms: ${this.status.lastError}`,
        );
        await pause(delay, signal);
      }
    }
  }

  private async runOnce(signal: AbortSignal, onCaughtUp?: () => void): Promise<void> {
    const stale: Projection[] = [];
    for (const projection of this.projections) {
      const active = await activeGeneration(this.db.executor(), projection.name);
      if (active?.version !== projection.version) stale.push(projection);
    }
    if (stale.length > 0) await this.rebuild(stale, signal);

    while (!signal.aborted) {
      try {
        await this.follow(signal, onCaughtUp);
      } catch (error) {
        if (!(error instanceof GenerationSwitched)) throw error;
        this.logger.log('a rebuild switched generations; resuming from the new checkpoints');
      }
    }
  }

  private async follow(signal: AbortSignal, onCaughtUp?: () => void): Promise<void> {
    const targets: Targets = new Map();
    let start: GlobalPosition | undefined;
    let first = true;
    for (const projection of this.projections) {
      const active = await activeGeneration(this.db.executor(), projection.name);
      if (!active) throw new GenerationSwitched();
      targets.set(projection, active.generation);
      // Start from the least advanced projection; the others skip what they already have.
      if (first || (start !== undefined && (active.position === null || active.position < start))) start = active.position ?? undefined;
      first = false;
    }
    for await (const message of this.store.subscribeToAll({ after: start, filter: this.filterFor(this.projections), signal, batchSize: this.batchSize })) {
      if (message.kind === 'caughtUp') onCaughtUp?.();
      else {
        let written = 0;
        for (const part of splitAfter(message.events, this.imageAfter)) written += await this.applyBatch(part, targets, true);
        // A batch whose events every projection already has writes nothing: it proves nothing about the database.
        if (written === 0) continue;
        if (this.status.consecutiveFailures > 0) this.logger.log(`a projector batch committed again after ${this.status.consecutiveFailures} failed attempts`);
        this.status.consecutiveFailures = 0;
        this.status.lastError = undefined;
        this.status.lastCommitAt = Date.now();
      }
    }
  }

  /**
   * Rebuilds projections from zero into fresh tables while the live ones keep serving, then switches
   * over in one transaction once the new tables have caught up with the store.
   */
  async rebuild(projections: readonly Projection[] = this.projections, signal: AbortSignal = new AbortController().signal): Promise<number> {
    const targets: Targets = new Map();
    await this.db.transaction(async (sql) => {
      for (const projection of projections) targets.set(projection, await createGeneration(sql, projection, { deferIndexes: true }));
    });
    let prefilled: RebuildCount = { read: 0, applied: 0 };
    let after: GlobalPosition | undefined;
    if (this.prefill && targets.size > 1) {
      prefilled = await this.prefill(targets, signal, this.onRebuildBatch);
      after = await this.db.transaction((sql) => lowestCheckpoint(sql, targets));
    }
    const { applied } = await this.catchUpAndSwitch(targets, after, signal);
    const total = prefilled.applied + applied;
    this.logger.log(`rebuilt ${projections.map((p) => p.name).join(', ')} from ${total} event applications`);
    return total;
  }

  /**
   * A rebuild that starts from a closing image instead of the ledger's first event: fresh generations are filled
   * from the image's tables, with the checkpoints they had, and only the events after the image are read. The
   * caller vouches for the image (libs/projections checks its money against the books closing it was taken at).
   */
  async rebuildFromImage(image: ClosingImage, projections: readonly Projection[] = this.projections, signal: AbortSignal = new AbortController().signal): Promise<RebuildCount> {
    const targets: Targets = new Map();
    await this.db.transaction(async (sql) => {
      for (const projection of projections) {
        const taken = imageOf(image, projection);
        const generation = await createGeneration(sql, projection, { deferIndexes: true });
        await restoreImage(sql, projection, image.image, generation);
        if (taken.checkpoint !== null) await saveCheckpoint(sql, projection.name, generation, taken.checkpoint);
        targets.set(projection, generation);
      }
    });
    const count = await this.catchUpAndSwitch(targets, image.position, signal);
    this.logger.log(`rebuilt ${projections.map((p) => p.name).join(', ')} from image ${image.image} and ${count.read} events after it`);
    return count;
  }

  /**
   * The first half of a rebuild, which a rebuild thread also runs on its own: applies the events after `after` to the
   * building generations `targets` (their rows and checkpoints), without finishing or switching them. Each checkpoint
   * ends at least at the store's head when the catch-up began, so a projection that handled none of the events read
   * does not send the switch back to the ledger's start. Stops early, short of the head, when the signal aborts.
   */
  async catchUp(targets: ReadonlyMap<Projection, number>, after?: GlobalPosition, signal: AbortSignal = new AbortController().signal): Promise<RebuildCount> {
    const filter = this.filterFor([...targets.keys()]);
    const count: RebuildCount = { read: 0, applied: 0 };
    const head = await this.store.headPosition();
    const newest = await this.store.readNewest(NEWEST_EVENTS);
    // The next page is requested before the current one is applied, so on PostgreSQL the store's server reads and
    // sends it while this process folds and the read-model server writes.
    const read = (from: GlobalPosition | undefined): Promise<RecordedEvent[]> => {
      const page = this.store.readAll({ after: from, maxCount: this.rebuildBatchSize, filter });
      // Marked handled at once: a page that fails while the previous one is applied is reported when awaited.
      page.catch(() => undefined);
      return page;
    };
    let next: Promise<RecordedEvent[]> | undefined = read(after);
    while (next && !signal.aborted) {
      const page: RecordedEvent[] = await next;
      if (page.length === 0) break;
      next = page.length === this.rebuildBatchSize ? read(page[page.length - 1]!.position) : undefined;
      count.read += page.length;
      count.applied += await this.applyRebuildBatch(page, targets, newest);
      this.onRebuildBatch(page.length, page[page.length - 1]!.position);
    }
    if (!signal.aborted && head !== undefined) {
      await this.db.transaction(async (sql) => {
        for (const [projection, generation] of targets) {
          const row = await lockGeneration(sql, projection.name, generation);
          if (isAfter(head, row?.position ?? undefined)) await saveCheckpoint(sql, projection.name, generation, head);
        }
      });
    }
    return count;
  }

  /** Applies the events after `after` to fresh generations, finishes their tables and switches the views to them. */
  private async catchUpAndSwitch(targets: Targets, after: GlobalPosition | undefined, signal: AbortSignal): Promise<RebuildCount> {
    const count = await this.catchUp(targets, after, signal);
    if (signal.aborted) throw new Error('rebuild aborted before it caught up; the live tables are untouched');
    const filter = this.filterFor([...targets.keys()]);
    const tables = [...targets].flatMap(([projection, generation]) => projection.tables.map((table) => ({ table, generation })));
    const finish = ({ table, generation }: (typeof tables)[number]): Promise<void> => this.db.transaction((sql) => finishTable(sql, table, generation));
    if (this.db.dialect === 'postgres') await Promise.all(tables.map(finish));
    else for (const table of tables) await finish(table);

    // The switch: whatever was appended during the catch-up is applied inside the switching transaction.
    await this.db.transaction(async (sql) => {
      let from = await lowestCheckpoint(sql, targets);
      if (after !== undefined && (from === undefined || from < after)) from = after;
      for (;;) {
        const page = await this.store.readAll({ after: from, maxCount: this.rebuildBatchSize, filter });
        if (page.length === 0) break;
        count.read += page.length;
        count.applied += await this.applyInTransaction(sql, page, targets, false);
        from = page[page.length - 1]!.position;
      }
      for (const [projection, generation] of targets) await activateGeneration(sql, projection, generation);
    });
    return count;
  }

  /**
   * A batch of a rebuild's catch-up. A building generation has no readers and each projection its own tables
   * and checkpoint, so on PostgreSQL each projection commits in its own transaction, all at once on separate
   * connections: the server writes one projection's rows while this process folds the next. SQLite has one
   * writer, so there the batch is one transaction.
   */
  private async applyRebuildBatch(events: readonly RecordedEvent[], targets: ReadonlyMap<Projection, number>, newest: readonly RecordedEvent[]): Promise<number> {
    if (this.db.dialect !== 'postgres') return this.applyBatch(events, targets, false, newest);
    const counts = await Promise.all(
      [...targets].map(([projection, generation]) => this.applyBatch(events, new Map([[projection, generation]]), false, newest)),
    );
    return counts.reduce((sum, n) => sum + n, 0);
  }

  /** `newest`: a rebuild's newest events (ProjectionContext.newestEvents); none when following live. */
  private applyBatch(events: readonly RecordedEvent[], targets: ReadonlyMap<Projection, number>, live: boolean, newest?: readonly RecordedEvent[]): Promise<number> {
    const last = events[events.length - 1];
    const image = live && last !== undefined && this.imageAfter.has(last.type);
    return this.db.transaction(async (sql) => {
      const applied = await this.applyInTransaction(sql, events, targets, live, newest);
      if (image && applied > 0) {
        const taken = await imageIfAligned(sql, this.projections, targets, last.position, this.keepImages);
        if (taken !== undefined) this.logger.log(`closing image ${taken} taken after position ${last.position}`);
      }
      return applied;
    });
  }

  /** Applies the events each projection has not seen yet and moves its checkpoint, all in `sql`'s transaction. */
  private async applyInTransaction(
    sql: SqlExecutor,
    events: readonly RecordedEvent[],
    targets: ReadonlyMap<Projection, number>,
    live: boolean,
    newestEvents?: readonly RecordedEvent[],
  ): Promise<number> {
    let applied = 0;
    for (const [projection, generation] of targets) {
      const row = await lockGeneration(sql, projection.name, generation);
      if (!row || (live && row.status !== 'active')) throw new GenerationSwitched();
      const handles = this.handledTypes(projection);
      const checkpoint = row.position ?? undefined;
      const fresh = freshEvents(events, handles, checkpoint);
      if (fresh.length === 0) continue;
      await projection.apply(fresh, { sql, table: (name) => physicalTable(name, generation), newestEvents });
      await saveCheckpoint(sql, projection.name, generation, fresh[fresh.length - 1]!.position);
      applied += fresh.length;
    }
    return applied;
  }

  private readonly handled = new Map<Projection, ReadonlySet<string>>();

  /** A set per projection: batches of tens of thousands of events are filtered once per projection. */
  private handledTypes(projection: Projection): ReadonlySet<string> {
    let types = this.handled.get(projection);
    if (!types) this.handled.set(projection, (types = new Set(projection.handles)));
    return types;
  }

  private filterFor(projections: readonly Projection[]): { types: string[] } {
    // The image events too: the live runner must see them to end its batches there, handled or not.
    return { types: [...new Set([...projections.flatMap((p) => p.handles), ...this.imageAfter])] };
  }
}
