export * from './ledger-time';
export * from './space-estimate';
