import type { PayoutSchemeConfig } from './payout.events';

/**
 * Chia's MEMPOOL_MIN_FEE_INCREASE (chia/full_node/mempool_manager.py): a bundle replacing a waiting one that spends
 * the same coins must pay at least this many mojos more, besides more per unit of cost.
 */
export const MEMPOOL_MIN_FEE_INCREASE = 10_000_000n;

const max = (a: bigint, b: bigint): bigint => (a > b ? a : b);
const min = (a: bigint, b: bigint): bigint => (a < b ? a : b);

/**
 * The fee each transaction of a plan pays: the node's estimate for one payout transaction, up to the configured cap,
 * and never below the configured fee (the operator's minimum wins over the cap).
 */
export function estimatedFeePerTransaction(estimate: bigint, cap: bigint, floor: bigint): bigint {
  return max(floor, min(cap, estimate));
}

/** The scheme a plan records when its fee came from the node's estimate: the fee, and how it was chosen. */
export function withEstimatedFee(scheme: PayoutSchemeConfig, estimate: { targetSeconds: number; fee: bigint; cap: bigint }): PayoutSchemeConfig {
  const floor = BigInt(scheme.blockchainFeePerTransaction);
  return {
    ...scheme,
    blockchainFeePerTransaction: estimatedFeePerTransaction(estimate.fee, estimate.cap, floor).toString(),
    feeEstimate: { targetSeconds: estimate.targetSeconds, estimate: estimate.fee.toString(), cap: estimate.cap.toString(), floor: floor.toString() },
  };
}

/** Whether a recorded scheme's fee follows its recorded estimate rule (null), or how it does not. */
export function feeRuleProblem(scheme: PayoutSchemeConfig): string | null {
  const rule = scheme.feeEstimate;
  if (rule === undefined) return null;
  const expected = estimatedFeePerTransaction(BigInt(rule.estimate), BigInt(rule.cap), BigInt(rule.floor));
  return expected.toString() === scheme.blockchainFeePerTransaction
    ? null
    : `blockchainFeePerTransaction expected ${expected} (estimate ${rule.estimate}, cap ${rule.cap}, floor ${rule.floor}) recorded ${scheme.blockchainFeePerTransaction}`;
}

/**
 * The fee of a transaction signed again to replace its waiting version: what the node now estimates, but at least
 * the minimum increase a mempool takes as a replacement; null when that is above the cap (the transaction waits as it
 * is, and the operator sees why).
 */
export function bumpedFee(previous: bigint, estimate: bigint, cap: bigint): bigint | null {
  const fee = max(estimate, previous + MEMPOOL_MIN_FEE_INCREASE);
  return fee > cap ? null : fee;
}
