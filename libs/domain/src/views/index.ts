export * from './ledger-time';
export * from './space-estimate';
export * from './ledger-statement.fold';
