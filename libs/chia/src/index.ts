/** Chia primitives, each checked against Chia's own vectors in shared/vectors. */
export * from './util';
export * from './streamable';
export * from './chain';
export * from './address';
export * from './auth';
export * from './bls';
export * from './pos';
export * from './puzzles';
export * from './plot-nft-v2';
export * from './rpc';
export * from './plot-nft/singleton-state';
