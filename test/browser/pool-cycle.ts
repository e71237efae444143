import type { PoolSettings } from '@pool/config';
import { conditionsPuzzleHash, DevnetWallet, type SimulatedFarmer } from '@pool/devnet';
import { DEVNET_SPACE_CONSTANTS, partialDecider, partialStream, type PartialEvent } from '@pool/domain';
import { createProjections } from '@pool/projections';
import { Projector } from '@pool/read-models';
import { DevnetPoolHarness, openLedgerCommandBus, walletOverRpc, type LedgerCommandBus, type WalletOverRpc } from '../support';
import { PartialConfirmer } from '@pool/worker';
import { FarmerRecords } from '@pool/api';
import { StreamCommandRunner } from '@pool/event-sourcing';
import { LedgerPayoutPlanner } from '@pool/worker';
import { PayoutSaga } from '@pool/worker';
import { createRewardCollector } from '@pool/worker';

type Submitted = Extract<PartialEvent, { type: 'PartialSubmitted' }>['data'];

/**
 * A devnet pool taken once around the whole cycle with the pool's own components: two farmers with real plots send
 * partials over HTTP, the confirmer confirms them, a reorg-style revert takes one back, farmer a wins a block that
 * the reward collector absorbs, the payout saga plans, sends and confirms a payout through the wallet's RPC, and a
 * few more partials arrive afterwards (pending). Then the projector catches up, so the read API has every kind of
 * row to show. Used by the read API e2e and the browser test.
 */
export class PoolCycle {
  readonly harness: DevnetPoolHarness;
  readonly walletTag: string;
  farmers: SimulatedFarmer[] = [];
  /** The confirmed partial of farmer a taken back as a reorg. */
  revertedProofHash = '';
  private wallet?: DevnetWallet;
  private walletRpc?: WalletOverRpc;
  /** The pool loops' command bus over the harness's store. */
  private bus?: LedgerCommandBus;

  /** `settings`: more of the pool's settings (the browser test names a block explorer to check its links). */
  constructor(label: string, settings: Partial<PoolSettings> = {}) {
    this.walletTag = `${label}-wallet`;
    this.harness = new DevnetPoolHarness(label, { settings: { targetPuzzleHash: conditionsPuzzleHash(this.walletTag), feeBasisPoints: 100, ...settings } });
  }

  async start(): Promise<void> {
    const { harness } = this;
    await harness.start();
    this.bus = await openLedgerCommandBus(harness.store);
    this.wallet = new DevnetWallet(harness.chain, { tag: this.walletTag });
    this.walletRpc = await walletOverRpc(this.wallet, 'pool-cycle');
  }

  async stop(): Promise<void> {
    await this.bus?.close();
    await this.walletRpc?.close();
    await this.harness.stop();
  }

  private threshold(): number {
    return this.harness.config.settings.confirmationSecurityThreshold;
  }

  /** Partials over HTTP at each new signage point until `count` are accepted; farmer b sends at every other one. */
  private async sendPartials(count: number): Promise<number> {
    const { chain } = this.harness;
    let accepted = 0;
    for (let sp = 0; sp < 600 && accepted < count; sp++) {
      chain.advanceSignagePoints(1);
      const entry = chain.latestSignagePoint();
      for (const [i, f] of this.farmers.entries()) {
        if (i === 1 && sp % 2 === 1) continue;
        for (const partial of f.partialsFor(entry, chain.peakHeight() + 1)) {
          if ((await f.submit(partial)).error_code === undefined) accepted++;
        }
      }
    }
    if (accepted < count) throw new Error(`only ${accepted} of ${count} partials were accepted in 600 signage points`);
    return accepted;
  }

  private winBlock(farmer: SimulatedFarmer): number {
    const { chain } = this.harness;
    for (let sp = 0; sp < 20_000; sp++) {
      chain.advanceSignagePoints(1);
      const height = chain.peakHeight() + 1;
      if (farmer.tryToWinBlock(chain.latestSignagePoint(), height)) return height;
    }
    throw new Error('no block won in 20,000 signage points');
  }

  async run(): Promise<void> {
    const { harness } = this;
    const { chain } = harness;
    this.farmers = [harness.farmer('cycle-a'), harness.farmer('cycle-b')];
    for (const f of this.farmers) await f.joinPool();
    chain.farmBlocks(this.threshold() + 1);
    for (const f of this.farmers) {
      const answer = await f.connect();
      if (answer.error_code !== undefined) throw new Error(`farmer did not register: ${JSON.stringify(answer)}`);
    }
    await this.sendPartials(16);

    const runner = new StreamCommandRunner(harness.store);
    const farmerRecords = harness.app.get(FarmerRecords);
    const confirmer = new PartialConfirmer({
      store: harness.store,
      commandBus: this.bus!.commandBus,
      chain: harness.client,
      farmerState: (launcherId) => farmerRecords.state(launcherId),
      delaySeconds: 1,
      now: harness.now,
    });
    for (const e of await harness.store.readAll({ filter: { types: ['PartialSubmitted'] } })) confirmer.track({ type: e.type, data: e.data } as PartialEvent);
    chain.advance(2000);
    await confirmer.settleDue();

    // One confirmed partial of farmer a taken back, as the chain follower does after a reorg.
    const mine = (await harness.store.readAll({ filter: { types: ['PartialSubmitted'] } }))
      .map((e) => e.data as Submitted)
      .filter((d) => d.launcherId === this.farmers[0]!.launcherId);
    this.revertedProofHash = mine[0]!.proofHash;
    await runner.run(partialStream(this.revertedProofHash), partialDecider, { type: 'RevertPartial', reason: 'reorg', forkHeight: 1, now: Math.floor(harness.now()) });

    const collector = createRewardCollector({
      store: harness.store,
      commandBus: this.bus!.commandBus,
      chain: harness.client,
      settings: harness.config.settings,
      now: harness.now,
      logger: { log: () => undefined, warn: () => undefined },
    });
    this.winBlock(this.farmers[0]!);
    await collector.scan();
    chain.farmBlocks(this.threshold());
    await collector.scan();
    chain.farmBlock();
    await collector.scan();

    const saga = new PayoutSaga({
      store: harness.store,
      commandBus: this.bus!.commandBus,
      chain: harness.client,
      wallet: this.walletRpc!.client,
      settings: harness.config.settings,
      planner: new LedgerPayoutPlanner(),
      now: harness.now,
    });
    chain.farmBlocks(this.threshold());
    const first = await saga.runOnce();
    if (first.planned.length !== 1) throw new Error(`the saga planned ${JSON.stringify(first)}`);
    chain.farmBlock();
    chain.farmBlocks(this.threshold());
    const second = await saga.runOnce();
    if (second.confirmed.length !== 1) throw new Error(`the payout was not confirmed: ${JSON.stringify(second)}`);

    // Partials after the payout, not yet confirmed: the farmers' pending points.
    await this.sendPartials(4);
    await this.project();
  }

  /** More accepted partials (not yet confirmed), projected: what a living pool adds between two looks. */
  async morePartials(count: number): Promise<void> {
    await this.sendPartials(count);
    await this.project();
  }

  /** Runs the projector (with the devnet's space constants) until it has caught up with the store. */
  async project(): Promise<void> {
    const controller = new AbortController();
    await new Projector(this.harness.store, this.harness.readModels, createProjections({ space: DEVNET_SPACE_CONSTANTS })).run(controller.signal, () => controller.abort());
  }
}
