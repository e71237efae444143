import { deciderSpecification } from '@pool/testing';
import { booksClosingDecider, type CloseBooks } from './books-closing.decider';
import type { BooksClosed } from './books-closing.events';
import { booksDigest, restoreBooks, snapshotBooks } from './books-snapshot';
import { applyToPayoutLedger, createPayoutLedger } from '../payouts/payout-ledger';
import { DEFAULT_SEAL_SCHEDULE, sealAfterEvent } from '../ledger-seals/seal-schedule';

const spec = deciderSpecification(booksClosingDecider);
const ledger = createPayoutLedger();
applyToPayoutLedger(ledger, { type: 'PartialConfirmed', data: { launcherId: 'aa', proofHash: 'p1', points: '5', confirmedAt: 10 } }, '00000000000000000001');
const snapshot = snapshotBooks(ledger, [], null);

const close = (closedPosition: string, payoutId = 'payout-00000001'): CloseBooks => ({ type: 'CloseBooks', closedPosition, payoutId, snapshot, now: 99 });
const closed = (sequence: number, closedPosition: string, previousPosition: string | null, payoutId = 'payout-00000001'): BooksClosed => ({
  type: 'BooksClosed',
  data: { sequence, previousPosition, closedPosition, payoutId, snapshot, digest: booksDigest(snapshot), closedAt: 99 },
});

describe('books closing decider', () => {
  it('given no closing, when the books close after a settlement, then closing 1 records the snapshot and its digest', () => {
    spec.given([]).when(close('00000000000000000010')).then([closed(1, '00000000000000000010', null)]);
  });

  it('given a closing, when the next settlement closes the books, then closing 2 follows it', () => {
    spec.given([closed(1, '00000000000000000010', null)]).when(close('00000000000000000020', 'payout-00000002')).then([closed(2, '00000000000000000020', '00000000000000000010', 'payout-00000002')]);
  });

  it('given a closing, when the same or an earlier settlement closes again (a retry, a second closer), then nothing is recorded', () => {
    const history = [closed(1, '00000000000000000010', null), closed(2, '00000000000000000020', '00000000000000000010')];
    spec.given(history).when(close('00000000000000000020')).then([]);
    spec.given(history).when(close('00000000000000000015')).then([]);
  });

  it('given no closing, when a closing names no payout, then it is refused', () => {
    spec.given([]).when(close('00000000000000000010', '')).thenThrows('REQUEST_FAILED', /names the payout/);
  });

  it('names a snapshot by the SHA-256 of its canonical JSON: the same books give the same digest, one mojo more another', () => {
    const again = snapshotBooks(ledger, [], null);
    expect(booksDigest(again)).toBe(booksDigest(snapshot));
    expect(booksDigest({ ...again, returnedFunds: '1' })).not.toBe(booksDigest(snapshot));
    expect(snapshot.farmers).toEqual([{ launcherId: 'aa', puzzleHash: null, member: true, pointsSinceLastPayout: '5', carried: '0', revertedAfterPayout: '0', paid: '0' }]);
  });

  it("keeps a farmer's own minimum payout, so a fold restored from the closing plans as the original does", () => {
    const withMinimum = createPayoutLedger();
    applyToPayoutLedger(withMinimum, { type: 'PartialConfirmed', data: { launcherId: 'aa', proofHash: 'p1', points: '5', confirmedAt: 10 } }, '00000000000000000001');
    const set = { type: 'FarmerMinimumPayoutSet' as const, data: { launcherId: 'aa', minimumPayout: '5000000000000', poolMinimumPayout: '1000', setAt: 11 } };
    applyToPayoutLedger(withMinimum, set, '00000000000000000002');
    const kept = snapshotBooks(withMinimum, [], null);
    expect(kept.farmers[0]!.minimumPayout).toBe('5000000000000');
    expect(restoreBooks(kept, '00000000000000000002').farmers.get('aa')!.minimumPayout).toBe(5_000_000_000_000n);
    // A farmer without one: no field (the snapshots of ledgers before own minimums read the same).
    expect(restoreBooks(snapshot, '00000000000000000001').farmers.get('aa')!.minimumPayout).toBeNull();
  });

  it('is sealed as soon as it is recorded: the sealer seals through a BooksClosed (reason closing)', () => {
    expect(sealAfterEvent('BooksClosed', 1, DEFAULT_SEAL_SCHEDULE)).toBe('closing');
  });
});
