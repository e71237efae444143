import type { EventStore } from '@pool/event-sourcing';
import type { ReadModelDatabase } from '.';
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
    let after = active?.position ?? undefined;
    let lag = 0;
    while (lag < lagLimit) {
      const page = await store.readAll({ after, maxCount: 5000, filter: { types: projection.handles } });
      lag += page.length;
      if (page.length < 5000) break;
      after = page[page.length - 1]!.position;
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
