import { isAfter, type GlobalPosition, type RecordedEvent } from '@pool/event-sourcing';
import { lockGeneration } from './generations';
import type { Projection } from './projection';
import type { SqlExecutor } from './read-model-database';

/**
 * The events of `events` (in position order) of the handled types after the checkpoint. Positions only grow
 * within a batch, so a batch that starts after the checkpoint needs no comparison per event, and a batch the
 * projection handles whole is passed on as it is: with six projections and batches of tens of thousands of
 * events this runs for every event several times.
 */
export function freshEvents(events: readonly RecordedEvent[], handles: ReadonlySet<string>, checkpoint: GlobalPosition | undefined): readonly RecordedEvent[] {
  const allAfter = events.length === 0 || isAfter(events[0]!.position, checkpoint);
  if (allAfter && events.every((e) => handles.has(e.type))) return events;
  return events.filter((e) => handles.has(e.type) && (allAfter || isAfter(e.position, checkpoint)));
}

/** Waits `ms`, or less if the signal aborts first. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** The least advanced checkpoint of the generations a rebuild writes (locked: the switch reads from it). */
export async function lowestCheckpoint(sql: SqlExecutor, targets: ReadonlyMap<Projection, number>): Promise<GlobalPosition | undefined> {
  let lowest: GlobalPosition | undefined;
  let first = true;
  for (const [projection, generation] of targets) {
    const row = await lockGeneration(sql, projection.name, generation);
    const position = row?.position ?? undefined;
    if (first || (lowest !== undefined && (position === undefined || position < lowest))) lowest = position;
    first = false;
  }
  return lowest;
}
