export { createApiServer } from './api-server';
export { loadPoolConfig, type PoolConfig } from './pool-config';
