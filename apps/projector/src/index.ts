export { ProjectorModule, ProjectorService } from './projector.module';
