import { type FullNodeRpc } from '@pool/chia';
import { type PoolSettings } from '@pool/config';
import { bumpedFee, latestFee, type PayoutSchemeConfig, type PayoutStep, type SagaPayout, type SignedPayoutTransaction, withEstimatedFee } from '@pool/domain';
import { type PayoutRecorder } from './payout-recorder';
import { type PayoutSender } from './payout-sender';
import { spendBundleOf } from './spend-bundle-effects';

/**
 * CLVM cost of one payout transaction with `outputs` payments, before it exists (a plan's fee is priced before the
 * wallet builds anything): Chia's own figure for a standard send of one coin to one payee plus change (9,401,710, its
 * get_fee_estimate `send_xch_transaction`), plus for each further output its CREATE_COIN condition (1,800,000) and
 * about 45 bytes of solution at 12,000 a byte. An upper bound for the devnet's key-less puzzles, near enough for
 * Chia's standard puzzle.
 */
export function payoutTransactionCost(outputs: number): bigint {
  const STANDARD_SEND = 9_401_710n;
  const PER_EXTRA_OUTPUT = 1_800_000n + 45n * 12_000n;
  return STANDARD_SEND + BigInt(Math.max(0, outputs - 1)) * PER_EXTRA_OUTPUT;
}

type FeeSettings = Pick<PoolSettings['payouts'], 'feeCapMojos' | 'feeTargetSeconds'>;

/**
 * The payout fee from the full node's estimate (get_fee_estimate) within the configured cap: for a new plan, and for a
 * sent payout that waited too long (signed again with the same spends and a higher fee, recorded, then pushed as a
 * replacement). A node that cannot estimate leaves the configured fee (a plan) or the waiting version (a bump).
 */
export class PayoutFees {
  constructor(
    private readonly chain: FullNodeRpc,
    private readonly settings: FeeSettings,
    private readonly log: (line: string) => void,
  ) {}

  /** The scheme a new plan records: its fee per transaction is the estimate within the cap (see withEstimatedFee). */
  async scheme(base: PayoutSchemeConfig): Promise<PayoutSchemeConfig> {
    const cap = this.settings.feeCapMojos;
    if (cap <= 0n) return base;
    const targetSeconds = this.settings.feeTargetSeconds;
    try {
      const answer = await this.chain.getFeeEstimate({ targetTimes: [targetSeconds], cost: payoutTransactionCost(base.maxAdditionsPerTransaction) });
      const fee = answer.estimates[0];
      if (fee === undefined) throw new Error('the node answered no estimate');
      return withEstimatedFee(base, { targetSeconds, fee, cap });
    } catch (error) {
      this.log(`no fee estimate from the node (${(error as Error).message}): the plan pays the configured fee`);
      return base;
    }
  }

  /**
   * Has the wallet sign the waiting transactions again with a higher fee and records the new versions (PayoutFeeBumped)
   * before anything is pushed; the caller then pushes the latest versions. Returns false when no bump was recorded: the
   * cap leaves no room for a fee the mempool would take as a replacement, or the node could not estimate.
   */
  async bump(payout: SagaPayout, step: Extract<PayoutStep, { type: 'BumpFee' }>, height: number, deps: { sender: PayoutSender; recorder: PayoutRecorder }): Promise<boolean> {
    const id = payout.planned.payoutId;
    const fees = new Map<number, bigint>();
    const why: string[] = [];
    for (const index of step.transactions) {
      const previous = latestFee(payout, index);
      const waiting = [...(payout.variants[index] ?? [])].reverse().find((v) => v.bundle !== null);
      if (previous === null || waiting === undefined) continue;
      let estimate: bigint;
      try {
        const answer = await this.chain.getFeeEstimate({ targetTimes: [this.settings.feeTargetSeconds], spendBundle: spendBundleOf(waiting.bundle!) });
        estimate = answer.estimates[0] ?? 0n;
      } catch (error) {
        this.log(`payout ${id}: no fee estimate for transaction ${index} (${(error as Error).message}); it waits as it is`);
        continue;
      }
      const fee = bumpedFee(previous, estimate, this.settings.feeCapMojos);
      if (fee === null) {
        this.log(`payout ${id}: transaction ${index} waited ${step.waitedBlocks} blocks, but a replacement above its fee of ${previous} would pass the cap of ${this.settings.feeCapMojos}`);
        continue;
      }
      fees.set(index, fee);
      why.push(`transaction ${index}: fee ${previous} -> ${fee} (node estimate ${estimate} within ${this.settings.feeTargetSeconds} s)`);
    }
    if (fees.size === 0) return false;
    const signed = await this.signPriced(payout, fees, deps.sender);
    const reason = `unconfirmed for ${step.waitedBlocks} blocks; ${why.join('; ')}`;
    await deps.recorder.recordFeeBump(payout, signed, reason, height, step.now);
    this.log(`payout ${id} fee bumped: ${reason}`);
    return true;
  }

  /**
   * Signs with `fees`, then prices what was signed: a higher fee adds bytes (a RESERVE_FEE, longer amounts), so the new
   * bundle costs a little more than the waiting one the estimate was for, and may fall just short of the rate it needs.
   * Signed again with the node's estimate for the new bundle, a few times at most, within the cap.
   */
  private async signPriced(payout: SagaPayout, fees: Map<number, bigint>, sender: PayoutSender): Promise<SignedPayoutTransaction[]> {
    for (let round = 0; ; round++) {
      // The same commitment as the version it replaces: whichever version lands carries it.
      const signed = await sender.sign(payout.planned, { allowSpentInputs: false, fees, commitment: payout.commitment });
      if (round === 2) return signed;
      let repriced = false;
      for (const tx of signed) {
        const answer = await this.chain.getFeeEstimate({ targetTimes: [this.settings.feeTargetSeconds], spendBundle: spendBundleOf(tx.spendBundle) });
        const needed = answer.estimates[0] ?? 0n;
        const fee = fees.get(tx.index)!;
        if (needed > fee && needed <= this.settings.feeCapMojos) {
          fees.set(tx.index, needed);
          repriced = true;
        }
      }
      if (!repriced) return signed;
    }
  }
}
