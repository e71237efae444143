import { foldLedgerStatement } from './farmer-statement';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const pos = (n: number): string => String(n).padStart(20, '0');

const plan = (sequence: number, ledgerPosition: string, allocations: { launcherId: string; points: string; amount: string }[], carried: { launcherId: string; amount: string }[] = []) => ({
  type: 'PayoutPlanned',
  data: {
    payoutId: `payout-${sequence}`,
    sequence,
    ledgerPosition,
    plannedAt: 100 + sequence,
    allocations: allocations.map((a) => ({ ...a, puzzleHash: 'ph' })),
    carried,
    rewardCoinIds: [],
    poolFee: { puzzleHash: 'ph', amount: '0' },
    blockchainFee: '0',
    transactions: [],
  },
});

describe('foldLedgerStatement', () => {
  const events = [
    { type: 'FarmerRegistered', data: { launcherId: A, difficulty: '2', registeredAt: 1 } },
    { type: 'PartialSubmitted', data: { launcherId: A, proofHash: 'p1', points: '2', receivedAt: 10 } },
    { type: 'PartialSubmitted', data: { launcherId: B, proofHash: 'q1', points: '9', receivedAt: 11 } },
    { type: 'PartialSubmitted', data: { launcherId: A, proofHash: 'p2', points: '2', receivedAt: 12 } },
    { type: 'PartialConfirmed', data: { launcherId: A, proofHash: 'p1', points: '2', confirmedAt: 20 } },
    { type: 'PartialConfirmed', data: { launcherId: A, proofHash: 'p2', points: '2', confirmedAt: 21 } },
    plan(1, pos(5), [{ launcherId: A, points: '2', amount: '500' }]),
    { type: 'PayoutSent', data: { payoutId: 'payout-1', transactionIds: ['t1'], sentAt: 30 } },
    { type: 'PartialReverted', data: { launcherId: A, proofHash: 'p1', points: '2', reason: 'reorg', wasConfirmed: true, revertedAt: 31, forkHeight: 7 } },
    { type: 'PayoutConfirmed', data: { payoutId: 'payout-1', confirmedHeight: 50, confirmedAt: 32 } },
    plan(2, pos(10), [], [{ launcherId: A, amount: '40' }]),
  ].map((e, i) => ({ ...e, position: pos(i + 1) }));

  it("lists the farmer's own steps with running balances, and every plan that paid its points", () => {
    const statement = foldLedgerStatement(A, events);
    expect(statement.entries.map((e) => [e.kind, e.proofHash ?? '', e.points ?? null, e.balances.pending, e.balances.confirmed, e.balances.unpaid])).toEqual([
      ['registered', '', null, 0n, 0n, 0n],
      ['credit', 'p1', 2n, 2n, 0n, 0n],
      ['credit', 'p2', 2n, 4n, 0n, 0n],
      ['confirm', 'p1', 2n, 2n, 2n, 2n],
      ['confirm', 'p2', 2n, 0n, 4n, 4n],
      // Plan 1 paid up to position 5 (p1's confirm); p2's confirm came later and stays unpaid.
      ['planned', '', -2n, 0n, 4n, 2n],
      ['sent', '', null, 0n, 4n, 2n],
      ['revert', 'p1', -2n, 0n, 2n, 2n],
      ['confirmed', '', null, 0n, 2n, 2n],
      ['planned', '', -2n, 0n, 2n, 0n],
    ]);
    expect(statement.entries[7]!.note).toBe('reorg, already paid: not clawed back (fork at 7)');
    expect(statement.balances).toEqual({ pending: 0n, confirmed: 2n, unpaid: 0n, revertedAfterPayout: 2n, carried: 40n, allocated: 500n, paid: 500n });
    expect(statement.position).toBe(pos(11));
  });

  it('as of an earlier point is the fold of the prefix', () => {
    const early = foldLedgerStatement(A, events.slice(0, 6));
    expect(early.balances).toMatchObject({ pending: 0n, confirmed: 4n, unpaid: 4n, paid: 0n });
    expect(foldLedgerStatement(B, events).entries.map((e) => e.kind)).toEqual(['credit']);
  });

  it('returns an abandoned allocation to the carried balance', () => {
    const abandoned = [
      ...events.slice(0, 7),
      { type: 'PayoutFailed', data: { payoutId: 'payout-1', reason: 'stuck', attempt: 3, willRetry: false, failedAt: 40 }, position: pos(50) },
    ];
    const statement = foldLedgerStatement(A, abandoned);
    expect(statement.entries[statement.entries.length - 1]).toMatchObject({ kind: 'abandoned', mojos: 500n });
    expect(statement.balances).toMatchObject({ carried: 500n, paid: 0n, allocated: 500n });
  });

  describe("an operator's resolution (poolctl payouts resolve)", () => {
    const twoFarmers = [
      ...events.slice(0, 6),
      { type: 'PartialConfirmed', data: { launcherId: B, proofHash: 'q1', points: '9', confirmedAt: 22 } },
      plan(1, pos(7), [
        { launcherId: A, points: '2', amount: '500' },
        { launcherId: B, points: '9', amount: '900' },
      ]),
      { type: 'PayoutSent', data: { payoutId: 'payout-1', transactionIds: ['t1', 't2'], sentAt: 30 } },
    ].map((e, i) => ({ ...e, position: pos(i + 1) }));
    const resolved = (decision: 'abandon' | 'paid-in-part', paid: string[]) => ({
      type: 'PayoutResolved',
      data: { payoutId: 'payout-1', decision, landedTransactions: paid.length > 0 ? [0] : [], reason: 'stuck', resolvedAt: 40, settled: { launcherIds: paid, poolFee: '0', blockchainFee: '0' } },
      position: pos(50),
    });

    it('pays the farmers the landed transactions carry and returns the others their allocation', () => {
      const ledger = [...twoFarmers, resolved('paid-in-part', [A])];
      expect(foldLedgerStatement(A, ledger).balances).toMatchObject({ paid: 500n, carried: 0n, allocated: 500n });
      expect(foldLedgerStatement(A, ledger).entries.at(-1)).toMatchObject({ kind: 'confirmed', mojos: 500n });
      expect(foldLedgerStatement(B, ledger).balances).toMatchObject({ paid: 0n, carried: 900n, allocated: 900n });
      expect(foldLedgerStatement(B, ledger).entries.at(-1)).toMatchObject({ kind: 'abandoned', mojos: 900n });
    });

    it('returns every allocation of a payout the operator abandons, and an abandoned one paid in part is taken back', () => {
      expect(foldLedgerStatement(A, [...twoFarmers, resolved('abandon', [])]).balances).toMatchObject({ paid: 0n, carried: 500n });
      const abandonedThenLanded = [
        ...twoFarmers,
        { type: 'PayoutFailed', data: { payoutId: 'payout-1', reason: 'stuck', attempt: 3, willRetry: false, failedAt: 35 }, position: pos(49) },
        resolved('paid-in-part', [A]),
      ];
      expect(foldLedgerStatement(A, abandonedThenLanded).balances).toMatchObject({ paid: 500n, carried: 0n });
      expect(foldLedgerStatement(B, abandonedThenLanded).balances).toMatchObject({ paid: 0n, carried: 900n });
    });
  });
});
