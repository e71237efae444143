import { DevnetChain, ManualClock } from '@pool/devnet';
import { ORIGIN_NOT_RECORDED, partialStream, type FarmerState, type PartialEvent } from '@pool/domain';
import { InMemoryEventStore } from '@pool/event-store';
import { ledgerCommandBusesClosedAfterEach } from '@pool/testing';
import { deterministicEventId } from '@pool/event-sourcing';
import { PartialConfirmer } from './partial-confirmer';

const member: FarmerState = {
  status: 'registered',
  launcherId: 'aa',
  authenticationPublicKey: '',
  ownerPublicKey: '',
  payoutInstructions: '',
  payoutPuzzleHash: '',
  p2SingletonPuzzleHash: '',
  difficulty: 1n,
  previousDifficulty: null,
  graceUntil: null,
  isMember: true,
  lastUpdatedAt: null,
};

describe('PartialConfirmer', () => {
  const commandBusFor = ledgerCommandBusesClosedAfterEach();

  const setup = async (farmer: FarmerState = member) => {
    const clock = new ManualClock();
    const chain = new DevnetChain({ clock, networkBlockEverySignagePoints: 0 });
    const store = new InMemoryEventStore();
    const confirmer = new PartialConfirmer({
      store,
      commandBus: await commandBusFor(store),
      chain,
      farmerState: async () => farmer,
      delaySeconds: 300,
      now: () => clock.now() / 1000,
    });
    /** Records a submitted partial at the newest signage point, as the api would, and lets the confirmer see it. */
    const submit = async (proofHash: string): Promise<void> => {
      chain.advanceSignagePoints(1);
      const sp = chain.latestSignagePoint();
      const event: PartialEvent = {
        type: 'PartialSubmitted',
        data: { launcherId: 'aa', proofHash, points: '5', signagePointHash: sp.hash, receivedAt: Math.floor(clock.now() / 1000), plotSize: 18, ...ORIGIN_NOT_RECORDED },
      };
      await store.append(partialStream(proofHash), [{ id: deterministicEventId(proofHash), type: event.type, data: event.data }], {
        expectedRevision: 'no_stream',
      });
      confirmer.track(event);
    };
    const types = async (proofHash: string): Promise<string[]> => (await store.readStream(partialStream(proofHash))).map((e) => e.type);
    return { clock, chain, store, confirmer, submit, types };
  };

  it('confirms a partial only once its delay has passed, and only once', async () => {
    const { clock, confirmer, submit, types } = await setup();
    await submit('p1');
    expect(await confirmer.settleDue()).toBe(0);
    clock.advance(299_000);
    expect(await confirmer.settleDue()).toBe(0);
    clock.advance(2_000);
    expect(await confirmer.settleDue()).toBe(1);
    expect(await types('p1')).toEqual(['PartialSubmitted', 'PartialConfirmed']);
    expect(await confirmer.settleDue()).toBe(0);
    expect(confirmer.pendingCount).toBe(0);
  });

  it('reverts a partial whose signage point a reorg removed', async () => {
    const { clock, chain, confirmer, submit, types } = await setup();
    chain.farmBlocks(3);
    await submit('p2');
    chain.reorg(2);
    clock.advance(301_000);
    await confirmer.settleDue();
    expect(await types('p2')).toEqual(['PartialSubmitted', 'PartialReverted']);
  });

  it('reverts the partials of a farmer who has left the pool', async () => {
    const { clock, confirmer, submit, store } = await setup({ ...member, isMember: false });
    await submit('p3');
    clock.advance(301_000);
    await confirmer.settleDue();
    const [, reverted] = await store.readStream(partialStream('p3'));
    expect(reverted).toMatchObject({ type: 'PartialReverted', data: { reason: 'left_pool', wasConfirmed: false } });
  });

  it('reverts confirmed partials whose signage point a later reorg removed, with the fork height', async () => {
    const { clock, chain, confirmer, submit, store } = await setup();
    chain.farmBlocks(5);
    await submit('early');
    chain.farmBlocks(3);
    await submit('late');
    clock.advance(301_000);
    await confirmer.settleDue();
    chain.reorg(2);
    expect(await confirmer.revertAfterReorg(chain.peakHeight() - 3)).toBe(1);
    const [, , reverted] = await store.readStream(partialStream('late'));
    expect(reverted).toMatchObject({ type: 'PartialReverted', data: { reason: 'reorg', wasConfirmed: true, forkHeight: chain.peakHeight() - 3 } });
    expect((await store.readStream(partialStream('early'))).map((e) => e.type)).toEqual(['PartialSubmitted', 'PartialConfirmed']);
    expect(await confirmer.revertAfterReorg(0)).toBe(0);
  });

  it('keeps a confirmed partial whose signage point the node no longer remembers, and reverts one it reports reverted', async () => {
    const store = new InMemoryEventStore();
    const answers = new Map<string, { reverted: boolean } | null>();
    const chain = {
      getRecentSignagePointOrEos: async (query: { spHash: string } | { challengeHash: string }) => {
        const hash = 'spHash' in query ? query.spHash : query.challengeHash;
        const answer = answers.get(hash) ?? null;
        return answer === null ? null : ({ kind: 'signage_point', reverted: answer.reverted } as never);
      },
    };
    let now = 1000;
    const confirmer = new PartialConfirmer({ store, commandBus: await commandBusFor(store), chain, farmerState: async () => member, delaySeconds: 300, now: () => now });
    for (const proofHash of ['forgotten', 'orphaned']) {
      answers.set(`sp-${proofHash}`, { reverted: false });
      const event: PartialEvent = {
        type: 'PartialSubmitted',
        data: { launcherId: 'aa', proofHash, points: '3', signagePointHash: `sp-${proofHash}`, receivedAt: now, plotSize: 18, ...ORIGIN_NOT_RECORDED },
      };
      await store.append(partialStream(proofHash), [{ id: deterministicEventId(proofHash), type: event.type, data: event.data }], { expectedRevision: 'no_stream' });
      confirmer.track(event);
    }
    now += 301;
    expect(await confirmer.settleDue()).toBe(2);
    answers.set('sp-forgotten', null);
    answers.set('sp-orphaned', { reverted: true });
    expect(await confirmer.revertAfterReorg(50)).toBe(1);
    expect((await store.readStream(partialStream('forgotten'))).map((e) => e.type)).toEqual(['PartialSubmitted', 'PartialConfirmed']);
    expect((await store.readStream(partialStream('orphaned'))).map((e) => e.type)).toEqual(['PartialSubmitted', 'PartialConfirmed', 'PartialReverted']);
  });

  it('finds pending partials again in the ledger after a restart', async () => {
    const { clock, store, chain, submit } = await setup();
    await submit('p4');
    const restarted = new PartialConfirmer({
      store,
      commandBus: await commandBusFor(store),
      chain,
      farmerState: async () => member,
      delaySeconds: 300,
      now: () => clock.now() / 1000,
      intervalMs: 5,
    });
    clock.advance(301_000);
    const controller = new AbortController();
    const running = restarted.run(controller.signal);
    await restarted.whenCaughtUp(); // it has read the ledger's partials: the loops may rely on its sets now
    for (let i = 0; i < 200 && (await store.readStream(partialStream('p4'))).length < 2; i++) await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    await running;
    expect((await store.readStream(partialStream('p4'))).map((e) => e.type)).toEqual(['PartialSubmitted', 'PartialConfirmed']);
  });
});
