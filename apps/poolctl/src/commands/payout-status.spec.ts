import { fold } from '@pool/event-sourcing';
import { applyToSagaView, emptyPayoutSagaView, payoutsControlDecider } from '@pool/domain';
import { formatPayoutsStatus, formatXch, payoutTotals } from './payout-status';

describe('payout status', () => {
  it('writes mojos as exact XCH', () => {
    expect(formatXch(1_750_000_000_000n)).toBe('1.75');
    expect(formatXch(0n)).toBe('0');
    expect(formatXch(1n)).toBe('0.000000000001');
    expect(formatXch(123_456_789_012_345_678_901n)).toBe('123456789.012345678901');
  });

  it('counts and lists payouts by where they stand, and names every pause switch', () => {
    const view = emptyPayoutSagaView();
    const planned = (sequence: number, amounts: string[]) => ({
      type: 'PayoutPlanned',
      data: {
        payoutId: `payout-${sequence}`,
        sequence,
        ledgerPosition: '0001',
        plannedAt: 0,
        allocations: amounts.map((amount, i) => ({ launcherId: String(i), puzzleHash: 'aa', points: '1', amount })),
        poolFee: { puzzleHash: 'bb', amount: '10' },
        transactions: [],
      },
    });
    applyToSagaView(view, 'payout-1', 0n, planned(1, ['1000000000000', '500000000000']));
    applyToSagaView(view, 'payout-1', 1n, { type: 'PayoutSent', data: { payoutId: 'payout-1', transactionIds: ['t1'], sentAt: 1 } });
    applyToSagaView(view, 'payout-1', 2n, { type: 'PayoutConfirmed', data: { payoutId: 'payout-1', confirmedHeight: 40, confirmedAt: 2 } });
    // Read back again (the saga folds its own appends first): counted once.
    applyToSagaView(view, 'payout-1', 2n, { type: 'PayoutConfirmed', data: { payoutId: 'payout-1', confirmedHeight: 40, confirmedAt: 2 } });
    applyToSagaView(view, 'payout-2', 0n, planned(2, ['7']));
    applyToSagaView(view, 'payout-2', 1n, { type: 'PayoutFailed', data: { payoutId: 'payout-2', reason: 'wallet down', attempt: 1, willRetry: true, failedAt: 3 } });
    applyToSagaView(view, 'payout-2', 1n, { type: 'PayoutFailed', data: { payoutId: 'payout-2', reason: 'wallet down', attempt: 1, willRetry: true, failedAt: 3 } });

    expect(payoutTotals(view)).toEqual({ planned: 2, sent: 1, confirmed: 1, abandoned: 0, paidToFarmers: 1_500_000_000_000n });
    const control = fold(payoutsControlDecider, [
      { type: 'PayoutsPaused', data: { reason: 'migration', by: 'operator', at: 0 } },
      { type: 'PayoutsPaused', data: { reason: 'file', by: 'pause_file', at: 0 } },
      { type: 'PayoutsResumed', data: { reason: 'file gone', by: 'pause_file', at: 1 } },
    ]);
    const lines = formatPayoutsStatus(view, control);
    expect(lines[0]).toBe('payouts: paused by operator: migration (since 1970-01-01T00:00:00.000Z)');
    expect(lines[1]).toBe('payouts planned 2, sent 1, confirmed 1, abandoned 0; unresolved 1; paid to farmers 1.5 XCH');
    expect(lines.slice(3)).toEqual([
      'payout-1\tconfirmed\t2\t1.5\t0.00000000001\t0\t0\tconfirmed at height 40',
      'payout-2\tplanned\t1\t0.000000000007\t0.00000000001\t0\t1\tattempt 1 failed: wallet down',
    ]);
  });
});
