import { coinId } from '@pool/chia';
import { PlotNftSimulator, type SimulatedFarmer } from '@pool/devnet';
import { farmerDecider, farmerStream, type FarmerState, type PartialEvent, type PartialRevertReason } from '@pool/domain';
import { CHAIN_REORGS_STREAM, type ChainReorgDetected } from '@pool/domain';
import { type GlobalPosition } from '@pool/event-sourcing';
import { allProjections } from '@pool/projections';
import { Projector } from '@pool/read-models';
import { tableContentHash } from '@pool/read-models';
import { DevnetPoolHarness, openLedgerCommandBus, type LedgerCommandBus } from '../support';
import { ChainEvents } from '@pool/worker';
import { ChainFollower } from '@pool/worker';
import { ReorgReporter } from '@pool/worker';
import { PartialConfirmer } from '@pool/worker';
import { MembershipTracker } from '@pool/worker';
import { StreamCommandRunner } from '@pool/event-sourcing';

const DELAY_SECONDS = 30;
const LOCK_HEIGHT = 5;
const SAFE_REORG_DEPTH = 6;

/** What the test itself saw: an accepted partial, as its farmer sent it. */
interface SentPartial {
  farmer: string;
  launcherId: string;
  signagePointHash: string;
  /** The difficulty the farmer met (and was told by the pool): the points it should be worth. */
  points: bigint;
  receivedAt: number;
}

/** One step of the scenario: the chain's peak when the pool loops ran, on the test's clock. */
interface Step {
  at: number;
  peakHeight: number;
}

/**
 * The points ledger against a chain that changes its mind. Four farmers send real partials on the devnet
 * while the pool loops (driven step by step on the manual clock, in the order the lease holder runs them)
 * confirm them, follow reorgs (shallow, deeper than the confirmation delay and deeper than the safety depth)
 * and track a farmer who leaves the pool. Then every farmer's confirmed points must equal a recomputation
 * the test makes from what it sent and the devnet's canonical chain, and a projection rebuild from zero must
 * hash the same as the live tables.
 */
describe('reorg scenario: the points ledger stays right when the chain changes its mind', () => {
  const harness = new DevnetPoolHarness('reorg-ledger', {
    settings: { partialConfirmationDelay: DELAY_SECONDS, relativeLockHeight: LOCK_HEIGHT, confirmationSecurityThreshold: 4 },
  });
  const { chain } = harness;
  const sent: SentPartial[] = [];
  const steps: Step[] = [];
  const farmers = new Map<string, SimulatedFarmer>();
  let leaveHeightAtSend: number | undefined;
  let stepsRun = 0;

  let confirmer: PartialConfirmer;
  let follower: ChainFollower;
  let reporter: ReorgReporter;
  let tracker: MembershipTracker;
  let chainEvents: ChainEvents;
  let projector: Projector;
  let fed: GlobalPosition | undefined;
  let bus: LedgerCommandBus;

  beforeAll(async () => {
    await harness.start();
    bus = await openLedgerCommandBus(harness.store);
    const { commandBus } = bus;
    const farmerRunner = new StreamCommandRunner(harness.store);
    confirmer = new PartialConfirmer({
      store: harness.store,
      commandBus,
      chain: harness.client,
      farmerState: async (launcherId): Promise<FarmerState> => (await farmerRunner.load(farmerStream(launcherId), farmerDecider, false)).state,
      delaySeconds: DELAY_SECONDS,
      reorgWindowSeconds: 3600,
      now: harness.now,
    });
    follower = new ChainFollower({ chain: harness.client, window: 100 });
    chainEvents = new ChainEvents();
    reporter = new ReorgReporter({
      commandBus,
      events: chainEvents,
      safeReorgDepth: SAFE_REORG_DEPTH,
      logger: { warn: () => undefined, error: () => undefined },
      now: harness.now,
      revert: (forkHeight) => confirmer.revertAfterReorg(forkHeight),
    });
    tracker = new MembershipTracker({
      store: harness.store,
      commandBus,
      chain: harness.client,
      pool: { targetPuzzleHash: harness.poolTarget, relativeLockHeight: LOCK_HEIGHT },
      confirmationThreshold: 4,
      now: harness.now,
    });
    projector = new Projector(harness.store, harness.readModels, allProjections, { batchSize: 50 });

    for (const name of ['ana', 'bo', 'cy', 'leaver']) {
      const f = harness.farmer(name);
      await f.joinPool();
      farmers.set(name, f);
    }
    chain.farmBlocks(6);
    for (const f of farmers.values()) expect(await f.register()).toMatchObject({ welcome_message: expect.any(String) });
  });
  afterAll(async () => {
    await bus.close();
    await harness.stop();
  });

  /** Hands the confirmer the partial events appended since the last call (what its store subscription does). */
  async function feedConfirmer(): Promise<void> {
    for (;;) {
      const page = await harness.store.readAll({ after: fed, maxCount: 500, filter: { types: ['PartialSubmitted', 'PartialConfirmed', 'PartialReverted'] } });
      for (const e of page) confirmer.track({ type: e.type, data: e.data } as PartialEvent);
      if (page.length > 0) fed = page[page.length - 1]!.position;
      if (page.length < 500) return;
    }
  }

  /** One pass of the pool loops, in the lease holder's order: membership, chain (reorgs), settlement. */
  async function poolLoops(): Promise<void> {
    await tracker.check();
    await feedConfirmer();
    await reporter.report(await follower.poll());
    await feedConfirmer();
    await confirmer.settleDue();
    steps.push({ at: harness.now(), peakHeight: chain.peakHeight() });
  }

  async function catchUpProjector(): Promise<void> {
    const controller = new AbortController();
    await projector.run(controller.signal, () => controller.abort());
  }

  /** One signage point: a block every other one, the pool loops, then every member farmer's partials. */
  async function step(farming = true): Promise<void> {
    chain.advanceSignagePoints(1);
    if (++stepsRun % 2 === 0) chain.farmBlock();
    await poolLoops();
    if (!farming) return;
    const sp = chain.latestSignagePoint();
    for (const [name, f] of farmers) {
      for (const partial of f.partialsFor(sp, chain.peakHeight() + 1)) {
        const points = f.difficulty;
        const receivedAt = harness.now();
        const answer = await f.submit(partial);
        if (answer.error_code === undefined) {
          sent.push({ farmer: name, launcherId: f.launcherId, signagePointHash: sp.hash, points, receivedAt: Math.floor(receivedAt) });
        } else {
          // The only refusal this scenario expects: the leaver's partials once its departure is recorded.
          expect({ name, answer }).toMatchObject({ name: 'leaver', answer: { error_code: 14 } });
        }
      }
    }
    if (stepsRun % 25 === 0) await catchUpProjector();
  }

  async function run(count: number): Promise<void> {
    for (let i = 0; i < count; i++) await step();
  }

  /** Every partial stream's events, read raw from the ledger (no fold of the pool's). */
  async function partialEvents(): Promise<PartialEvent[]> {
    const out: PartialEvent[] = [];
    let after: GlobalPosition | undefined;
    for (;;) {
      const page = await harness.store.readAll({ after, maxCount: 1000, filter: { streamPrefixes: ['partial-'] } });
      out.push(...page.map((e) => ({ type: e.type, data: e.data }) as PartialEvent));
      if (page.length < 1000) return out;
      after = page[page.length - 1]!.position;
    }
  }

  it('runs the scenario: partials, a shallow reorg, a deep reorg past the delay, a farmer leaving, another reorg', async () => {
    await run(40);
    chain.reorg(1); // shallow: only partials still pending can lose their signage point
    await run(30);
    chain.reorg(3);
    await run(40); // now 110 signage points in: plenty confirmed
    // Deeper than the safety depth and than the delay: orphans ~20 blocks (~40 signage points, > 30 s).
    chain.reorg(20);
    await run(10);

    const leaver = farmers.get('leaver')!;
    chain.addToMempool(new PlotNftSimulator(chain).leavePool(leaver.launcherId));
    chain.advanceSignagePoints(1);
    leaveHeightAtSend = chain.farmBlock().block.height;
    await run(30);
    chain.reorg(2, { newBlocks: 4 }); // found behind new blocks
    await run(20);
    for (let i = 0; i <= DELAY_SECONDS + 1; i++) await step(false); // no new partials: everything pending settles
    await catchUpProjector();

    expect(sent.length).toBeGreaterThan(40);
    const reorgs = (await harness.store.readStream(CHAIN_REORGS_STREAM)).map((e) => (e.data as ChainReorgDetected['data']));
    expect(reorgs.map((r) => [r.depth, r.deep])).toEqual([
      [1, false],
      [3, false],
      [20, true],
      [2, false],
    ]);
    expect(chainEvents).toMatchObject({ reorgs: 4, deepReorgs: 1, maxReorgDepth: 20 });
  });

  it('reverted confirmed partials with reason reorg and the fork height, and pending ones of the leaver with left_pool', async () => {
    const events = await partialEvents();
    const reverted = events.filter((e): e is Extract<PartialEvent, { type: 'PartialReverted' }> => e.type === 'PartialReverted');
    const byReason = (reason: PartialRevertReason) => reverted.filter((e) => e.data.reason === reason);
    const deepFork = (await harness.store.readStream(CHAIN_REORGS_STREAM)).map((e) => e.data as ChainReorgDetected['data']).find((r) => r.deep)!.forkHeight;
    const reorged = byReason('reorg');
    expect(reorged.length).toBeGreaterThan(0);
    expect(reorged.every((e) => e.data.wasConfirmed && e.data.forkHeight !== undefined)).toBe(true);
    expect(reorged.some((e) => e.data.forkHeight === deepFork)).toBe(true);
    expect(byReason('signage_point_reverted').length).toBeGreaterThan(0);
    const leaverId = farmers.get('leaver')!.launcherId;
    expect(byReason('left_pool').length).toBeGreaterThan(0);
    expect(byReason('left_pool').every((e) => e.data.launcherId === leaverId && !e.data.wasConfirmed)).toBe(true);
    const farmerTypes = (await harness.store.readStream(farmerStream(leaverId))).map((e) => e.type);
    expect(farmerTypes).toContain('FarmerLeftPool');
  });

  it("(a) every farmer's confirmed points equal an independent recomputation from the canonical chain", async () => {
    // Canonical now: the signage points of the devnet's current chain.
    const canonical = new Set(chain.signagePoints().map((entry) => entry.hash));
    // The leave's height on the canonical chain (the last reorg did not reach it) and when the lock passed.
    const leaver = farmers.get('leaver')!;
    // The leave's travel spend created the plot NFT's current coin (nothing spent it since).
    const view = new PlotNftSimulator(chain).view(leaver.launcherId);
    const leaveHeight = (await chain.getCoinRecordByName(coinId(view.currentCoin)))!.confirmedBlockIndex;
    expect(leaveHeight).toBe(leaveHeightAtSend);
    // The pool loops ran at each step; the leaver stopped being a member at the first step whose peak passed the lock.
    const leftAt = steps.find((s) => s.peakHeight - leaveHeight > LOCK_HEIGHT)!.at;
    const settledAt = (p: SentPartial): number => steps.find((s) => s.at >= p.receivedAt + DELAY_SECONDS)!.at;

    const expected = new Map<string, bigint>();
    for (const f of farmers.values()) expected.set(f.launcherId, 0n);
    for (const p of sent) {
      const standing = canonical.has(p.signagePointHash);
      const member = p.farmer !== 'leaver' || settledAt(p) < leftAt;
      if (standing && member) expected.set(p.launcherId, expected.get(p.launcherId)! + p.points);
    }

    // The ledger's answer, tallied here from raw events: the last settlement of each partial decides.
    const status = new Map<string, { launcherId: string; points: bigint; state: string }>();
    for (const e of await partialEvents()) {
      const prior = status.get(e.data.proofHash);
      status.set(e.data.proofHash, { launcherId: e.data.launcherId, points: BigInt(e.data.points), state: e.type === 'PartialSubmitted' ? 'submitted' : e.type === 'PartialConfirmed' ? 'confirmed' : 'reverted' });
      if (prior && prior.state === 'reverted') throw new Error(`partial ${e.data.proofHash} changed after its revert`);
    }
    expect([...status.values()].filter((s) => s.state === 'submitted')).toEqual([]); // everything settled
    const ledger = new Map<string, bigint>([...expected.keys()].map((id) => [id, 0n]));
    for (const s of status.values()) if (s.state === 'confirmed') ledger.set(s.launcherId, ledger.get(s.launcherId)! + s.points);
    expect(ledger).toEqual(expected);
    expect([...expected.values()].every((points) => points > 0n)).toBe(true);

    // And the read model the api serves says the same.
    const rows = await harness.readModels.executor().query<{ launcher_id: string; confirmed_points: string | number }>('SELECT launcher_id, confirmed_points FROM farmer_points');
    expect(new Map(rows.map((r) => [r.launcher_id, BigInt(r.confirmed_points)]))).toEqual(expected);
  });

  it('(b) a rebuild from zero hashes the same as the live tables, table by table', async () => {
    const hashes = async (): Promise<Record<string, string>> => {
      const out: Record<string, string> = {};
      for (const projection of allProjections) {
        for (const table of projection.tables) out[table.name] = await tableContentHash(harness.readModels.executor(), table.name, table.primaryKey);
      }
      return out;
    };
    const live = await hashes();
    expect(Object.keys(live).length).toBeGreaterThan(0);
    await projector.rebuild();
    expect(await hashes()).toEqual(live);
  });
});
