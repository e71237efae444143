export * from './ledger-commands.module';
export * from './payouts-control/payouts-control';
