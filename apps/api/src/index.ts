export { createApiServer } from './api-server';
