/** The worker's public entry points: poolctl composes WorkerModule into `start`; tests drive the loops' parts. */
export * from './worker.module';
export * from './worker.tokens';
export * from './pool-loops';
export * from './chain/chain-events';
export * from './chain/chain-follower';
export * from './chain/reorg-reporter';
export * from './partial-settlement/partial-confirmer';
export * from './membership/membership-tracker';
export * from './membership/plot-nft-v2-follower';
export * from './membership/plot-nft-v2-membership-tracker';
export * from './rewards/reward-absorber';
export * from './rewards/reward-collector';
export * from './rewards/reward-collector.loop';
export * from './rewards/v2-reward-absorber';
export * from './payouts/payout-planner';
export * from './payouts/payout-saga';
export * from './payouts/payout-saga.loop';
