import { deciderSpecification } from '@pool/testing';
import { hex32, launcher, POOL_FEE_PH, propScheme, puzzle } from '@pool/testing';
import { payoutDecider, type FailPayout, type PlanPayout } from './payout.decider';
import { buildPayoutTransactions } from './payout-transactions';
import type { PayoutConfirmed, PayoutFailed, PayoutPlanned, PayoutSent } from './payout.events';

const spec = deciderSpecification(payoutDecider);

const draft = {
  poolFee: { puzzleHash: POOL_FEE_PH, amount: '10' },
  blockchainFee: '4',
  allocations: [{ launcherId: launcher(1), puzzleHash: puzzle(1), points: '3', amount: '986' }],
};
const plan: PayoutPlanned['data'] = {
  ...draft,
  payoutId: 'payout-00000001',
  sequence: 1,
  ledgerPosition: '00000000000000000042',
  plannedAt: 5000,
  scheme: propScheme(),
  configVersion: 'v1',
  rewardCoinIds: [hex32('r1')],
  rewardTotal: '1000',
  carried: [],
  transactions: buildPayoutTransactions(draft, [{ coinId: hex32('1'), amount: 2000n }], hex32('ccc'), 400),
};
const planCommand: PlanPayout = { type: 'PlanPayout', plan };
const planned: PayoutPlanned = { type: 'PayoutPlanned', data: plan };
const sent: PayoutSent = { type: 'PayoutSent', data: { payoutId: plan.payoutId, transactionIds: ['t1'], sentAt: 5010 } };
const confirmed: PayoutConfirmed = { type: 'PayoutConfirmed', data: { payoutId: plan.payoutId, confirmedHeight: 120, confirmedAt: 5100 } };
const fail = (extra: Partial<FailPayout> = {}): FailPayout => ({ type: 'FailPayout', payoutId: plan.payoutId, reason: 'push_tx refused', maxAttempts: 2, now: 5050, ...extra });
const failed = (attempt: number, willRetry: boolean): PayoutFailed => ({
  type: 'PayoutFailed',
  data: { payoutId: plan.payoutId, reason: 'push_tx refused', attempt, willRetry, failedAt: 5050 },
});

describe('payout decider', () => {
  it('records a plan once; the same plan again records nothing, another plan for the stream is refused', () => {
    spec.given().when(planCommand).then([planned]);
    spec.given([planned]).when({ type: 'PlanPayout', plan: { ...plan, transactions: [...plan.transactions] } }).then([]);
    spec.given([planned]).when({ type: 'PlanPayout', plan: { ...plan, rewardTotal: '1001' } }).thenThrows('INVALID_STATE', /already planned/);
  });

  it('refuses a plan whose expected coin ids do not hash or whose fees do not add up', () => {
    const tx = plan.transactions[0]!;
    const tampered = { ...plan, transactions: [{ ...tx, additions: tx.additions.map((a, i) => (i === 1 ? { ...a, amount: '987' } : a)) }] };
    spec.given().when({ type: 'PlanPayout', plan: tampered }).thenThrows('REQUEST_FAILED', /additions\[1\]\.coinId/);
    spec.given().when({ type: 'PlanPayout', plan: { ...plan, blockchainFee: '5' } }).thenThrows('REQUEST_FAILED', /fees add up to 4/);
    spec.given().when({ type: 'PlanPayout', plan: { ...plan, allocations: [] } }).thenThrows('REQUEST_FAILED', /at least one/);
  });

  it('walks planned -> sent -> confirmed, each repeat recording nothing', () => {
    spec.given([planned]).when({ type: 'RecordPayoutSent', payoutId: plan.payoutId, transactionIds: ['t1'], now: 5010 }).then([sent]);
    spec.given([planned, sent]).when({ type: 'RecordPayoutSent', payoutId: plan.payoutId, transactionIds: ['t1'], now: 6000 }).then([]);
    spec.given([planned, sent]).when({ type: 'ConfirmPayout', payoutId: plan.payoutId, confirmedHeight: 120, now: 5100 }).then([confirmed]);
    spec.given([planned, sent, confirmed]).when({ type: 'ConfirmPayout', payoutId: plan.payoutId, confirmedHeight: 121, now: 5200 }).then([]);
    spec.given([planned, sent, confirmed]).when({ type: 'RecordPayoutSent', payoutId: plan.payoutId, transactionIds: ['t1'], now: 6000 }).then([]);
  });

  it('refuses illegal transitions', () => {
    spec.given().when({ type: 'RecordPayoutSent', payoutId: plan.payoutId, transactionIds: ['t1'], now: 1 }).thenThrows('INVALID_STATE', /never planned/);
    spec.given([planned]).when({ type: 'ConfirmPayout', payoutId: plan.payoutId, confirmedHeight: 1, now: 1 }).thenThrows('INVALID_STATE', /only a sent or abandoned payout/);
    spec.given([planned, sent]).when({ type: 'RecordPayoutSent', payoutId: plan.payoutId, transactionIds: ['t2'], now: 1 }).thenThrows('INVALID_STATE', /sent with transactions t1/);
    spec.given([planned, sent, confirmed]).when(fail()).thenThrows('INVALID_STATE', /confirmed on chain/);
    spec.given([planned]).when({ type: 'ConfirmPayout', payoutId: 'payout-2', confirmedHeight: 1, now: 1 }).thenThrows('INVALID_STATE', /holds payout/);
    spec.given([planned, failed(1, false)]).when({ type: 'RecordPayoutSent', payoutId: plan.payoutId, transactionIds: ['t1'], now: 1 }).thenThrows('INVALID_STATE', /is failed/);
  });

  it('retries until the policy runs out, then fails for good; repeated failures of one attempt record nothing', () => {
    spec.given([planned, sent]).when(fail()).then([failed(1, true)]);
    spec.given([planned, sent, failed(1, true)]).when(fail({ attempt: 1 })).then([]);
    spec.given([planned, sent, failed(1, true)]).when({ type: 'RecordPayoutSent', payoutId: plan.payoutId, transactionIds: ['t1'], now: 5060 }).then([
      { ...sent, data: { ...sent.data, sentAt: 5060 } },
    ]);
    spec.given([planned, failed(1, true)]).when(fail()).then([failed(2, false)]);
    spec.given([planned, failed(1, true), failed(2, false)]).when(fail()).then([]);
    spec.given([planned]).when(fail({ maxAttempts: 1 })).thenState((state) => expect(state).toMatchObject({ status: 'failed', attempts: 1 }));
  });

  it('records the confirmation of an abandoned payout whose coins landed after all, once', () => {
    spec.given([planned, failed(1, true), failed(2, false)]).when({ type: 'ConfirmPayout', payoutId: plan.payoutId, confirmedHeight: 120, now: 5100 }).then([confirmed]);
    spec.given([planned, failed(1, true), failed(2, false), confirmed]).when({ type: 'ConfirmPayout', payoutId: plan.payoutId, confirmedHeight: 121, now: 5200 }).then([]);
    spec.given([planned, failed(1, false), confirmed]).when(fail()).thenThrows('INVALID_STATE', /confirmed on chain/);
  });

  it('accepts a negative carried balance (a farmer paid twice by a late landing) and refuses a malformed one', () => {
    const withCarried = (amount: string): PlanPayout => ({ type: 'PlanPayout', plan: { ...plan, carried: [{ launcherId: launcher(2), amount }] } });
    spec.given().when(withCarried('-70')).then([{ type: 'PayoutPlanned', data: withCarried('-70').plan }]);
    spec.given().when(withCarried('7x')).thenThrows('REQUEST_FAILED', /carried\[0\]\.amount is not an integer/);
  });
});
