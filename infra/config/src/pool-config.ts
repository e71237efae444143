import { DEFAULT_POOL_SETTINGS, type PoolSettings } from './pool-settings';

/**
 * Settings for the api and projector, read from the environment with embedded defaults, so that
 * `npm start` needs nothing: SQLite files under ./data and port 8080.
 */
export interface PoolConfig {
  port: number;
  host: string;
  eventStoreUrl: string;
  readModelsUrl: string;
  settings: PoolSettings;
}

export function loadPoolConfig(env: NodeJS.ProcessEnv = process.env): PoolConfig {
  const dataDir = env.POOL_DATA_DIR ?? './data';
  const port = Number(env.PORT ?? '8080');
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got ${JSON.stringify(env.PORT)}`);
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    eventStoreUrl: env.POOL_EVENT_STORE_URL ?? `sqlite:${dataDir}/events.db`,
    readModelsUrl: env.POOL_READ_MODELS_URL ?? `sqlite:${dataDir}/read-models.db`,
    settings: DEFAULT_POOL_SETTINGS,
  };
}

export const EVENT_STORE = Symbol('EVENT_STORE');
export const READ_MODELS = Symbol('READ_MODELS');
export const POOL_CONFIG = Symbol('POOL_CONFIG');
