import { CHAIN_REORGS_STREAM } from '@pool/domain';
import { InMemoryEventStore } from '@pool/event-store';
import { ledgerCommandBusesClosedAfterEach } from '@pool/testing';
import { ChainEvents } from './chain-events';
import { type Reorg } from './chain-follower';
import { ReorgReporter } from './reorg-reporter';

const reorg = (depth: number, firstOrphanedHash = `o${depth}`): Reorg => ({
  forkHeight: 100,
  depth,
  peakHeight: 100 + depth + 1,
  firstOrphanedHash,
  oldPeak: { height: 100 + depth, headerHash: `old${depth}` },
  newPeak: { height: 100 + depth + 1, headerHash: `new${depth}` },
});

describe('ReorgReporter', () => {
  const commandBusFor = ledgerCommandBusesClosedAfterEach();

  const setup = (revert: (forkHeight: number) => Promise<number> = async () => 0) => {
    const store = new InMemoryEventStore();
    const events = new ChainEvents();
    const logs: { level: 'warn' | 'error'; message: string }[] = [];
    const logger = { warn: (message: string) => logs.push({ level: 'warn', message }), error: (message: string) => logs.push({ level: 'error', message }) };
    // Each reporter gets a bus of its own, as a separate instance (or a restart) would.
    const make = async () => new ReorgReporter({ commandBus: await commandBusFor(store), events, safeReorgDepth: 6, logger, now: () => 7000, revert });
    const recorded = async () => (await store.readStream(CHAIN_REORGS_STREAM).catch(() => [])).map((e) => e.data as { deep: boolean; depth: number });
    return { store, events, logs, make, recorded };
  };

  it('records a shallow reorg as a warning and a deep one as an error, counting both', async () => {
    const { events, logs, make, recorded } = setup();
    const reporter = await make();
    await reporter.report(reorg(2));
    await reporter.report(reorg(9));
    expect(await recorded()).toMatchObject([
      { depth: 2, deep: false },
      { depth: 9, deep: true },
    ]);
    expect(logs.map((l) => l.level)).toEqual(['warn', 'error']);
    expect(logs[1]!.message).toMatch(/DEEP REORG/);
    expect(events).toMatchObject({ reorgs: 2, deepReorgs: 1, lastReorgDepth: 9, maxReorgDepth: 9 });
  });

  it('records a reorg once when two instances (or a restart) report it', async () => {
    const { make, recorded } = setup();
    await (await make()).report(reorg(3));
    await (await make()).report({ ...reorg(3), newPeak: { height: 110, headerHash: 'later' } });
    expect(await recorded()).toHaveLength(1);
  });

  it('reverts after recording, and keeps a reorg whose revert failed until it succeeds', async () => {
    let fail = true;
    const forks: number[] = [];
    const { events, make, recorded } = setup(async (forkHeight) => {
      if (fail) throw new Error('store unavailable');
      forks.push(forkHeight);
      return 2;
    });
    const reporter = await make();
    await expect(reporter.report(reorg(4))).rejects.toThrow('store unavailable');
    expect(reporter.backlog).toBe(1);
    fail = false;
    await reporter.report();
    expect(reporter.backlog).toBe(0);
    expect(forks).toEqual([100]);
    expect(await recorded()).toHaveLength(1);
    expect(events).toMatchObject({ reorgs: 1, partialsRevertedByReorg: 2 });
  });

  it('on taking over, reverts again for the reorgs recorded within the window (a holder may have died mid-way)', async () => {
    const forks: number[] = [];
    const { store, make } = setup(async (forkHeight) => {
      forks.push(forkHeight);
      return 1;
    });
    expect(await (await make()).resume(store, 3600)).toBe(0); // no stream yet
    await (await make()).report(reorg(3));
    forks.length = 0;
    const successor = await make();
    expect(await successor.resume(store, 3600)).toBe(1);
    expect(forks).toEqual([100]);
    forks.length = 0;
    // now() is 7000 and the reorg was recorded at 7000: a zero window still holds it, a negative one not.
    expect(await successor.resume(store, -1)).toBe(0);
    expect(forks).toEqual([]);
  });
});
