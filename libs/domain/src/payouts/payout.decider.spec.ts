import { deciderSpecification } from '@pool/testing';
import { hex32, launcher, planFromDraftFixture, POOL_FEE_PH, puzzle, signedEventFixture, signPlanFixture, walletCoinFixture } from '@pool/testing';
import { payoutDecider, type FailPayout, type PlanPayout } from './payout.decider';
import { memoHex, payoutCommitment } from './payout-commitment';
import type { PayoutConfirmed, PayoutFailed, PayoutPlanned, PayoutSent } from './payout.events';

const spec = deciderSpecification(payoutDecider);

const draft = {
  poolFee: { puzzleHash: POOL_FEE_PH, amount: '10' },
  blockchainFee: '4',
  allocations: [{ launcherId: launcher(1), puzzleHash: puzzle(1), points: '3', amount: '986' }],
};
const plan = planFromDraftFixture(draft, [walletCoinFixture(1, 2000n)], 400);
const signing = signPlanFixture(plan, [walletCoinFixture(1, 2000n)]);
const signed = signedEventFixture(plan, signing);
const sign = (transactions = signing) => ({ type: 'RecordPayoutSigned' as const, payoutId: plan.payoutId, transactions, now: 5005 });
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

  it('refuses a plan that spends no coin, pays nobody, or whose fees do not add up', () => {
    const tx = plan.transactions[0]!;
    spec.given().when({ type: 'PlanPayout', plan: { ...plan, transactions: [{ ...tx, inputCoinIds: [] }] } }).thenThrows('REQUEST_FAILED', /spends no coin/);
    spec.given().when({ type: 'PlanPayout', plan: { ...plan, transactions: [{ ...tx, payments: [] }] } }).thenThrows('REQUEST_FAILED', /pays nobody/);
    spec.given().when({ type: 'PlanPayout', plan: { ...plan, blockchainFee: '5' } }).thenThrows('REQUEST_FAILED', /fees add up to 4/);
    spec.given().when({ type: 'PlanPayout', plan: { ...plan, allocations: [] } }).thenThrows('REQUEST_FAILED', /at least one/);
  });

  it('records the signed bundles once, before any send; the same signing again records nothing, another is refused', () => {
    spec.given([planned]).when(sign()).then([signed]);
    spec.given([planned, signed]).when(sign()).then([]);
    const other = signPlanFixture(plan, [walletCoinFixture(1, 2000n)], { changeTo: 'c5'.repeat(32) });
    spec.given([planned, signed]).when(sign(other)).thenThrows('INVALID_STATE', /signed already/);
    spec.given([planned]).when({ type: 'RecordPayoutSent', payoutId: plan.payoutId, transactionIds: ['t1'], now: 5010 }).thenThrows('INVALID_STATE', /never signed/);
  });

  it('refuses a signing that pays other amounts than planned or spends a coin the plan does not allow', () => {
    const [tx] = signing;
    const paidMore = { ...tx!, createdCoins: tx!.createdCoins.map((c) => (c.puzzleHash === puzzle(1) ? { ...c, amount: '987' } : c)) };
    spec.given([planned]).when(sign([paidMore])).thenThrows('REQUEST_FAILED', /signed transaction 0 createdCoins\[\d\]\.coinId expected/);
    const stranger = walletCoinFixture(9, 2000n);
    const elsewhere = signPlanFixture({ ...plan, transactions: [{ ...plan.transactions[0]!, inputCoinIds: [stranger.coinId] }] }, [stranger]);
    spec.given([planned]).when(sign(elsewhere)).thenThrows('REQUEST_FAILED', new RegExp(`spends coin ${stranger.coinId}, which the plan does not allow`));
    spec.given([planned, sent]).when(sign()).thenThrows('INVALID_STATE', /is sent/);
  });

  it('walks planned -> signed -> sent -> confirmed, each repeat recording nothing', () => {
    spec.given([planned, signed]).when({ type: 'RecordPayoutSent', payoutId: plan.payoutId, transactionIds: ['t1'], now: 5010 }).then([sent]);
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
    spec.given([planned, signed, sent, failed(1, true)]).when({ type: 'RecordPayoutSent', payoutId: plan.payoutId, transactionIds: ['t1'], now: 5060 }).then([
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

describe('payout decider: fee bumps', () => {
  /** The plan's transactions signed again with a fee of `fee` (the same coins and payments, less change). */
  const resigned = (fee: string) => signPlanFixture({ ...plan, transactions: plan.transactions.map((tx) => ({ ...tx, fee })) }, [walletCoinFixture(1, 2000n)], { transactionId: () => hex32(`bump-${fee}`) });
  const bump = (transactions = resigned('50')) => ({ type: 'RecordPayoutFeeBumped' as const, payoutId: plan.payoutId, transactions, reason: 'unconfirmed for 32 blocks', height: 140, now: 5200 });
  const bumped = (transactions = resigned('50')) => ({ type: 'PayoutFeeBumped' as const, data: { payoutId: plan.payoutId, transactions, reason: 'unconfirmed for 32 blocks', bumpedHeight: 140, bumpedAt: 5200 } });

  it('records new versions of a sent payout that pay more fee than the latest, once', () => {
    spec.given([planned, signed, sent]).when(bump()).then([bumped()]);
    spec.given([planned, signed, sent, bumped()]).when(bump()).then([]);
    spec.given([planned, signed, sent, bumped()]).when(bump(resigned('90'))).then([bumped(resigned('90'))]);
  });

  it('refuses a bump that does not outbid the latest version, pays other than planned, or comes before the send', () => {
    spec.given([planned, signed, sent, bumped()]).when(bump(resigned('50').map((tx) => ({ ...tx, transactionId: hex32('other') })))).thenThrows('REQUEST_FAILED', /not more than the 50/);
    const stolen = resigned('60').map((tx) => ({ ...tx, createdCoins: tx.createdCoins.map((c) => (c.puzzleHash === puzzle(1) ? { ...c, amount: String(BigInt(c.amount) - 1n) } : c)) }));
    spec.given([planned, signed, sent]).when(bump(stolen)).thenThrows('REQUEST_FAILED', /fee bump of transaction 0/);
    spec.given([planned, signed]).when(bump()).thenThrows('INVALID_STATE', /only a sent payout/);
    spec.given([planned, signed, sent, confirmed]).when(bump()).thenThrows('INVALID_STATE', /only a sent payout/);
  });
});

describe('payout decider: commitments on chain', () => {
  const commitment = payoutCommitment(plan, { sequence: 3, hash: '5e'.repeat(32) });
  const coins = [walletCoinFixture(1, 2000n)];
  const carrying = signPlanFixture(plan, coins, { memo: commitment.memo });
  const signWith = (transactions: typeof carrying, withCommitment = commitment) => ({ ...sign(transactions), commitment: withCommitment });
  const signedWith = { ...signedEventFixture(plan, carrying), data: { ...signedEventFixture(plan, carrying).data, commitment } };
  const resigned = (fee: string, memo?: string) =>
    signPlanFixture({ ...plan, transactions: plan.transactions.map((tx) => ({ ...tx, fee })) }, coins, { transactionId: () => hex32(`bump-${fee}`), ...(memo === undefined ? {} : { memo }) });
  const bump = (transactions: typeof carrying) => ({ type: 'RecordPayoutFeeBumped' as const, payoutId: plan.payoutId, transactions, reason: 'unconfirmed', height: 140, now: 5200 });

  it('records the commitment with the signing when every transaction carries its memo on a planned payment', () => {
    spec.given([planned]).when(signWith(carrying)).then([signedWith]);
  });

  it('refuses a signing whose transactions lost the memo, or whose commitment is not the plan\'s', () => {
    spec.given([planned]).when(signWith(signing)).thenThrows('REQUEST_FAILED', /carrying the payout's commitment memo/);
    const otherRoot = { ...commitment, allocationsRoot: '0f'.repeat(32) };
    spec.given([planned]).when(signWith(carrying, otherRoot)).thenThrows('REQUEST_FAILED', /allocations root/);
    // The memo on the change coin, not on a payment: refused.
    const onChange = carrying.map((tx) => ({ ...tx, createdCoins: tx.createdCoins.map((c) => ({ ...c, memos: c.puzzleHash === 'c4'.repeat(32) ? [memoHex(commitment.memo)] : [] })) }));
    expect(onChange[0]!.createdCoins.some((c) => c.memos.length > 0)).toBe(true);
    spec.given([planned]).when(signWith(onChange)).thenThrows('REQUEST_FAILED', /commitment memo/);
  });

  it('holds every fee bump of a committed payout to the same memo', () => {
    spec.given([planned, signedWith, sent]).when(bump(resigned('50', commitment.memo))).then([{ type: 'PayoutFeeBumped', data: { payoutId: plan.payoutId, transactions: resigned('50', commitment.memo), reason: 'unconfirmed', bumpedHeight: 140, bumpedAt: 5200 } }]);
    spec.given([planned, signedWith, sent]).when(bump(resigned('50'))).thenThrows('REQUEST_FAILED', /commitment memo/);
    // A payout signed before commitments: its bumps carry none either.
    spec.given([planned, signed, sent]).when(bump(resigned('50'))).then([{ type: 'PayoutFeeBumped', data: { payoutId: plan.payoutId, transactions: resigned('50'), reason: 'unconfirmed', bumpedHeight: 140, bumpedAt: 5200 } }]);
  });
});
