export * from './pool-config';
export * from './pool-settings';
