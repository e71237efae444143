import { InMemoryEventStore } from '@pool/event-store';
import { randomUUID } from 'node:crypto';
import { LedgerFigureFold } from './ledger-figures';

const planned = (payoutId: string, plannedAt: number, amounts: string[]) => ({
  type: 'PayoutPlanned',
  data: { payoutId, plannedAt, allocations: amounts.map((amount, i) => ({ launcherId: String(i), puzzleHash: 'p', points: '1', amount })) },
});

describe('LedgerFigureFold', () => {
  it('follows each payout through its states and reports the oldest one in flight', () => {
    const fold = new LedgerFigureFold();
    fold.apply(planned('p1', 100, ['5', '7']));
    fold.apply(planned('p2', 200, ['1']));
    fold.apply(planned('p3', 300, ['2']));
    fold.apply({ type: 'PayoutSent', data: { payoutId: 'p1' } });
    fold.apply({ type: 'PayoutConfirmed', data: { payoutId: 'p1' } });
    fold.apply({ type: 'PayoutFailed', data: { payoutId: 'p2', willRetry: true } });
    fold.apply({ type: 'PayoutFailed', data: { payoutId: 'p2', willRetry: false } });
    fold.apply({ type: 'PayoutSent', data: { payoutId: 'p3' } });

    const f = fold.figures();
    expect(f.payouts).toEqual({ planned: 3, sent: 2, confirmed: 1, failed: 2, abandoned: 1 });
    expect(f.payoutMojos).toEqual({ planned: 15n, confirmed: 12n });
    expect(f.inFlight).toBe(1);
    expect(f.oldestInFlightPlannedAt).toBe(300);
    // A late PayoutSent (a reconciling restart) does not move a confirmed payout back.
    fold.apply({ type: 'PayoutSent', data: { payoutId: 'p1' } });
    expect(fold.figures().payouts.confirmed).toBe(1);
  });

  it('keeps the pause switches independent and counts each reorg once', () => {
    const fold = new LedgerFigureFold();
    fold.apply({ type: 'PayoutsPaused', data: { by: 'operator' } });
    fold.apply({ type: 'PayoutsPaused', data: { by: 'pause_file' } });
    fold.apply({ type: 'PayoutsResumed', data: { by: 'operator' } });
    expect(fold.figures().pausedBy).toEqual(['pause_file']);

    const reorg = (reorgId: string, depth: number, deep: boolean) => ({ type: 'ChainReorgDetected', data: { reorgId, depth, deep } });
    fold.apply(reorg('10:aa', 3, false));
    fold.apply(reorg('10:aa', 3, false)); // a second instance reporting the same reorg
    fold.apply(reorg('20:bb', 12, true));
    fold.apply(reorg('30:cc', 2, false));
    expect(fold.figures().reorgs).toEqual({ shallow: 2, deep: 1, maxDepth: 12, lastDepth: 2 });
  });

  it('counts rewards by their latest state with their amounts exactly', () => {
    const fold = new LedgerFigureFold();
    const big = (2n ** 70n).toString();
    fold.apply({ type: 'RewardDetected', data: { coinId: 'a', amount: big } });
    fold.apply({ type: 'RewardDetected', data: { coinId: 'b', amount: '3' } });
    fold.apply({ type: 'RewardDetected', data: { coinId: 'c', amount: '4' } });
    fold.apply({ type: 'RewardAbsorbed', data: { coinId: 'b', amount: '3' } });
    fold.apply({ type: 'RewardReverted', data: { coinId: 'c', amount: '4' } });
    expect(fold.figures().rewards).toEqual({ detected: 3, absorbed: 1, reverted: 1, pending: 1 });
    expect(fold.figures().rewardMojos).toEqual({ detected: 2n ** 70n + 7n, absorbed: 3n, reverted: 4n, pending: 2n ** 70n });
  });

  it('reads only what is new in the store, page by page, and skips other event types', async () => {
    const store = new InMemoryEventStore();
    const append = (stream: string, type: string, data: object) => store.append(stream, [{ id: randomUUID(), type, data }], { expectedRevision: 'any' });
    for (let i = 0; i < 5; i++) await append(`reward-${i}`, 'RewardDetected', { coinId: String(i), amount: '1' });
    await append('partial-x', 'PartialSubmitted', { launcherId: 'l' });
    const fold = new LedgerFigureFold();
    const reads = jest.spyOn(store, 'readAll');
    await fold.catchUp(store, 2);
    expect(fold.figures().rewards.detected).toBe(5);
    expect(reads).toHaveBeenCalledTimes(3);
    expect(reads.mock.calls.every(([options]) => !options?.filter?.types?.includes('PartialSubmitted'))).toBe(true);
    reads.mockClear();
    await append('partial-y', 'PartialSubmitted', { launcherId: 'l' });
    await append('reward-0', 'RewardAbsorbed', { coinId: '0', amount: '1' });
    await fold.catchUp(store, 2);
    expect(reads).toHaveBeenCalledTimes(1);
    // The next read starts after the head seen before the previous one, past the partials already scanned.
    const head = await store.headPosition();
    const before = reads.mock.calls[0]![0]!.after!;
    expect(before > (await store.readAll({ filter: { types: ['RewardDetected'] } })).at(-1)!.position).toBe(true);
    expect(before < head!).toBe(true);
    expect(fold.figures().rewards).toMatchObject({ detected: 5, absorbed: 1, pending: 4 });
  });
});
