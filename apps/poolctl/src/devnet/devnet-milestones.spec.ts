import { InMemoryEventStore } from '@pool/event-store';
import { type NewEvent } from '@pool/event-sourcing';
import { DevnetMilestones, MILESTONES } from './devnet-milestones';

let n = 0;
const event = (type: string, data: object): NewEvent => ({ id: `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`, type, data });

describe('DevnetMilestones', () => {
  it('announces each step of the cycle once, when the ledger records it, counting only events of this run', async () => {
    const store = new InMemoryEventStore();
    await store.append('partial-old', [event('PartialSubmitted', { launcherId: 'aa', points: '1', plotSize: 18 })], { expectedRevision: 'no_stream' });
    let clock = 1_000;
    const lines: string[] = [];
    const milestones = await DevnetMilestones.start(store, 0, (line) => lines.push(line), () => clock);

    await milestones.poll();
    expect(lines).toEqual([]);

    clock = 9_000;
    await store.append('farmer-x', [event('FarmerRegistered', {})], { expectedRevision: 'no_stream' });
    await store.append('partial-1', [event('PartialSubmitted', { launcherId: '0xabcdef0123456789', points: '1', plotSize: 18 })], { expectedRevision: 'no_stream' });
    await store.append('partial-2', [event('PartialSubmitted', { launcherId: 'bb', points: '1', plotSize: 18 })], { expectedRevision: 'no_stream' });
    await milestones.poll();
    expect(lines).toEqual(['first partial accepted after 9.0 s (plot NFT 0xabcdef01…, k18, 1 point(s))']);

    clock = 15_500;
    await store.append('partial-1', [event('PartialConfirmed', { launcherId: 'abcdef0123456789', points: '1' })], { expectedRevision: 0n });
    milestones.blockWon(40, 'cc'.repeat(32));
    milestones.blockWon(41, 'dd'.repeat(32));
    await store.append('reward-1', [event('RewardAbsorbed', { amount: '1750000000000', absorbedHeight: 52 })], { expectedRevision: 'no_stream' });
    await store.append('payout-1', [event('PayoutPlanned', { payoutId: 'payout-1', allocations: [{ amount: '1000' }, { amount: '2000' }] })], { expectedRevision: 'no_stream' });
    await store.append('payout-1', [event('PayoutSent', { payoutId: 'payout-1', transactionIds: ['t'] })], { expectedRevision: 0n });
    await milestones.poll();
    expect(milestones.complete).toBe(false);
    clock = 20_000;
    await store.append('payout-1', [event('PayoutConfirmed', { payoutId: 'payout-1', confirmedHeight: 70 })], { expectedRevision: 1n });
    await milestones.poll();
    await milestones.poll();

    expect(milestones.complete).toBe(true);
    expect(Object.keys(milestones.times).sort()).toEqual([...MILESTONES].sort());
    expect(milestones.times).toMatchObject({ partialAccepted: 9, pointsConfirmed: 15.5, blockWon: 15.5, payoutConfirmed: 20 });
    expect(lines.slice(1)).toEqual([
      'first block won by a pool farmer after 15.5 s (height 40, plot NFT 0xcccccccc…; 7/8 of the reward goes to its pool contract)',
      'first points confirmed after 15.5 s (1 point(s) of plot NFT 0xabcdef01…)',
      'first reward absorbed after 15.5 s (1.75 XCH into the pool wallet at height 52)',
      'first payout sent after 15.5 s (payout payout-1: 0.000000003 XCH to 2 farmer(s) in 1 transaction(s))',
      'first payout confirmed after 20.0 s (payout payout-1 buried at height 70)',
      'the whole cycle, from the first partial to a confirmed payout, took 20.0 s from the start of the run',
    ]);
  });

  it('pages through a busy ledger without missing the event it waits for', async () => {
    const store = new InMemoryEventStore();
    const lines: string[] = [];
    const milestones = await DevnetMilestones.start(store, 0, (line) => lines.push(line), () => 1000);
    await milestones.poll();
    const partials = Array.from({ length: 1200 }, (_, i) => event('PartialSubmitted', { launcherId: `${i}`, points: '1', plotSize: 18 }));
    await store.append('many', partials, { expectedRevision: 'no_stream' });
    await store.append('partial-late', [event('PartialConfirmed', { launcherId: 'ee', points: '2' })], { expectedRevision: 'no_stream' });
    await milestones.poll();
    expect(lines).toEqual(['first partial accepted after 1.0 s (plot NFT 0x0…, k18, 1 point(s))', 'first points confirmed after 1.0 s (2 point(s) of plot NFT 0xee…)']);
  });
});
