export * from './chain.events';
export * from './chain-reorg.decider';
