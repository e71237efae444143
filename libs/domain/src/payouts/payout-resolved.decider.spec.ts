import { deciderSpecification, launcher, onePaymentPerTransactionPlanFixture, POOL_FEE_PH, puzzle, signedEventFixture, signPlanFixture } from '@pool/testing';
import { payoutDecider, type ResolvePayout } from './payout.decider';
import type { PayoutFailed, PayoutPlanned, PayoutResolved, PayoutSent } from './payout.events';

const spec = deciderSpecification(payoutDecider);

// Three transactions of one output each: the pool fee (0), farmer 1 (1), farmer 2 (2).
const { plan, coins } = onePaymentPerTransactionPlanFixture('00000000000000000042');
const planned: PayoutPlanned = { type: 'PayoutPlanned', data: plan };
const signed = signedEventFixture(plan, signPlanFixture(plan, coins));
const sent: PayoutSent = { type: 'PayoutSent', data: { payoutId: plan.payoutId, transactionIds: ['t0', 't1', 't2'], sentAt: 5010 } };
const abandonedBySaga: PayoutFailed = { type: 'PayoutFailed', data: { payoutId: plan.payoutId, reason: 'input spent', attempt: 1, willRetry: false, failedAt: 5050 } };

const resolve = (decision: ResolvePayout['decision'], landedTransactions: number[] = [], reason = 'checked on chain'): ResolvePayout => ({
  type: 'ResolvePayout',
  payoutId: plan.payoutId,
  decision,
  landedTransactions,
  reason,
  now: 6000,
});
const resolved = (decision: ResolvePayout['decision'], landedTransactions: number[], settled: PayoutResolved['data']['settled']): PayoutResolved => ({
  type: 'PayoutResolved',
  data: { payoutId: plan.payoutId, decision, landedTransactions, reason: 'checked on chain', resolvedAt: 6000, settled },
});
const nothing = { launcherIds: [], poolFee: '0', blockchainFee: '0' };

/** Which transaction pays a puzzle hash, from the plan (the fixture's order is the builder's, not assumed here). */
const txPaying = (puzzleHash: string): number => plan.transactions.findIndex((tx) => tx.payments.some((p) => p.puzzleHash === puzzleHash.replace(/^0x/, '').toLowerCase()));

describe('payout decider: an operator resolves a payout', () => {
  it('the plan has one transaction per output (the cases below rely on it)', () => {
    expect(plan.transactions).toHaveLength(3);
    expect(new Set([txPaying(POOL_FEE_PH), txPaying(puzzle(1)), txPaying(puzzle(2))]).size).toBe(3);
  });

  it('abandons a planned or sent payout, with nothing settled; the same decision again records nothing', () => {
    spec.given([planned]).when(resolve('abandon')).then([resolved('abandon', [], nothing)]);
    spec.given([planned, signed, sent]).when(resolve('abandon')).then([resolved('abandon', [], nothing)]);
    spec.given([planned, signed, sent, resolved('abandon', [], nothing)]).when(resolve('abandon')).then([]);
  });

  it('refuses to abandon a payout that is confirmed or abandoned already, and an abandonment naming landed transactions', () => {
    const confirmed = { type: 'PayoutConfirmed' as const, data: { payoutId: plan.payoutId, confirmedHeight: 9, confirmedAt: 5100 } };
    spec.given([planned, signed, sent, confirmed]).when(resolve('abandon')).thenThrows('INVALID_STATE', /is confirmed/);
    spec.given([planned, signed, abandonedBySaga]).when(resolve('abandon')).thenThrows('INVALID_STATE', /is abandoned/);
    spec.given([planned, signed, sent]).when(resolve('abandon', [0])).thenThrows('REQUEST_FAILED', /paid-in-part/);
  });

  it('declares an abandoned payout paid in part: the landed transaction pays farmer 1 and its planned fee', () => {
    const farmer1 = txPaying(puzzle(1));
    const fee = plan.transactions[farmer1]!.fee;
    spec
      .given([planned, signed, sent, abandonedBySaga])
      .when(resolve('paid-in-part', [farmer1]))
      .then([resolved('paid-in-part', [farmer1], { launcherIds: [launcher(1)], poolFee: '0', blockchainFee: fee })]);
  });

  it('the transaction paying the pool fee settles the pool fee, and an operator abandonment can still be declared paid in part', () => {
    const poolTx = txPaying(POOL_FEE_PH);
    const fee = plan.transactions[poolTx]!.fee;
    spec
      .given([planned, signed, sent, resolved('abandon', [], nothing)])
      .when(resolve('paid-in-part', [poolTx]))
      .then([resolved('paid-in-part', [poolTx], { launcherIds: [], poolFee: '10', blockchainFee: fee })]);
  });

  it('refuses paid-in-part naming no transaction, all of them, one twice, one out of range, or one never signed', () => {
    spec.given([planned, signed, sent]).when(resolve('paid-in-part', [])).thenThrows('REQUEST_FAILED', /names the transactions/);
    spec.given([planned, signed, sent]).when(resolve('paid-in-part', [0, 1, 2])).thenThrows('REQUEST_FAILED', /all 3 transactions landed/);
    spec.given([planned, signed, sent]).when(resolve('paid-in-part', [1, 1])).thenThrows('REQUEST_FAILED', /named twice/);
    spec.given([planned, signed, sent]).when(resolve('paid-in-part', [5])).thenThrows('REQUEST_FAILED', /not one of its 3/);
    spec.given([planned]).when(resolve('paid-in-part', [0])).thenThrows('REQUEST_FAILED', /never signed/);
  });

  it('paid in part is final: no other decision, no confirmation; a late failure report records nothing', () => {
    const settled = resolved('paid-in-part', [0], { launcherIds: [], poolFee: '0', blockchainFee: '0' });
    spec.given([planned, signed, sent, settled]).when(resolve('paid-in-part', [0, 1])).thenThrows('INVALID_STATE', /resolved as paid in part/);
    spec.given([planned, signed, sent, settled]).when(resolve('abandon')).thenThrows('INVALID_STATE', /resolved as paid in part/);
    spec.given([planned, signed, sent, settled]).when({ type: 'ConfirmPayout', payoutId: plan.payoutId, confirmedHeight: 9, now: 6100 }).thenThrows('INVALID_STATE', /resolved/);
    spec.given([planned, signed, sent, settled]).when({ type: 'FailPayout', payoutId: plan.payoutId, reason: 'x', maxAttempts: 1, now: 6100 }).then([]);
  });

  it('an abandonment by the operator is final like the saga\'s: the coins landing after all still confirm it', () => {
    spec
      .given([planned, signed, sent, resolved('abandon', [], nothing)])
      .when({ type: 'ConfirmPayout', payoutId: plan.payoutId, confirmedHeight: 9, now: 6100 })
      .then([{ type: 'PayoutConfirmed', data: { payoutId: plan.payoutId, confirmedHeight: 9, confirmedAt: 6100 } }]);
  });

  it('a resolution needs a reason', () => {
    spec.given([planned, signed, sent]).when(resolve('abandon', [], '  ')).thenThrows('REQUEST_FAILED', /reason/);
  });
});
