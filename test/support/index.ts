export * from './vectors';
export * from './postgres';
export * from './decider-specification';
export * from './workflow-specification';
export * from './ledger-command-bus';
export * from './api-deps';
export * from './devnet-pool';
export * from './payout-events.fixture';
export * from './payout-signing.fixture';
export * from './synthetic-ledger';
export * from './partial-crypto.fixture';
export * from './eventstoredb-wire.fixture';
export * from './projections/generated-ledger';
// The projection specs' recorded-event builders share names with the payout fixtures: exported with an Event suffix.
export { FARMER_A, FARMER_B, FARMER_C, submitted, payoutId, registered as registeredEvent, confirmed as confirmedEvent, reverted as revertedEvent, planned as plannedEvent } from './projections/ledger-builders';
export * from './projections/projection-harness';
export * from './ledger-facts';
export * from './poolctl-in-process';
export * from './ledger-audit';
