export { ProjectorModule, ProjectorService } from './projector.module';
export { rebuildInThreads, type RebuildThreadsOptions } from './rebuild-threads/rebuild-threads';
