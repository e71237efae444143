import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WalletRpcClient } from '@pool/chia';
import {
  conditionsPuzzleHash,
  DevnetWallet,
  ensureDevnetChiaRoot,
  startWalletRpcServer,
  type RunningRpcServer,
  type SimulatedFarmer,
} from '@pool/devnet';
import { type PartialEvent, type PayoutEvent, type PayoutPlanned, type RewardEvent } from '@pool/domain';
import { auditLedger } from '@pool/domain';
import { DevnetPoolHarness, openLedgerCommandBus, runPoolctl, type LedgerCommandBus } from '../support';
import { PartialConfirmer } from '@pool/worker';
import { FarmerRecords } from '@pool/api';
import { PayoutSaga } from '@pool/worker';
import { LedgerPayoutPlanner } from '@pool/worker';
import { payoutsStatusLines, verifyPayout, writeLedgerExport } from '@pool/poolctl';
import { createRewardCollector } from '@pool/worker';
import { buildProgram } from '@pool/poolctl';

const WALLET_TAG = 'payout-saga-e2e-wallet';

/**
 * The money path end to end on the devnet: farmers with real plots send partials to the pool over HTTP, the
 * partials are confirmed, a block one of them wins is absorbed into the pool wallet, and the payout saga plans,
 * has the wallet (over its mutual-TLS RPC) sign exactly the planned coins, pushes them and confirms them at depth.
 * Each farmer ends up with one coin of exactly its planned amount, in proportion to its confirmed points.
 */
describe.each(['chia', 'shuffled'] as const)('payout saga against the devnet, wallet behaviour %s', (walletBehaviour) => {
  const harness = new DevnetPoolHarness(`payout-saga-${walletBehaviour}`, { settings: { targetPuzzleHash: conditionsPuzzleHash(WALLET_TAG), feeBasisPoints: 100 }, walletBehaviour });
  const { chain } = harness;
  const wallet = new DevnetWallet(chain, { tag: WALLET_TAG, behaviour: harness.walletBehaviour });
  let walletDir: string;
  let walletServer: RunningRpcServer;
  let walletClient: WalletRpcClient;
  let farmers: SimulatedFarmer[];
  /** The pool loops' command bus over the harness's store. */
  let bus: LedgerCommandBus;

  beforeAll(async () => {
    await harness.start();
    bus = await openLedgerCommandBus(harness.store);
    walletDir = mkdtempSync(join(tmpdir(), 'payout-saga-wallet-'));
    ensureDevnetChiaRoot(walletDir);
    walletServer = await startWalletRpcServer(wallet, { chiaRoot: walletDir });
    walletClient = WalletRpcClient.fromChiaRoot({ host: '127.0.0.1', port: walletServer.port, tls: { chiaRoot: walletDir } });
  });
  afterAll(async () => {
    await bus?.close();
    walletClient?.close();
    await walletServer?.close();
    await harness.stop();
    if (walletDir) rmSync(walletDir, { recursive: true, force: true });
  });

  const threshold = (): number => harness.config.settings.confirmationSecurityThreshold;

  function winBlock(farmer: SimulatedFarmer): number {
    for (let sp = 0; sp < 20_000; sp++) {
      chain.advanceSignagePoints(1);
      const height = chain.peakHeight() + 1;
      if (farmer.tryToWinBlock(chain.latestSignagePoint(), height)) return height;
    }
    throw new Error('no block won in 20,000 signage points');
  }

  it('pays the farmers their planned share of an absorbed reward, once, after it is buried', async () => {
    farmers = [harness.farmer('payout-a'), harness.farmer('payout-b')];
    for (const f of farmers) await f.joinPool();
    chain.farmBlocks(threshold() + 1);
    for (const f of farmers) expect((await f.connect()).error_code).toBeUndefined();

    // Partials over HTTP: farmer a is sent partials at every signage point, b at every other one.
    let accepted = 0;
    for (let sp = 0; sp < 400 && accepted < 12; sp++) {
      chain.advanceSignagePoints(1);
      const entry = chain.latestSignagePoint();
      for (const [i, f] of farmers.entries()) {
        if (i === 1 && sp % 2 === 1) continue;
        for (const partial of f.partialsFor(entry, chain.peakHeight() + 1)) {
          if ((await f.submit(partial)).error_code === undefined) accepted++;
        }
      }
    }
    expect(accepted).toBeGreaterThan(0);

    // The confirmer the pool loops run settles them once their delay is past.
    const farmerRecords = harness.app.get(FarmerRecords);
    const confirmer = new PartialConfirmer({
      store: harness.store,
      commandBus: bus.commandBus,
      chain: harness.client,
      farmerState: (launcherId) => farmerRecords.state(launcherId),
      delaySeconds: 1,
      now: harness.now,
    });
    for (const e of await harness.store.readAll({ filter: { types: ['PartialSubmitted'] } })) confirmer.track({ type: e.type, data: e.data } as PartialEvent);
    chain.advance(2000);
    await confirmer.settleDue();
    const confirmed = (await harness.store.readAll({ filter: { types: ['PartialConfirmed'] } })).map((e) => (e.data as Extract<PartialEvent, { type: 'PartialConfirmed' }>['data']));
    expect(confirmed.length).toBe(accepted);
    const points = new Map<string, bigint>();
    for (const c of confirmed) points.set(c.launcherId, (points.get(c.launcherId) ?? 0n) + BigInt(c.points));

    // One reward, absorbed by the reward collector into the pool wallet.
    const collector = createRewardCollector({
      store: harness.store,
      commandBus: bus.commandBus,
      chain: harness.client,
      settings: harness.config.settings,
      now: harness.now,
      logger: { log: () => undefined, warn: () => undefined },
    });
    winBlock(farmers[0]!);
    await collector.scan();
    chain.farmBlocks(threshold());
    await collector.scan();
    chain.farmBlock();
    await collector.scan();
    const absorbed = (await harness.store.readAll({ filter: { types: ['RewardAbsorbed'] } })).map((e) => ({ type: e.type, data: e.data }) as RewardEvent);
    expect(absorbed).toHaveLength(1);
    const reward = BigInt(absorbed[0]!.data.amount);

    const saga = new PayoutSaga({
      store: harness.store,
      commandBus: bus.commandBus,
      chain: harness.client,
      wallet: walletClient,
      settings: harness.config.settings,
      planner: new LedgerPayoutPlanner(),
      now: harness.now,
    });
    // The absorbed coin is not buried yet: nothing is planned on a coin a reorg could take back.
    expect(await saga.runOnce()).toMatchObject({ planned: [], notPlanned: expect.stringMatching(/wallet coins do not cover/) });
    expect(await harness.store.readAll({ filter: { streamPrefixes: ['payout-'] } })).toEqual([]);
    chain.farmBlocks(threshold());
    const first = await saga.runOnce();
    expect(first).toMatchObject({ planned: ['payout-00000001'], sent: ['payout-00000001'] });

    const events = (await harness.store.readAll({ filter: { streamPrefixes: ['payout-'] } })).map((e) => ({ type: e.type, data: e.data }) as PayoutEvent);
    const plan = (events[0] as PayoutPlanned).data;
    expect(plan.rewardTotal).toBe(reward.toString());
    expect(plan.poolFee.amount).toBe(((reward * 100n) / 10_000n).toString());
    const pot = reward - BigInt(plan.poolFee.amount);
    const totalPoints = [...points.values()].reduce((a, b) => a + b, 0n);
    for (const allocation of plan.allocations) {
      const share = (pot * points.get(allocation.launcherId)!) / totalPoints;
      // floor(pot * points / total), plus at most one mojo of the rounding remainder.
      expect(BigInt(allocation.amount) - share).toBeGreaterThanOrEqual(0n);
      expect(BigInt(allocation.amount) - share).toBeLessThanOrEqual(1n);
    }
    expect(plan.allocations.reduce((s, a) => s + BigInt(a.amount), 0n)).toBe(pot);

    chain.farmBlock();
    chain.farmBlocks(threshold());
    expect((await saga.runOnce()).confirmed).toEqual(['payout-00000001']);
    const types = (await harness.store.readAll({ filter: { streamPrefixes: ['payout-'] } })).map((e) => e.type);
    expect(types).toEqual(['PayoutPlanned', 'PayoutSigned', 'PayoutSent', 'PayoutConfirmed']);

    for (const allocation of plan.allocations) {
      const coins = await harness.client.getCoinRecordsByPuzzleHash(allocation.puzzleHash, { includeSpentCoins: true });
      // The farmer's own block rewards (coinbase) also go to this address; the payout is the one plain coin.
      expect(coins.filter((r) => !r.coinbase).map((r) => r.coin.amount)).toEqual([BigInt(allocation.amount)]);
    }
    const audit = await auditLedger(await harness.store.readAll());
    expect({ ok: audit.ok, problems: audit.problems, results: audit.results.map((r) => r.status), balanced: audit.summary.balanced }).toEqual({
      ok: true,
      problems: [],
      results: ['match'],
      balanced: true,
    });
    // Nothing new to pay: another run plans nothing.
    expect((await saga.runOnce()).planned).toEqual([]);

    // Every farmer checks its line with the pool's API and the node's RPC alone: the memo is read back from the chain,
    // the export of the sealed period is fetched from the pool and audited offline.
    const [checkedByCli, ...others] = plan.allocations;
    const node = harness.nodeAddress();
    // As a farmer runs it: no pool config, its own node and CHIA_ROOT.
    const cli = await runPoolctl(['verify-payout', plan.payoutId, '--farmer', checkedByCli!.launcherId, '--pool-url', harness.poolUrl, '--node', node.address], {
      PATH: process.env.PATH,
      CHIA_ROOT: node.chiaRoot,
    });
    expect(cli).toMatchObject({ exitCode: 0, lines: expect.arrayContaining([`payout ${plan.payoutId} verified for farmer ${checkedByCli!.launcherId}: ${checkedByCli!.amount} mojos, committed on chain to seal ${cli.lines.join('\n').match(/seal=(\d+)/)?.[1]}`]) });
    for (const allocation of others) {
      const lines: string[] = [];
      const ok = await verifyPayout({ payoutId: plan.payoutId, launcherId: allocation.launcherId, poolUrl: harness.poolUrl, node: harness.client, print: (line) => void lines.push(line) });
      expect({ ok, lines }).toMatchObject({ ok: true, lines: expect.arrayContaining([expect.stringMatching(/^ok {3}chain: coin \w+ carries the memo "chia-pool-ledger\/1 payout=payout-00000001 seal=/)]) });
    }
    // A copied export with one mojo changed in the plan fails the check, naming where.
    const exportDir = mkdtempSync(join(tmpdir(), 'verify-payout-e2e-'));
    try {
      const file = join(exportDir, 'ledger.ndjson');
      const store = harness.store;
      const out = createWriteStream(file);
      await writeLedgerExport(store, out, { plain: true });
      const edited = readFileSync(file, 'utf8').replace(`"amount":"${plan.allocations[0]!.amount}"`, `"amount":"${BigInt(plan.allocations[0]!.amount) + 1n}"`);
      writeFileSync(file, edited);
      const lines: string[] = [];
      const ok = await verifyPayout({ payoutId: plan.payoutId, launcherId: plan.allocations[0]!.launcherId, poolUrl: harness.poolUrl, node: harness.client, exportFile: file, print: (line) => void lines.push(line) });
      expect(ok).toBe(false);
      expect(lines).toContainEqual(expect.stringMatching(/^FAIL the export does not audit: seal \d+ .*PayoutPlanned/));
    } finally {
      rmSync(exportDir, { recursive: true, force: true });
    }

    const status = await payoutsStatusLines(harness.store);
    expect(status[0]).toBe('payouts: running');
    expect(status[1]).toMatch(/^payouts planned 1, sent 1, confirmed 1, abandoned 0; unresolved 0; paid to farmers [\d.]+ XCH$/);
  });

  it('lets an operator pause and resume payouts with poolctl, recorded with the reason', async () => {
    const output: string[] = [];
    const log = jest.spyOn(console, 'log').mockImplementation((line: string) => void output.push(line));
    // The harness keeps its ledger file to itself; the CLI must open that same file.
    const flags = ['--event-store', `sqlite:${harness.store['options'].path}`];
    try {
      await buildProgram().parseAsync(['node', 'poolctl', ...flags, 'payouts', 'pause', '--reason', 'wallet upgrade']);
      await buildProgram().parseAsync(['node', 'poolctl', ...flags, 'payouts', 'status']);
      await buildProgram().parseAsync(['node', 'poolctl', ...flags, 'payouts', 'resume', '--reason', 'upgrade done']);
    } finally {
      log.mockRestore();
    }
    expect(output[0]).toBe('payouts paused by operator: wallet upgrade');
    expect(output[1]).toMatch(/^payouts: paused by operator: wallet upgrade/);
    expect(output.some((line) => /^payout-00000001\tconfirmed\t2\t/.test(line))).toBe(true);
    expect(output.at(-1)).toBe('payouts resumed by operator: upgrade done');
    const control = await harness.store.readStream('payouts-control');
    expect(control.map((e) => [e.type, (e.data as { by: string; reason: string }).reason])).toEqual([
      ['PayoutsPaused', 'wallet upgrade'],
      ['PayoutsResumed', 'upgrade done'],
    ]);
  });
});
