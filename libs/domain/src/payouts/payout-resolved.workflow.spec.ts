import { launcher, onePaymentPerTransactionPlanFixture, puzzle, signedEventFixture, signPlanFixture } from '@pool/testing';
import { applyToPayoutWindow, createPayoutWindow } from './payout-window.fold';
import { payoutSettlement } from './payout-settlement';
import { evolvePayout, payoutWorkflow, type ObservedCoin, type PayoutProgress } from './payout.workflow';
import type { PayoutEvent, PayoutResolved } from './payout.events';

// Three transactions of one output each: the pool fee (0), farmer 1 (1), farmer 2 (2).
const { plan, coins } = onePaymentPerTransactionPlanFixture('00000000000000000001');
const signed = signedEventFixture(plan, signPlanFixture(plan, coins));
const farmer1Tx = plan.transactions.findIndex((tx) => tx.payments.some((p) => p.puzzleHash === puzzle(1).replace(/^0x/, '').toLowerCase()));
const paidInPart: PayoutResolved = {
  type: 'PayoutResolved',
  data: { payoutId: plan.payoutId, decision: 'paid-in-part', landedTransactions: [farmer1Tx], reason: 'tx landed', resolvedAt: 6000, settled: payoutSettlement(plan, [farmer1Tx]) },
};
const sent: PayoutEvent = { type: 'PayoutSent', data: { payoutId: plan.payoutId, transactionIds: ['a', 'b', 'c'], sentAt: 5010 } };
const progress = (events: PayoutEvent[]): PayoutProgress => events.reduce<PayoutProgress | null>(evolvePayout, null)!;
const workflow = payoutWorkflow({ confirmationThreshold: 3, maxAttempts: 2, retryBackoffSeconds: 0 });
const unspent = (ids: string[]): Map<string, ObservedCoin> => new Map(ids.map((id) => [id, { confirmedHeight: 1, spent: false }]));

describe('payout workflow and window: a payout an operator declared paid in part', () => {
  const payout = progress([{ type: 'PayoutPlanned', data: plan }, signed, sent, paidInPart]);
  const others = plan.transactions.flatMap((tx, i) => (i === farmer1Tx ? [] : tx.inputCoinIds));

  it('is final and watched: the next plan must spend the inputs of the transactions it did not pay', () => {
    expect(payout.status).toBe('part-paid');
    const steps = workflow.decide({ type: 'AbandonedPayoutObserved', coins: unspent(plan.transactions.flatMap((tx) => tx.inputCoinIds)), peak: 50, now: 6100 }, payout);
    expect(steps).toEqual([{ type: 'MustSpend', coinIds: others }]);
  });

  it('stops watching once those inputs are spent elsewhere, and holds new payouts if one of them landed after all', () => {
    const spentElsewhere = new Map(others.map((id) => [id, { confirmedHeight: 1, spent: true }]));
    expect(workflow.decide({ type: 'AbandonedPayoutObserved', coins: spentElsewhere, peak: 50, now: 6100 }, payout)).toEqual([{ type: 'StopWatching' }]);
    const otherTx = plan.transactions.findIndex((_, i) => i !== farmer1Tx);
    const landedOther = unspent(signed.data.transactions.find((t) => t.index === otherTx)!.createdCoins.map((c) => c.coinId));
    expect(workflow.decide({ type: 'AbandonedPayoutObserved', coins: landedOther, peak: 50, now: 6100 }, payout)).toEqual([{ type: 'HoldNewPayouts', why: 'partly-landed' }]);
  });

  it('moves the money: the landed allocation is paid, the other returns to its farmer, unspent fees return to the pot', () => {
    const window = createPayoutWindow();
    const events: PayoutEvent[] = [{ type: 'PayoutPlanned', data: plan }, signed, sent, paidInPart];
    events.forEach((event, i) => applyToPayoutWindow(window, event, String(i + 2).padStart(20, '0')));
    expect(window.farmers.get(launcher(1))).toMatchObject({ paid: 600n, carried: 0n });
    expect(window.farmers.get(launcher(2))).toMatchObject({ paid: 0n, carried: 384n });
    const keptFee = BigInt(plan.transactions[farmer1Tx]!.fee);
    expect(window.returnedFunds).toBe(10n + 6n - keptFee);
    expect(window.payouts.get(plan.payoutId)).toMatchObject({ status: 'part-paid', allocations: [{ launcherId: launcher(1), amount: 600n }], poolFee: 0n, blockchainFee: keptFee });
  });

  it('after the saga abandoned it (everything returned), takes the paid part back from the balance', () => {
    const window = createPayoutWindow();
    const failed: PayoutEvent = { type: 'PayoutFailed', data: { payoutId: plan.payoutId, reason: 'input spent', attempt: 1, willRetry: false, failedAt: 5050 } };
    const events: PayoutEvent[] = [{ type: 'PayoutPlanned', data: plan }, signed, sent, failed, paidInPart];
    events.forEach((event, i) => applyToPayoutWindow(window, event, String(i + 2).padStart(20, '0')));
    expect(window.farmers.get(launcher(1))).toMatchObject({ paid: 600n, carried: 0n });
    expect(window.farmers.get(launcher(2))).toMatchObject({ paid: 0n, carried: 384n });
    expect(window.returnedFunds).toBe(16n - BigInt(plan.transactions[farmer1Tx]!.fee));
  });
});
