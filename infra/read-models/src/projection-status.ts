import { LedgerFollower, type EventStore, type GlobalPosition } from '@pool/event-sourcing';
import type { ReadModelDatabase } from './read-model-database';
import { activeGeneration } from './generations';
import type { Projection } from './projection';

export interface ProjectionStatus {
  name: string;
  version: number;
  activeVersion: number | null;
  generation: number | null;
  position: string | null;
  /** Events the projection handles that it has not applied yet (capped at `lagLimit`). */
  lag: number;
  lagCapped: boolean;
}

/** Where each projection stands against the store: its checkpoint and how many of its events wait. */
export async function projectionStatus(
  store: EventStore,
  db: ReadModelDatabase,
  projections: readonly Projection[],
  lagLimit = 1_000_000,
): Promise<ProjectionStatus[]> {
  const statuses: ProjectionStatus[] = [];
  for (const projection of projections) {
    const active = await activeGeneration(db.executor(), projection.name);
    // Counts the records waiting after the checkpoint (nothing is decoded), up to the limit.
    const waiting = new LedgerFollower(store, { types: projection.handles, decode: () => undefined, pageSize: 5000, ...(active?.position ? { after: active.position } : {}) });
    let lag = 0;
    for await (const page of waiting.pages()) {
      lag += page.length;
      if (lag >= lagLimit) break;
    }
    statuses.push({
      name: projection.name,
      version: projection.version,
      activeVersion: active?.version ?? null,
      generation: active?.generation ?? null,
      position: active?.position ?? null,
      lag: Math.min(lag, lagLimit),
      lagCapped: lag >= lagLimit,
    });
  }
  return statuses;
}

/** Whether the live projector is moving: the oldest event it has yet to apply, and when it last committed anything. */
export interface ProjectorProgress {
  /** When the oldest event after every checkpoint was recorded; undefined when nothing waits. */
  oldestWaitingAt?: Date;
  /** Unix ms of the newest checkpoint write of any projection (a live batch or a rebuild's); undefined if none. */
  lastProgressAt?: number;
}

/**
 * The projector's progress as any process can see it, from the read-model database and the store alone (it
 * cannot report its own failures in a database it cannot write). Every batch moves the checkpoint of at least one
 * projection, so the events after the most advanced checkpoint are ones no batch has committed yet: if the oldest
 * of them is old and no checkpoint has moved for as long, the projector is stuck (failing batches, a lock, a dead
 * process), whatever it is still serving. One short read of each side, cheap enough for a readiness probe.
 */
export async function projectorProgress(store: EventStore, db: ReadModelDatabase, projections: readonly Projection[]): Promise<ProjectorProgress> {
  const names = projections.map((p) => p.name);
  if (names.length === 0) return {};
  const marks = names.map(() => '?').join(', ');
  const [row] = await db
    .executor()
    .query<{ position: string | null; at: number | string | null }>(
      `SELECT max(CASE WHEN status = 'active' THEN position END) AS position, max("updatedAt") AS at FROM projection_generations WHERE name IN (${marks}) AND status <> 'retired'`,
      names,
    );
  const position = (row?.position ?? undefined) as GlobalPosition | undefined;
  const types = [...new Set(projections.flatMap((p) => p.handles))];
  const [waiting] = await store.readAll({ ...(position === undefined ? {} : { after: position }), maxCount: 1, filter: { types } });
  return {
    ...(waiting ? { oldestWaitingAt: waiting.recordedAt } : {}),
    ...(row?.at === null || row?.at === undefined ? {} : { lastProgressAt: Number(row.at) }),
  };
}
