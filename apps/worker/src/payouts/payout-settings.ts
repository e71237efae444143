import { type PoolSettings } from '@pool/config';
import { type PayoutPolicy, type PayoutSchemeConfig } from '@pool/domain';

type PayoutSettings = Pick<PoolSettings, 'targetPuzzleHash' | 'confirmationSecurityThreshold' | 'feeBasisPoints' | 'payouts'>;

/** The scheme and money rules a plan is computed with (recorded in it, so the audit recomputes it exactly). */
export function payoutScheme(s: PayoutSettings): PayoutSchemeConfig {
  const p = s.payouts;
  return {
    name: p.scheme,
    ...(p.scheme === 'pplns' ? (p.pplnsWindowPoints !== null ? { windowPoints: p.pplnsWindowPoints.toString() } : { windowSeconds: p.pplnsWindowSeconds }) : {}),
    feeBasisPoints: s.feeBasisPoints,
    poolFeePuzzleHash: p.poolFeePuzzleHash ?? s.targetPuzzleHash,
    minimumPayout: p.minimumPayout.toString(),
    maxAdditionsPerTransaction: p.maxAdditionsPerTransaction,
    blockchainFeePerTransaction: p.blockchainFeePerTransaction.toString(),
  };
}

/** The payout workflow's retry policy and confirmation depth. */
export function payoutPolicy(s: PayoutSettings): PayoutPolicy {
  return {
    confirmationThreshold: s.confirmationSecurityThreshold,
    maxAttempts: s.payouts.maxAttempts,
    retryBackoffSeconds: s.payouts.retryBackoffSeconds,
    // A cap of 0 means the fixed fee alone: no bump could be made.
    feeBumpAfterBlocks: s.payouts.feeCapMojos > 0n ? s.payouts.feeBumpAfterBlocks : 0,
  };
}
