import type { PayoutPlanned, PayoutSettled } from './payout.events';

const strip0x = (hex: string): string => (hex.startsWith('0x') || hex.startsWith('0X') ? hex.slice(2) : hex).toLowerCase();

/**
 * What the plan's transactions `landed` (indices) pay: every farmer whose payout puzzle hash one of them pays (a
 * transaction pays each puzzle hash once, merging the farmers who share it: buildPayoutTransactions), the pool fee
 * when one of them pays the pool's puzzle hash, and their planned blockchain fees. The ledger keeps the planned fee
 * of a transaction: whatever a fee bump added came out of the wallet's change.
 */
export function payoutSettlement(plan: Pick<PayoutPlanned['data'], 'allocations' | 'poolFee' | 'transactions'>, landed: readonly number[]): PayoutSettled {
  const paidPuzzleHashes = new Set<string>();
  let blockchainFee = 0n;
  for (const index of new Set(landed)) {
    const tx = plan.transactions[index];
    if (tx === undefined) continue;
    blockchainFee += BigInt(tx.fee);
    for (const payment of tx.payments) paidPuzzleHashes.add(strip0x(payment.puzzleHash));
  }
  const poolFee = BigInt(plan.poolFee.amount) > 0n && paidPuzzleHashes.has(strip0x(plan.poolFee.puzzleHash)) ? plan.poolFee.amount : '0';
  return {
    launcherIds: plan.allocations.filter((a) => BigInt(a.amount) > 0n && paidPuzzleHashes.has(strip0x(a.puzzleHash))).map((a) => a.launcherId),
    poolFee,
    blockchainFee: blockchainFee.toString(),
  };
}

/** Nothing paid: what an abandonment settles. */
export const NOTHING_SETTLED: PayoutSettled = { launcherIds: [], poolFee: '0', blockchainFee: '0' };
