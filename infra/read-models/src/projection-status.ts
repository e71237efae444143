import { LedgerFollower, type EventStore } from '@pool/event-sourcing';
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
