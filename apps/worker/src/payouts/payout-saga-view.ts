import {
  type PayoutConfirmed,
  type PayoutEvent,
  type PayoutFailed,
  type PayoutPlanned,
  type PayoutSent,
  type PayoutTransaction,
} from '@pool/domain';

/**
 * Where one payout stands:
 * - planned: recorded, nothing known to have left the wallet (it may have: a crash can fall between the send and
 *   PayoutSent, which is why reconciliation looks on chain before anything else). A failure with attempts left
 *   returns a payout here (as the payout decider does), so the next successful send is recorded again;
 * - sent: the wallet pushed its transactions; waiting for them to be buried;
 * - confirmed: every expected coin is on chain at the confirmation depth;
 * - abandoned: the last attempt failed while no transaction of it had landed; the ledger returns its money.
 */
export type PayoutStatus = 'planned' | 'sent' | 'confirmed' | 'abandoned';

export interface SagaPayout {
  stream: string;
  /** Revision of the stream's last event (the expected revision of the next append). */
  revision: bigint;
  planned: PayoutPlanned['data'];
  sent: PayoutSent['data'] | null;
  /** A PayoutSent was recorded at some point (a later failure clears `sent`, not this). */
  everSent: boolean;
  confirmed: PayoutConfirmed['data'] | null;
  failures: PayoutFailed['data'][];
  status: PayoutStatus;
}

/** Every payout stream folded, for the saga and `poolctl payouts status`. */
export interface PayoutSagaView {
  payouts: Map<string, SagaPayout>;
  lastSequence: number;
  /**
   * Expected coin id -> the confirmed payout it was counted for. Two payouts spending the same parent (a plan that
   * must spend an abandoned payout's input) can expect the very same coins; a coin on chain confirms one of them.
   */
  claimedCoins: Map<string, string>;
}

export function emptyPayoutSagaView(): PayoutSagaView {
  return { payouts: new Map(), lastSequence: 0, claimedCoins: new Map() };
}

/** Coins on chain that count for `payoutId`: those not already counted for another confirmed payout. */
export function unclaimed<T>(view: PayoutSagaView, payoutId: string, found: Map<string, T>): Map<string, T> {
  return new Map([...found].filter(([coin]) => (view.claimedCoins.get(coin) ?? payoutId) === payoutId));
}

export function isPayoutStream(stream: string): boolean {
  return stream.startsWith('payout-');
}

/** Folds one recorded payout event (any other event is ignored). */
export function applyToSagaView(view: PayoutSagaView, stream: string, revision: bigint, event: { type: string; data: unknown }): void {
  if (!isPayoutStream(stream)) return;
  const payoutEvent = event as PayoutEvent;
  if (payoutEvent.type === 'PayoutPlanned') {
    if (view.payouts.has(stream)) return;
    view.payouts.set(stream, { stream, revision, planned: payoutEvent.data, sent: null, everSent: false, confirmed: null, failures: [], status: 'planned' });
    view.lastSequence = Math.max(view.lastSequence, payoutEvent.data.sequence);
    return;
  }
  const payout = view.payouts.get(stream);
  // The saga folds its own appends at once; reading them back from the store must not count them twice.
  if (payout === undefined || revision <= payout.revision) return;
  payout.revision = revision;
  switch (payoutEvent.type) {
    case 'PayoutSent':
      payout.sent = payoutEvent.data;
      payout.everSent = true;
      if (payout.status === 'planned') payout.status = 'sent';
      break;
    case 'PayoutConfirmed':
      payout.confirmed = payoutEvent.data;
      payout.status = 'confirmed';
      for (const coin of payout.planned.transactions.flatMap(expectedCoinIds)) if (!view.claimedCoins.has(coin)) view.claimedCoins.set(coin, payout.planned.payoutId);
      break;
    case 'PayoutFailed':
      payout.failures.push(payoutEvent.data);
      if (payout.status === 'confirmed') break;
      if (payoutEvent.data.willRetry) {
        payout.status = 'planned';
        payout.sent = null;
      } else {
        payout.status = 'abandoned';
      }
      break;
  }
}

/** Planned or sent and not yet settled either way: blocks new plans until it is resolved. */
export function unresolvedPayouts(view: PayoutSagaView): SagaPayout[] {
  return [...view.payouts.values()].filter((p) => p.status === 'planned' || p.status === 'sent').sort((a, b) => a.planned.sequence - b.planned.sequence);
}

/** The coin ids a transaction creates (its payments, then its change). */
export function expectedCoinIds(tx: PayoutTransaction): string[] {
  return [...tx.additions.map((a) => a.coinId), ...(tx.change === null ? [] : [tx.change.coinId])];
}

/** Mojos the payout owes farmers (pool fee and blockchain fees excluded). */
export function farmersTotal(planned: PayoutPlanned['data']): bigint {
  return planned.allocations.reduce((sum, a) => sum + BigInt(a.amount), 0n);
}
