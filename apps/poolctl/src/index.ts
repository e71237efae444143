/** What tests and benchmarks drive: the CLI as a program, and the devnet run it starts. */
export { buildProgram } from './program';
export * from './commands/ndjson';
export * from './commands/devnet.command';
export * from './commands/payout-status';
export * from './devnet/devnet-data-dir';
export * from './devnet/devnet-milestones';
export * from './devnet/devnet-run';
export { readWholeStore } from './commands/audit.command';
export { verifyPayout, type PayoutProof } from './commands/verify-payout';
export { writeLedgerExport } from './commands/ledger-export';
export { auditInParallel, type ParallelAudit, type ParallelAuditOptions } from './audit/parallel-audit';
export { auditInOrder, type InOrderAudit, type InOrderAuditOptions } from './audit/in-order-audit';
