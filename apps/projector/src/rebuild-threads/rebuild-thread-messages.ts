import type { ViewProjectionOptions } from '@pool/projections';

/** What a rebuild thread is given: its projections (by name) and the generations of the read-model database to fill. */
export interface RebuildThreadData {
  eventStoreUrl: string;
  readModelsUrl: string;
  /** The options the caller built its projections with (createProjections), so the thread builds the same ones. */
  projectionOptions: ViewProjectionOptions;
  /** Projection name -> generation number in the read-model database. */
  generations: Record<string, number>;
  batchSize?: number;
  /** Whether this thread tells the caller of each batch (progress displays). */
  reportsProgress: boolean;
}

export type RebuildThreadReply =
  | { type: 'batch'; read: number; position: string }
  | { type: 'done'; read: number; applied: number }
  | { type: 'failed'; message: string };
