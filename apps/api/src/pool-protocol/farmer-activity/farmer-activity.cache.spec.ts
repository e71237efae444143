import { randomUUID } from 'node:crypto';
import { partialStream, payoutStream } from '@pool/domain';
import { InMemoryEventStore } from '@pool/event-store';
import { FarmerActivityCache } from './farmer-activity.cache';

const A = 'aa'.repeat(32);

describe('FarmerActivityCache', () => {
  let store: InMemoryEventStore;
  let cache: FarmerActivityCache;

  beforeEach(() => {
    store = new InMemoryEventStore();
    cache = new FarmerActivityCache(store, 300, 60_000);
  });
  afterEach(() => cache.stop());

  const append = (stream: string, type: string, data: object): Promise<unknown> =>
    store.append(stream, [{ id: randomUUID(), type, data }], { expectedRevision: 'any' });
  const submit = (proofHash: string, receivedAt: number): Promise<unknown> =>
    append(partialStream(proofHash), 'PartialSubmitted', { launcherId: A, proofHash, points: '2', signagePointHash: 'ee'.repeat(32), receivedAt, plotSize: 18 });
  const confirm = (proofHash: string): Promise<unknown> => append(partialStream(proofHash), 'PartialConfirmed', { launcherId: A, proofHash, points: '2', confirmedAt: 0 });

  it('is not ready before it has read the history, then knows what the ledger holds', async () => {
    await submit('p1', 100);
    await confirm('p1');
    await append('farmer-x', 'FarmerRegistered', { launcherId: A }); // not its business
    expect(cache.ready).toBe(false);
    await cache.start();
    expect(cache.ready).toBe(true);
    expect(cache.recent(A)).toEqual([{ proofHash: 'p1', timestamp: 100, difficulty: 2n }]);
    expect(cache.currentPoints(A)).toBe(2n);
  });

  it('sees its own partials at once and other writers’ after fresh(), each once', async () => {
    await cache.start();
    cache.recordAccepted(A, { proofHash: 'mine', timestamp: 200, difficulty: 2n });
    expect(cache.recent(A).map((p) => p.proofHash)).toEqual(['mine']);
    await submit('mine', 200); // the store brings it back
    await submit('theirs', 150); // another api instance's
    await Promise.all([cache.fresh(), cache.fresh(), cache.fresh()]);
    expect(cache.recent(A).map((p) => p.proofHash)).toEqual(['mine', 'theirs']);
    expect(cache.recent(A, 'mine').map((p) => p.proofHash)).toEqual(['theirs']);
  });

  it('ends the payout window at a PayoutPlanned’s ledger position', async () => {
    await cache.start();
    await submit('p1', 100);
    await confirm('p1');
    const head = await store.headPosition();
    await submit('p2', 110);
    await confirm('p2');
    await append(payoutStream(1), 'PayoutPlanned', { payoutId: 'x', sequence: 1, ledgerPosition: head });
    await cache.fresh();
    expect(cache.currentPoints(A)).toBe(2n);
  });
});
