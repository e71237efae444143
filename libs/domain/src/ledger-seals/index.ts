export * from './canonical-json';
export * from './ledger-encoding';
export * from './ledger-seal.events';
export * from './ledger-seal.decider';
export * from './seal-schedule';
export * from './seal-verifier';
export * from './ledger-export';
