import { DomainError, farmerDecider, farmerStream, ORIGIN_NOT_RECORDED, partialDecider, partialStream, type RegisterFarmer } from '@pool/domain';
import { InMemoryEventStore } from '@pool/event-store';
import { StreamCommandRunner } from './handle-command';

const LAUNCHER = 'ab'.repeat(32);
const register: RegisterFarmer = {
  type: 'RegisterFarmer',
  launcherId: LAUNCHER,
  authenticationPublicKey: 'a1',
  ownerPublicKey: 'o1',
  payoutInstructions: 'cc'.repeat(32),
  payoutPuzzleHash: 'cc'.repeat(32),
  p2SingletonPuzzleHash: 'dd'.repeat(32),
  delayTime: 3600,
  delayPuzzleHash: 'ee'.repeat(32),
  difficulty: 10n,
  protocolVersion: 1,
  now: 1,
};

describe('StreamCommandRunner', () => {
  it('appends what the decider decides and keeps the state', async () => {
    const store = new InMemoryEventStore();
    const runner = new StreamCommandRunner(store);
    const { state } = await runner.run(farmerStream(LAUNCHER), farmerDecider, register);
    expect(state).toMatchObject({ status: 'registered', difficulty: 10n });
    expect((await store.readStream(farmerStream(LAUNCHER))).map((e) => e.type)).toEqual(['FarmerRegistered']);
    await expect(runner.run(farmerStream(LAUNCHER), farmerDecider, register)).rejects.toBeInstanceOf(DomainError);
  });

  it('loses no update when two runners change one farmer concurrently', async () => {
    const store = new InMemoryEventStore();
    const [a, b] = [new StreamCommandRunner(store), new StreamCommandRunner(store)];
    await a.run(farmerStream(LAUNCHER), farmerDecider, register);
    await b.load(farmerStream(LAUNCHER), farmerDecider); // b caches revision 0
    await a.run(farmerStream(LAUNCHER), farmerDecider, { type: 'AdjustDifficulty', launcherId: LAUNCHER, difficulty: 20n, graceSeconds: 60, now: 2 });
    // b decides on its stale cache first, conflicts, reloads and decides again on the fresh state.
    const { state } = await b.run(farmerStream(LAUNCHER), farmerDecider, (s) => ({
      type: 'AdjustDifficulty' as const,
      launcherId: LAUNCHER,
      difficulty: s.status === 'registered' ? s.difficulty * 2n : 1n,
      graceSeconds: 60,
      now: 3,
    }));
    expect(state).toMatchObject({ difficulty: 40n });
    const types = (await store.readStream(farmerStream(LAUNCHER))).map((e) => `${e.type}:${(e.data as { to?: string }).to ?? ''}`);
    expect(types).toEqual(['FarmerRegistered:', 'DifficultyChanged:20', 'DifficultyChanged:40']);
  });

  it('loadRecent answers from what it knew within the age without reading, and reads the store once it is older', async () => {
    const store = new InMemoryEventStore();
    let now = 0;
    const [here, elsewhere] = [new StreamCommandRunner(store, { now: () => now }), new StreamCommandRunner(store)];
    const stream = farmerStream(LAUNCHER);
    await here.run(stream, farmerDecider, register);
    const reads = jest.spyOn(store, 'readStream');
    // Its own change is known at once.
    await here.run(stream, farmerDecider, { type: 'AdjustDifficulty', launcherId: LAUNCHER, difficulty: 20n, graceSeconds: 60, now: 2 });
    reads.mockClear();
    expect((await here.loadRecent(stream, farmerDecider, 1000)).state).toMatchObject({ difficulty: 20n });
    expect(reads).not.toHaveBeenCalled();
    // Another process's change is not seen until the age has passed...
    await elsewhere.run(stream, farmerDecider, { type: 'AdjustDifficulty', launcherId: LAUNCHER, difficulty: 40n, graceSeconds: 60, now: 3 });
    reads.mockClear();
    now = 1000;
    expect((await here.loadRecent(stream, farmerDecider, 1000)).state).toMatchObject({ difficulty: 20n });
    expect(reads).not.toHaveBeenCalled();
    // ...then the store is read, and what it read counts as known from then on.
    now = 1001;
    expect((await here.loadRecent(stream, farmerDecider, 1000)).state).toMatchObject({ difficulty: 40n });
    expect(reads).toHaveBeenCalledTimes(1);
    now = 1500;
    await here.loadRecent(stream, farmerDecider, 1000);
    expect(reads).toHaveBeenCalledTimes(1);
    // A read that finds nothing new also renews it.
    now = 2600;
    await here.loadRecent(stream, farmerDecider, 1000);
    now = 3500;
    await here.loadRecent(stream, farmerDecider, 1000);
    expect(reads).toHaveBeenCalledTimes(2);
  });

  it('credits a proof once even when many submissions race', async () => {
    const store = new InMemoryEventStore();
    const runners = Array.from({ length: 5 }, () => new StreamCommandRunner(store));
    const submit = {
      type: 'SubmitPartial' as const,
      launcherId: LAUNCHER,
      proofHash: 'f00d',
      points: '10',
      signagePointHash: 'sp',
      receivedAt: 5,
      plotSize: 32,
      ...ORIGIN_NOT_RECORDED,
    };
    const results = await Promise.allSettled(
      runners.map((r, i) => r.run(partialStream('f00d'), partialDecider, submit, { cache: false, expectNew: i % 2 === 0 })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(
      results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').every((r) => (r.reason as DomainError).reason === 'DUPLICATE_PARTIAL'),
    ).toBe(true);
    expect(await store.readStream(partialStream('f00d'))).toHaveLength(1);
  });

  it('answers a retried command (same idempotency key) with the original result when its append already landed', async () => {
    const store = new InMemoryEventStore();
    const stream = farmerStream(LAUNCHER);
    // Two runners that both believe the stream is new, retrying one command under one key.
    const results = await Promise.all(
      [new StreamCommandRunner(store), new StreamCommandRunner(store)].map((r) =>
        r.run(stream, farmerDecider, register, { idempotencyKey: 'request-1' }),
      ),
    );
    expect(results.map((r) => r.events.map((e) => e.type))).toEqual([['FarmerRegistered'], ['FarmerRegistered']]);
    expect(await store.readStream(stream)).toHaveLength(1);
  });
});
