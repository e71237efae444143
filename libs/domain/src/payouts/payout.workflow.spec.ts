import { hex32, launcher, propScheme, puzzle, workflowSpecification } from '@pool/testing';
import type { PayoutEvent, PayoutPlanned, PayoutTransaction, SignedPayoutTransaction } from './payout.events';
import { MAYBE_SENT, payoutWorkflow, type ObservedCoin, type PayoutSendFailed } from './payout.workflow';

const policy = { confirmationThreshold: 4, maxAttempts: 3, retryBackoffSeconds: 60 };
const spec = workflowSpecification(payoutWorkflow(policy));
const MAX = Number.MAX_SAFE_INTEGER;

/** Two transactions: tx 0 spends coin i0 and pays puzzle 0; tx 1 spends i1 and pays puzzle 1. */
const tx = (n: number): PayoutTransaction => ({ inputCoinIds: [hex32(`i${n}`)], payments: [{ puzzleHash: puzzle(n), amount: '100' }], fee: '0' });
/** As signed: tx 0 creates p0 and change c0, tx 1 creates p1 (the workflow takes the recorded ids as they are). */
const EXPECTED = [[hex32('p0'), hex32('c0')], [hex32('p1')]] as const;
const coinOf = (coinId: string, n: number) => ({ coinId, parentCoinId: hex32(`i${n}`), puzzleHash: puzzle(n), amount: '100' });
const signedTx = (n: number, transactionId: string): SignedPayoutTransaction => ({
  index: n,
  transactionId,
  spendBundle: { coinSpends: [], aggregatedSignature: '' },
  spentCoins: [coinOf(hex32(`i${n}`), n)],
  createdCoins: EXPECTED[n]!.map((id) => coinOf(id, n)),
  fee: '0',
});

const planned: PayoutPlanned = {
  type: 'PayoutPlanned',
  data: {
    payoutId: 'payout-00000001',
    sequence: 1,
    ledgerPosition: '00000000000000000010',
    plannedAt: 1000,
    scheme: propScheme(),
    configVersion: 'v1',
    rewardCoinIds: [],
    rewardTotal: '210',
    poolFee: { puzzleHash: puzzle(8), amount: '10' },
    blockchainFee: '0',
    allocations: [0, 1].map((n) => ({ launcherId: launcher(n), puzzleHash: puzzle(n), points: '1', amount: '100' })),
    carried: [],
    transactions: [tx(0), tx(1)],
  },
};
const signed: PayoutEvent = { type: 'PayoutSigned', data: { payoutId: 'payout-00000001', transactions: [signedTx(0, 't0'), signedTx(1, 't1')], signedAt: 1050 } };
const sent: PayoutEvent = { type: 'PayoutSent', data: { payoutId: 'payout-00000001', transactionIds: ['t0', 't1'], sentAt: 1100 } };
const failed = (attempt: number, willRetry: boolean, failedAt: number, reason = 'wallet is not synced'): PayoutEvent => ({
  type: 'PayoutFailed',
  data: { payoutId: 'payout-00000001', reason, attempt, willRetry, failedAt },
});

const coins = (entries: [string, number, boolean?][]): Map<string, ObservedCoin> => new Map(entries.map(([id, height, spent]) => [id, { confirmedHeight: height, spent: spent ?? false }]));
const allLanded = (height: number) => coins([...EXPECTED[0], ...EXPECTED[1]].map((id, i) => [id, height - i]));
const observed = (found: Map<string, ObservedCoin>, extra: { peak?: number; paused?: boolean; now?: number } = {}) => ({
  type: 'PayoutObserved' as const,
  coins: found,
  peak: extra.peak ?? 100,
  paused: extra.paused ?? false,
  now: extra.now ?? 2000,
});
const sendFailed = (overrides: Partial<PayoutSendFailed> = {}): PayoutSendFailed => ({
  type: 'PayoutSendFailed',
  message: 'wallet is not synced',
  final: false,
  pushedAny: false,
  pushUnanswered: false,
  landed: [false, false],
  landedMeanwhile: false,
  pendingCannotLand: false,
  now: 2000,
  ...overrides,
});

describe('payout workflow: reconcile an unresolved payout from its coin ids', () => {
  it('has a planned payout signed (and recorded) before anything is pushed, and signs again after a crash before recording', () => {
    spec.given([planned]).when(observed(new Map())).then([{ type: 'SignPayout', allowSpentInputs: false, now: 2000 }]);
    // A retried failure leaves it unsigned: still nothing pushed, so it is signed (not sent) next time.
    spec.given([planned, failed(1, true, 1000)]).when(observed(new Map(), { now: 2000 })).then([{ type: 'SignPayout', allowSpentInputs: false, now: 2000 }]);
  });

  it('sends a planned payout none of whose coins are on chain', () => {
    spec.given([planned, signed]).when(observed(new Map())).then([{ type: 'SendPayout', landed: [false, false] }]);
  });

  it('records a send that landed before PayoutSent was written, and confirms it once buried', () => {
    spec.given([planned, signed]).when(observed(allLanded(99))).then([{ type: 'RecordSentFromChain', now: 2000 }]);
    spec.given([planned, signed]).when(observed(allLanded(96))).then([{ type: 'RecordSentFromChain', now: 2000 }, { type: 'ConfirmPayout', confirmedHeight: 96, now: 2000 }]);
  });

  it('confirms a sent payout at the confirmation depth, at the height of its last coin', () => {
    spec.given([planned, signed, sent]).when(observed(allLanded(97))).then([]);
    spec.given([planned, signed, sent]).when(observed(allLanded(96), { peak: 100 })).then([{ type: 'ConfirmPayout', confirmedHeight: 96, now: 2000 }]);
  });

  it('sends only what has not landed, and holds every send while paused (a landed payout is still confirmed)', () => {
    spec.given([planned, signed, sent]).when(observed(coins([[EXPECTED[0][0], 90], [EXPECTED[0][1], 90]]))).then([{ type: 'SendPayout', landed: [true, false] }]);
    spec.given([planned, signed]).when(observed(new Map(), { paused: true })).then([]);
    spec.given([planned, signed, sent]).when(observed(allLanded(90), { paused: true })).then([{ type: 'ConfirmPayout', confirmedHeight: 90, now: 2000 }]);
  });

  it('waits out the backoff after a failure, doubling it with each failure', () => {
    spec.given([planned, signed, failed(1, true, 1000)]).when(observed(new Map(), { now: 1059 })).then([]);
    spec.given([planned, signed, failed(1, true, 1000)]).when(observed(new Map(), { now: 1060 })).then([{ type: 'SendPayout', landed: [false, false] }]);
    spec.given([planned, signed, failed(1, true, 900), failed(2, true, 1000)]).when(observed(new Map(), { now: 1119 })).then([]);
    spec.given([planned, signed, failed(1, true, 900), failed(2, true, 1000)]).when(observed(new Map(), { now: 1120 })).then([{ type: 'SendPayout', landed: [false, false] }]);
  });

  it('ignores an observation of a payout that was never planned', () => {
    spec.given([]).when(observed(new Map())).then([]);
  });
});

describe('payout workflow: a send attempt', () => {
  it('records the sent transactions once', () => {
    spec.given([planned, signed]).when({ type: 'PayoutPushed', transactionIds: ['t0', 't1'], now: 2000 }).then([{ type: 'RecordPayoutSent', transactionIds: ['t0', 't1'], now: 2000 }]);
    spec.given([planned, signed, sent]).when({ type: 'PayoutPushed', transactionIds: ['t0', 't1'], now: 2000 }).then([]);
  });

  it('records nothing when a block took the transactions between the look and the send', () => {
    spec.given([planned, signed]).when(sendFailed({ landedMeanwhile: true })).then([]);
  });

  it('retries a failure by the policy and gives up after the last attempt', () => {
    spec.given([planned, signed]).when(sendFailed()).then([{ type: 'FailPayout', reason: 'wallet is not synced', attempt: 1, maxAttempts: 3, now: 2000 }]);
    spec.given([planned, signed, failed(1, true, 1000), failed(2, true, 1500)]).when(sendFailed()).then([{ type: 'FailPayout', reason: 'wallet is not synced', attempt: 3, maxAttempts: 3, now: 2000 }]);
  });

  it('abandons at once when an input was spent elsewhere and nothing may be on the network', () => {
    const spentElsewhere = sendFailed({ message: 'input coin x was spent by another transaction', final: true });
    spec.given([planned, signed]).when(spentElsewhere).then([{ type: 'FailPayout', reason: 'input coin x was spent by another transaction', attempt: 1, maxAttempts: 1, now: 2000 }]);
  });

  it('never abandons a payout whose push may have reached the node, and marks the failure', () => {
    const timeout = sendFailed({ message: 'push_tx timed out', pushUnanswered: true });
    spec.given([planned, signed]).when(timeout).then([{ type: 'FailPayout', reason: `${MAYBE_SENT}push_tx timed out`, attempt: 1, maxAttempts: MAX, now: 2000 }]);
    // An earlier push of the same attempt succeeded: some transactions are in the mempool.
    spec.given([planned, signed]).when(sendFailed({ pushedAny: true })).then([{ type: 'FailPayout', reason: `${MAYBE_SENT}wallet is not synced`, attempt: 1, maxAttempts: MAX, now: 2000 }]);
    // A later failure of a payout that may be out there keeps retrying too.
    spec.given([planned, signed, failed(1, true, 1000, `${MAYBE_SENT}push_tx timed out`)]).when(sendFailed()).then([{ type: 'FailPayout', reason: 'wallet is not synced', attempt: 2, maxAttempts: MAX, now: 2000 }]);
    spec.given([planned, signed, sent, failed(1, true, 1000)]).when(sendFailed()).then([{ type: 'FailPayout', reason: 'wallet is not synced', attempt: 2, maxAttempts: MAX, now: 2000 }]);
  });

  it('ends a payout that was on the network only when none of its transactions can still land', () => {
    const refused = { message: 'input coin x was spent by another transaction', final: true };
    spec.given([planned, signed, sent, failed(1, true, 1000)]).when(sendFailed(refused)).then([{ type: 'FailPayout', reason: refused.message, attempt: 2, maxAttempts: MAX, now: 2000 }]);
    spec.given([planned, signed, sent, failed(1, true, 1000)]).when(sendFailed({ ...refused, pendingCannotLand: true })).then([{ type: 'FailPayout', reason: refused.message, attempt: 2, maxAttempts: 2, now: 2000 }]);
  });

  it('never abandons a payout part of which is on chain', () => {
    const partly = sendFailed({ message: 'input coin x was spent by another transaction', final: true, landed: [true, false], pendingCannotLand: true });
    spec
      .given([planned])
      .when(partly)
      .then([{ type: 'FailPayout', reason: 'input coin x was spent by another transaction (part of this payout is on chain: retrying until resolved)', attempt: 1, maxAttempts: MAX, now: 2000 }]);
  });
});

describe('payout workflow: an abandoned payout whose transactions may still land', () => {
  const abandoned = [planned, signed, failed(1, false, 1000)];
  const watch = (found: Map<string, ObservedCoin>, peak = 100) => ({ type: 'AbandonedPayoutObserved' as const, coins: found, peak, now: 2000 });
  const inputs = (spent: boolean) => coins([[hex32('i0'), 50, spent], [hex32('i1'), 50, false]]);

  it('is recorded as paid once its coins are buried, and holds new plans until then', () => {
    spec.given(abandoned).when(watch(allLanded(96))).then([{ type: 'ConfirmPayout', confirmedHeight: 96, now: 2000 }]);
    spec.given(abandoned).when(watch(allLanded(99))).then([{ type: 'HoldNewPayouts', why: 'landed-not-buried' }]);
  });

  it('holds new plans when part of it landed', () => {
    spec.given(abandoned).when(watch(coins([[EXPECTED[1][0], 90]]))).then([{ type: 'HoldNewPayouts', why: 'partly-landed' }]);
  });

  it('makes the next plan spend the inputs of every transaction that could still land', () => {
    spec.given(abandoned).when(watch(inputs(false))).then([{ type: 'MustSpend', coinIds: [hex32('i0'), hex32('i1')] }]);
    spec.given(abandoned).when(watch(inputs(true))).then([{ type: 'MustSpend', coinIds: [hex32('i1')] }]);
  });

  it('stops watching at once when it was never signed: nothing of it was ever pushed', () => {
    spec.given([planned, failed(1, false, 1000)]).when(watch(inputs(false))).then([{ type: 'StopWatching' }]);
  });

  it('stops watching once none of its transactions can land', () => {
    spec.given(abandoned).when(watch(coins([[hex32('i0'), 50, true]]))).then([{ type: 'StopWatching' }]);
  });
});

describe('payout workflow: a confirmed payout after a reorg', () => {
  const confirmed: PayoutEvent = { type: 'PayoutConfirmed', data: { payoutId: 'payout-00000001', confirmedHeight: 96, confirmedAt: 1200 } };
  const look = (present: string[], paused = false) => ({ type: 'ConfirmedPayoutObserved' as const, coinsOnChain: new Set(present), paused });

  it('does nothing while its coins are there', () => {
    spec.given([planned, signed, sent, confirmed]).when(look([...EXPECTED[0], ...EXPECTED[1]])).then([]);
  });

  it('pushes the transactions whose coins a reorg took again, and holds new plans until they are back', () => {
    spec
      .given([planned, signed, sent, confirmed])
      .when(look([...EXPECTED[0]]))
      .then([{ type: 'HoldNewPayouts', why: 'orphaned' }, { type: 'PushAgain', transactions: [1] }]);
    spec.given([planned, signed, sent, confirmed]).when(look([], true)).then([{ type: 'HoldNewPayouts', why: 'orphaned' }]);
  });
});

describe('payout workflow: a plan recorded at schema 1 (coin ids predicted, never signed here)', () => {
  const legacy: PayoutEvent = {
    type: 'PayoutPlanned',
    data: {
      ...(planned.data as PayoutPlanned['data']),
      transactions: [0, 1].map((n) => ({ ...tx(n), predicted: { additions: [{ puzzleHash: puzzle(n), amount: '100', coinId: EXPECTED[n]![0] }], change: n === 0 ? { puzzleHash: puzzle(9), amount: '5', coinId: hex32('c0') } : null } })),
    },
  };

  it('is reconciled by its predicted coins: landed unrecorded, it is signed to learn ids, recorded sent and confirmed', () => {
    spec.given([legacy]).when(observed(allLanded(96))).then([
      { type: 'SignPayout', allowSpentInputs: true, now: 2000 },
      { type: 'RecordSentFromChain', now: 2000 },
      { type: 'ConfirmPayout', confirmedHeight: 96, now: 2000 },
    ]);
    spec.given([legacy, sent]).when(observed(allLanded(96))).then([{ type: 'ConfirmPayout', confirmedHeight: 96, now: 2000 }]);
  });

  it('counts as landed by whichever variant landed: its prediction or the bundle signed since', () => {
    const resigned: PayoutEvent = {
      type: 'PayoutSigned',
      data: { payoutId: 'payout-00000001', transactions: [0, 1].map((n) => ({ ...signedTx(n, `t${n}`), createdCoins: [coinOf(hex32(`n${n}`), n)] })), signedAt: 1050 },
    };
    spec.given([legacy, resigned, sent]).when(observed(allLanded(96))).then([{ type: 'ConfirmPayout', confirmedHeight: 96, now: 2000 }]);
    spec.given([legacy, resigned, sent]).when(observed(coins([[hex32('n0'), 90], [hex32('n1'), 91]]))).then([{ type: 'ConfirmPayout', confirmedHeight: 91, now: 2000 }]);
  });
});

describe('payout workflow: where a payout stands', () => {
  it('returns a retried payout to planned (the next send is recorded again) and keeps that it was sent', () => {
    spec.given([planned, signed, sent, failed(1, true, 1000)]).thenState((s) => expect(s).toMatchObject({ status: 'planned', sent: null, everSent: true, failures: [expect.objectContaining({ attempt: 1 })] }));
  });

  it('abandons after the last attempt, and confirms an abandoned payout whose coins landed after all', () => {
    spec.given([planned, signed, failed(1, false, 1000)]).thenState((s) => expect(s?.status).toBe('abandoned'));
    const late: PayoutEvent = { type: 'PayoutConfirmed', data: { payoutId: 'payout-00000001', confirmedHeight: 90, confirmedAt: 3000 } };
    spec.given([planned, signed, failed(1, false, 1000), late]).thenState((s) => expect(s?.status).toBe('confirmed'));
    // A failure recorded after the confirmation does not undo it.
    spec.given([planned, signed, sent, late, failed(1, true, 3100)]).thenState((s) => expect(s?.status).toBe('confirmed'));
  });
});

describe('payout workflow: a sent payout waiting too long has its fee bumped', () => {
  const bumping = workflowSpecification(payoutWorkflow({ ...policy, feeBumpAfterBlocks: 3 }));
  const sentAt = (height: number): PayoutEvent => ({ type: 'PayoutSent', data: { payoutId: 'payout-00000001', transactionIds: ['t0', 't1'], sentAt: 1100, sentHeight: height } });
  const bumpedAt = (height: number): PayoutEvent => ({
    type: 'PayoutFeeBumped',
    data: { payoutId: 'payout-00000001', transactions: [{ ...signedTx(1, 't1b'), fee: '20000000' }], reason: 'waited', bumpedHeight: height, bumpedAt: 1200 },
  });

  it('pushes again until the blocks waited reach the policy, then bumps what has not landed', () => {
    bumping.given([planned, signed, sentAt(100)]).when(observed(new Map(), { peak: 102 })).then([{ type: 'SendPayout', landed: [false, false] }]);
    bumping.given([planned, signed, sentAt(100)]).when(observed(new Map(), { peak: 103 })).then([{ type: 'BumpFee', transactions: [0, 1], waitedBlocks: 3, landed: [false, false], now: 2000 }]);
    const firstLanded = coins(EXPECTED[0].map((id) => [id, 101]));
    bumping.given([planned, signed, sentAt(100)]).when(observed(firstLanded, { peak: 104 })).then([{ type: 'BumpFee', transactions: [1], waitedBlocks: 4, landed: [true, false], now: 2000 }]);
  });

  it('counts again from the last bump, and never bumps when the policy says never', () => {
    bumping.given([planned, signed, sentAt(100), bumpedAt(103)]).when(observed(new Map(), { peak: 105 })).then([{ type: 'SendPayout', landed: [false, false] }]);
    bumping.given([planned, signed, sentAt(100), bumpedAt(103)]).when(observed(new Map(), { peak: 106 })).then([{ type: 'BumpFee', transactions: [0, 1], waitedBlocks: 3, landed: [false, false], now: 2000 }]);
    spec.given([planned, signed, sentAt(100)]).when(observed(new Map(), { peak: 500 })).then([{ type: 'SendPayout', landed: [false, false] }]);
  });

  it('treats every version as a way the transaction lands: the bumped version\'s coins confirm it', () => {
    const bumpedCoins = [hex32('p1-bumped')];
    const bump: PayoutEvent = { type: 'PayoutFeeBumped', data: { payoutId: 'payout-00000001', transactions: [{ ...signedTx(1, 't1b'), createdCoins: bumpedCoins.map((id) => coinOf(id, 1)), fee: '20000000' }], reason: 'waited', bumpedHeight: 103, bumpedAt: 1200 } };
    const landed = coins([...EXPECTED[0].map((id): [string, number] => [id, 101]), [bumpedCoins[0]!, 104]]);
    bumping.given([planned, signed, sentAt(100), bump]).when(observed(landed, { peak: 108 })).then([{ type: 'ConfirmPayout', confirmedHeight: 104, now: 2000 }]);
  });
});
