export * from './projection';
export * from './projector';
export * from './projection-status';
export * from './generations';
export * from './projections';
export { ProjectorModule, ProjectorService } from './projector.module';
