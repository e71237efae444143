export { ReadModelDatabase, SqlExecutor, numberPlaceholders, type Dialect } from './read-model-database';
export { ProjectionGeneration, type GenerationStatus } from './projection-generation.entity';
export { tableContentHash } from './table-hash';
export * from './projection';
export * from './projector';
export * from './projection-status';
export * from './generations';
export * from './projection-support';
export * from './closing-images';
