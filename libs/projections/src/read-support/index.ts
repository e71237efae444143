export * from './read-rows';
export * from './paging';
export * from './ledger-time';
