import { type Coin, type FullNodeRpc } from '@pool/chia';
import { bundleToPush, type PayoutSagaView, type payoutWorkflow, type SagaPayout, unclaimed, watchedCoinIds } from '@pool/domain';
import { type PayoutRecorder } from './payout-recorder';
import { type PayoutRunReport } from './payout-saga';
import { observedCoins, type PayoutSender } from './payout-sender';

export interface PayoutWatchDeps {
  chain: FullNodeRpc;
  sender: PayoutSender;
  recorder: PayoutRecorder;
  view: PayoutSagaView;
  workflow: ReturnType<typeof payoutWorkflow>;
  /** How far back confirmed payouts are checked against reorgs (the chain follower's window). */
  reorgWatchBlocks: number;
  now: () => number;
  log: (line: string) => void;
}

/**
 * The saga's watch over settled payouts: an abandoned one whose transactions may still land, and a confirmed one a
 * deep reorg may take back. It observes the chain, asks the payout workflow, and executes what it says.
 */
export class PayoutWatch {
  /** Abandoned payouts none of whose transactions can land any more (an input of each is spent elsewhere). */
  private readonly cannotLand = new Set<string>();

  constructor(private readonly deps: PayoutWatchDeps) {}

  /** Abandoned payouts whose transactions may still land (the workflow's watchAbandoned), oldest first. */
  async abandoned(payouts: readonly SagaPayout[], report: PayoutRunReport): Promise<{ hold: boolean; mustSpend: Coin[] }> {
    const mustSpend = new Map<string, Coin>();
    let hold = false;
    // Oldest first: when two of them expect the same coins, the earlier one is the one that was on the network.
    for (const payout of payouts) {
      // Paid in part: the transactions it did not pay must not land either (the workflow watches only those).
      if ((payout.status !== 'abandoned' && payout.status !== 'part-paid') || this.cannotLand.has(payout.stream)) continue;
      const id = payout.planned.payoutId;
      const txs = payout.planned.transactions;
      const records = unclaimed(this.deps.view, id, await this.deps.sender.coins([...watchedCoinIds(payout), ...txs.flatMap((tx) => tx.inputCoinIds)]));
      const peak = (await this.deps.chain.getBlockchainState()).peak?.height ?? 0;
      for (const step of this.deps.workflow.decide({ type: 'AbandonedPayoutObserved', coins: observedCoins(records), peak, now: this.deps.now() }, payout)) {
        if (step.type === 'ConfirmPayout') {
          await this.deps.recorder.record(payout, step);
          this.deps.log(`payout ${id} was abandoned but its coins are on chain (height ${step.confirmedHeight}): recorded as paid, the balances it returned are taken back`);
          report.confirmed.push(id);
        } else if (step.type === 'HoldNewPayouts') {
          hold = true;
          report.waiting.push(id);
          if (step.why === 'partly-landed') {
            this.deps.log(`payout ${id} is ${payout.status} but some of its transactions landed: no new payout until an operator settles it (poolctl payouts show ${id})`);
          }
        } else if (step.type === 'MustSpend') {
          for (const coin of step.coinIds) mustSpend.set(coin, records.get(coin)!.coin);
        } else if (step.type === 'StopWatching') {
          this.cannotLand.add(payout.stream);
        }
      }
    }
    return { hold, mustSpend: [...mustSpend.values()] };
  }

  /**
   * Payouts confirmed within the chain follower's window (the deepest reorg the pool can see) are looked up again;
   * the workflow pushes the same transactions again when a reorg took their coins. If an input was spent by
   * something else on the new chain the payout cannot land again: that is logged for the operator. Returns whether
   * any confirmed payout is missing its coins (nothing new is planned until they are back).
   */
  async confirmed(payouts: Iterable<SagaPayout>, paused: boolean, report: PayoutRunReport, peak: number): Promise<boolean> {
    const window = this.deps.reorgWatchBlocks;
    let missing = false;
    for (const payout of payouts) {
      if (payout.status !== 'confirmed' || payout.confirmed === null || payout.confirmed.confirmedHeight <= peak - window) continue;
      const txs = payout.planned.transactions;
      const expected = watchedCoinIds(payout);
      if (expected.length === 0) continue;
      const coinsOnChain = new Set((await this.deps.sender.coins(expected)).keys());
      const what = `payout ${payout.planned.payoutId} (confirmed at ${payout.confirmed.confirmedHeight}) was orphaned by a reorg`;
      for (const step of this.deps.workflow.decide({ type: 'ConfirmedPayoutObserved', coinsOnChain, paused }, payout)) {
        if (step.type === 'HoldNewPayouts') {
          missing = true;
          report.waiting.push(payout.planned.payoutId);
        } else if (step.type === 'PushAgain') {
          try {
            // The recorded bundles, as they were: the same coins, so nothing can be paid twice.
            for (const i of step.transactions) {
              const recorded = bundleToPush(payout, i);
              if (recorded === null) throw new Error(`transaction ${i} has no recorded bundle (planned before PayoutSigned existed)`);
              await this.deps.sender.checkInputsUnspent([txs[i]!]);
              await this.deps.sender.push({ id: recorded.transactionId, bundle: recorded.bundle });
            }
            this.deps.log(`${what}: its transactions were pushed again`);
          } catch (error) {
            this.deps.log(`${what} and cannot be pushed again (${(error as Error).message}): an operator must settle it`);
          }
        }
      }
    }
    return missing;
  }
}
