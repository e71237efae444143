import { coinId, type Coin } from '@pool/chia';
import { payoutStream, type PayoutPlanned, type PayoutSchemeConfig } from '@pool/domain';
import { applyToPayoutLedger, createPayoutLedger, type PayoutLedger } from '@pool/domain';
import { planPayout } from '@pool/domain';
import { buildPayoutTransactions } from '@pool/domain';
import { type RecordedEvent } from '@pool/event-sourcing';

export interface PayoutPlanInput {
  /** The sequence the new payout takes (stream `payout-<sequence>`). */
  sequence: number;
  /** Position of the last event the planner has applied. */
  ledgerPosition: string;
  /** Unix seconds. */
  now: number;
  scheme: PayoutSchemeConfig;
  configVersion: string;
  /** The pool wallet's unspent, buried coins the transactions may spend. */
  walletCoins: Coin[];
  /** Coins the payout must spend: unspent inputs of abandoned payouts, so the two can never both land. */
  mustSpend?: Coin[];
}

/**
 * What the saga needs from the domain: a ledger fed every event in store order, and a plan from it with the
 * transactions (and so the expected coin ids) already built. The saga stays free of payout arithmetic.
 */
export interface PayoutPlannerPort {
  apply(event: RecordedEvent): void;
  /** The PayoutPlanned data of the next payout, or null when nothing is due (or the coins do not cover it). */
  plan(input: PayoutPlanInput): PayoutPlanned['data'] | null;
}

/** The domain's planner: H1's ledger fold, payout plan and transaction builder, fed by the saga. */
export class LedgerPayoutPlanner implements PayoutPlannerPort {
  readonly ledger: PayoutLedger = createPayoutLedger();

  apply(event: RecordedEvent): void {
    applyToPayoutLedger(this.ledger, event, event.position);
  }

  plan(input: PayoutPlanInput): PayoutPlanned['data'] | null {
    const draft = planPayout(this.ledger, input.scheme, input.now);
    if (draft === null) return null;
    // Throws (DomainError INVALID_STATE) when the wallet's buried coins do not cover the payout: the saga's loop
    // reports it every run until coins arrive, rather than planning something it cannot send.
    const transactions = buildPayoutTransactions(
      draft,
      input.walletCoins.map((coin) => ({ coinId: coinId(coin), amount: coin.amount })),
      input.scheme.maxAdditionsPerTransaction,
      (input.mustSpend ?? []).map((coin) => ({ coinId: coinId(coin), amount: coin.amount })),
    );
    return {
      ...draft,
      payoutId: payoutStream(input.sequence),
      sequence: input.sequence,
      ledgerPosition: input.ledgerPosition,
      plannedAt: input.now,
      configVersion: input.configVersion,
      transactions,
    };
  }
}
