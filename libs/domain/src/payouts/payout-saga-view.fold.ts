import type { PayoutEvent } from './payout.events';
import type { LedgerSealed } from '../ledger-seals/ledger-seal.events';
import { payoutCommitment, type PayoutCommitment } from './payout-commitment';
import { evolvePayout, type PayoutProgress, watchedCoinIds } from './payout.workflow';

export interface SagaPayout extends PayoutProgress {
  stream: string;
  /** Revision of the stream's last event (the expected revision of the next append). */
  revision: bigint;
}

/** Every payout stream folded, for the payout saga, `poolctl payouts status` and the devnet summaries. */
export interface PayoutSagaView {
  payouts: Map<string, SagaPayout>;
  lastSequence: number;
  /**
   * Expected coin id -> the confirmed payout it was counted for. Two payouts spending the same parent (a plan that
   * must spend an abandoned payout's input) can expect the very same coins; a coin on chain confirms one of them.
   */
  claimedCoins: Map<string, string>;
  /**
   * Coins the wallet's signed bundles created that pay nobody in the plan: its change, wherever the wallet sent it
   * (a fresh address of its own, as Chia's wallet does by default). The planner may spend them once they are buried,
   * found by id, since they need not be at the pool's puzzle hash.
   */
  changeCoinIds: Set<string>;
  /** Payout id -> the seal recorded through its plan (LedgerSealed, reason 'payout'): what its transactions commit to. */
  payoutSeals: Map<string, { sequence: number; hash: string }>;
}

export function emptyPayoutSagaView(): PayoutSagaView {
  return { payouts: new Map(), lastSequence: 0, claimedCoins: new Map(), changeCoinIds: new Set(), payoutSeals: new Map() };
}

/** Coins on chain that count for `payoutId`: those not already counted for another confirmed payout. */
export function unclaimed<T>(view: PayoutSagaView, payoutId: string, found: ReadonlyMap<string, T>): Map<string, T> {
  return new Map([...found].filter(([coin]) => (view.claimedCoins.get(coin) ?? payoutId) === payoutId));
}

export function isPayoutStream(stream: string): boolean {
  return stream.startsWith('payout-');
}

/**
 * Folds one recorded payout event (any other event is ignored) with the payout workflow's evolve. A payout's
 * object is updated in place, so a saga holding it sees its own appends at once.
 */
export function applyToSagaView(view: PayoutSagaView, stream: string, revision: bigint, event: { type: string; data: unknown }): void {
  if (event.type === 'LedgerSealed') {
    const seal = (event as LedgerSealed).data;
    if (seal.reason === 'payout' && seal.payoutId !== null) view.payoutSeals.set(seal.payoutId, { sequence: seal.sequence, hash: seal.hash });
    return;
  }
  if (!isPayoutStream(stream)) return;
  const payoutEvent = event as PayoutEvent;
  const payout = view.payouts.get(stream);
  if (payoutEvent.type === 'PayoutPlanned') {
    if (payout !== undefined) return;
    view.payouts.set(stream, { stream, revision, ...evolvePayout(null, payoutEvent)! });
    view.lastSequence = Math.max(view.lastSequence, payoutEvent.data.sequence);
    return;
  }
  // The saga folds its own appends at once; reading them back from the store must not count them twice.
  if (payout === undefined || revision <= payout.revision) return;
  Object.assign(payout, evolvePayout(payout, payoutEvent), { revision });
  if (payoutEvent.type === 'PayoutConfirmed') {
    for (const coin of watchedCoinIds(payout)) if (!view.claimedCoins.has(coin)) view.claimedCoins.set(coin, payout.planned.payoutId);
  }
  if (payoutEvent.type === 'PayoutSigned' || payoutEvent.type === 'PayoutFeeBumped') {
    // Every version's change: whichever version lands, its change is the wallet's.
    for (const tx of payoutEvent.data.transactions) {
      const payments = new Set((payout.planned.transactions[tx.index]?.payments ?? []).map((p) => `${p.puzzleHash}/${p.amount}`));
      for (const coin of tx.createdCoins) if (!payments.has(`${coin.puzzleHash}/${coin.amount}`)) view.changeCoinIds.add(coin.coinId);
    }
  }
}

/** Planned or sent and not yet settled either way: blocks new plans until it is resolved. */
export function unresolvedSagaPayouts(view: PayoutSagaView): SagaPayout[] {
  return [...view.payouts.values()].filter((p) => p.status === 'planned' || p.status === 'sent').sort((a, b) => a.planned.sequence - b.planned.sequence);
}

/**
 * What a payout's transactions must carry on chain. Signed: the commitment its signing recorded (null for a signing
 * from before commitments: its fee bumps carry none either). Not signed yet: the one its plan and its seal imply, or
 * null while the sealer has not sealed through the plan (it is not signed until then).
 */
export function commitmentFor(view: PayoutSagaView, payout: SagaPayout): PayoutCommitment | null {
  if (payout.signed) return payout.commitment;
  const seal = view.payoutSeals.get(payout.planned.payoutId);
  return seal === undefined ? null : payoutCommitment(payout.planned, seal);
}
