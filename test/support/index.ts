export * from './vectors';
export * from './postgres';
export * from './decider-specification';
export * from './api-deps';
export * from './devnet-pool';
