import { conditionsPuzzleHash, devnetFarmerSeed, DevnetWallet, SimulatedFarmer } from '@pool/devnet';
import { DEVNET_SPACE_CONSTANTS, type PartialEvent } from '@pool/domain';
import { createProjections } from '@pool/projections';
import { Projector } from '@pool/read-models';
import { FarmerRecords } from '@pool/api';
import { createRewardCollector, LedgerPayoutPlanner, PartialConfirmer, PayoutSaga } from '@pool/worker';
import { DevnetPoolHarness, openLedgerCommandBus, walletOverRpc, type LedgerCommandBus, type WalletOverRpc } from '../support';

/**
 * A devnet pool for the farmer area's browser test, driven round by round with the pool's own components: farmer a
 * holds the keys of `poolctl devnet run`'s first farmer (devnetFarmerSeed(0)), so `poolctl devnet login-link` finds
 * it; farmer b is the harness's own. Each `round` sends partials over HTTP, confirms them, lets farmer a win a block
 * whose reward is absorbed, and has the payout saga plan, send and confirm a payout. Notification targets accept
 * local webhook URLs (the test's receiver).
 */
export class FarmerAreaCycle {
  readonly harness: DevnetPoolHarness;
  readonly walletTag = 'farmer-area-wallet';
  farmers: SimulatedFarmer[] = [];
  private bus?: LedgerCommandBus;
  private walletRpc?: WalletOverRpc;
  private confirmer?: PartialConfirmer;
  private saga?: PayoutSaga;
  private collector?: ReturnType<typeof createRewardCollector>;
  private tracked = 0;

  constructor() {
    this.harness = new DevnetPoolHarness('farmer-area', {
      settings: { targetPuzzleHash: conditionsPuzzleHash(this.walletTag), feeBasisPoints: 100 },
      notificationTargets: { allowLocalUrls: true, emailEnabled: true },
    });
  }

  async start(): Promise<void> {
    const { harness } = this;
    await harness.start();
    this.bus = await openLedgerCommandBus(harness.store);
    const wallet = new DevnetWallet(harness.chain, { tag: this.walletTag });
    this.walletRpc = await walletOverRpc(wallet, 'farmer-area');
    const { commandBus } = this.bus;
    const farmerRecords = harness.app.get(FarmerRecords);
    this.confirmer = new PartialConfirmer({ store: harness.store, commandBus, chain: harness.client, farmerState: (id) => farmerRecords.state(id), delaySeconds: 1, now: harness.now });
    this.collector = createRewardCollector({ store: harness.store, commandBus, chain: harness.client, settings: harness.config.settings, now: harness.now, logger: { log: () => undefined, warn: () => undefined } });
    this.saga = new PayoutSaga({ store: harness.store, commandBus, chain: harness.client, wallet: this.walletRpc.client, settings: harness.config.settings, planner: new LedgerPayoutPlanner(), now: harness.now });

    this.farmers = [new SimulatedFarmer({ ...harness.farmerOptions('unused'), seed: devnetFarmerSeed(0) }), harness.farmer('farmer-area-b')];
    for (const f of this.farmers) await f.joinPool();
    harness.chain.farmBlocks(harness.config.settings.confirmationSecurityThreshold + 1);
    for (const f of this.farmers) {
      const answer = await f.connect();
      if (answer.error_code !== undefined) throw new Error(`farmer did not register: ${JSON.stringify(answer)}`);
    }
  }

  async stop(): Promise<void> {
    await this.bus?.close();
    await this.walletRpc?.close();
    await this.harness.stop();
  }

  /** One payout round: `partials` accepted and confirmed, a block won by farmer a, its reward absorbed, a payout confirmed. */
  async round(partials = 8): Promise<void> {
    const { chain, config } = this.harness;
    const threshold = config.settings.confirmationSecurityThreshold;
    await this.sendPartials(partials);
    const submitted = await this.harness.store.readAll({ filter: { types: ['PartialSubmitted'] } });
    for (const e of submitted.slice(this.tracked)) this.confirmer!.track({ type: e.type, data: e.data } as PartialEvent);
    this.tracked = submitted.length;
    chain.advance(2000);
    await this.confirmer!.settleDue();

    this.winBlock(this.farmers[0]!);
    await this.collector!.scan();
    chain.farmBlocks(threshold);
    await this.collector!.scan();
    chain.farmBlock();
    await this.collector!.scan();

    chain.farmBlocks(threshold);
    const first = await this.saga!.runOnce();
    if (first.planned.length !== 1) throw new Error(`the saga planned ${JSON.stringify(first)}`);
    chain.farmBlock();
    chain.farmBlocks(threshold);
    const second = await this.saga!.runOnce();
    if (second.confirmed.length !== 1) throw new Error(`the payout was not confirmed: ${JSON.stringify(second)}`);
    await this.project();
  }

  async project(): Promise<void> {
    const controller = new AbortController();
    await new Projector(this.harness.store, this.harness.readModels, createProjections({ space: DEVNET_SPACE_CONSTANTS })).run(controller.signal, () => controller.abort());
  }

  private async sendPartials(count: number): Promise<void> {
    const { chain } = this.harness;
    let accepted = 0;
    for (let sp = 0; sp < 600 && accepted < count; sp++) {
      chain.advanceSignagePoints(1);
      const entry = chain.latestSignagePoint();
      for (const f of this.farmers) {
        for (const partial of f.partialsFor(entry, chain.peakHeight() + 1)) if ((await f.submit(partial)).error_code === undefined) accepted++;
      }
    }
    if (accepted < count) throw new Error(`only ${accepted} of ${count} partials were accepted in 600 signage points`);
  }

  private winBlock(farmer: SimulatedFarmer): void {
    const { chain } = this.harness;
    for (let sp = 0; sp < 20_000; sp++) {
      chain.advanceSignagePoints(1);
      if (farmer.tryToWinBlock(chain.latestSignagePoint(), chain.peakHeight() + 1)) return;
    }
    throw new Error('no block won in 20,000 signage points');
  }
}
