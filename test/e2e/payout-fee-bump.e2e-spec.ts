import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Coin, coinId, FullNodeRpcClient, WalletRpcClient } from '@pool/chia';
import { DEFAULT_POOL_SETTINGS, type PoolSettings } from '@pool/config';
import { DevnetChain, DevnetWallet, ensureDevnetChiaRoot, startFullNodeRpcServer, startWalletRpcServer, type RunningRpcServer, type WalletBehaviour } from '@pool/devnet';
import { auditLedger, type PayoutEvent, type PayoutFeeBumped, type PayoutPlanned, type PayoutSigned } from '@pool/domain';
import { SqliteEventStore } from '@pool/event-store';
import { deterministicEventId } from '@pool/event-sourcing';
import { LedgerPayoutPlanner, PayoutSaga } from '@pool/worker';
import { openLedgerCommandBus, registeredFarmerData, type LedgerCommandBus } from '../support';

const XCH = 1_000_000_000_000n;
const THRESHOLD = 3;
const BUMP_AFTER_BLOCKS = 3;
/** Each competing spend pays this fee: far above the payout's planned fee (nothing, on a calm mempool). */
const SPAM_FEE = 100_000_000n;
const SPAM_PER_BLOCK = 4;
const FARMERS = [
  { launcherId: '1a'.repeat(32), puzzleHash: '1b'.repeat(32), points: '5' },
  { launcherId: '2a'.repeat(32), puzzleHash: '2b'.repeat(32), points: '3' },
  { launcherId: '3a'.repeat(32), puzzleHash: '3b'.repeat(32), points: '1' },
];
const SPAM_TARGET = 'cf'.repeat(32);

/** One competing spend: a coin of the spammer's paid away whole but for the fee (one output, no change). */
async function spam(spammer: DevnetWallet, coin: Coin): Promise<void> {
  await spammer.sendTransactionMulti({ walletId: 1, additions: [{ puzzleHash: SPAM_TARGET, amount: coin.amount - SPAM_FEE }], fee: SPAM_FEE, coins: [coin] });
}

/** What one competing spend costs on the devnet (measured on a chain of its own, so the real one can be sized by it). */
async function spamCost(): Promise<bigint> {
  const chain = new DevnetChain({ seed: 'fee-bump-measure', networkBlockEverySignagePoints: 0 });
  const spammer = new DevnetWallet(chain, { tag: 'fee-bump-spammer' });
  const coin = spammer.fund(XCH);
  chain.farmBlock();
  await spam(spammer, coin);
  return chain.mempoolItems()[0]!.cost;
}

/**
 * A payout sent into a calm mempool (the node estimates no fee, so it pays none) is overtaken by a flood of competing
 * spends that pay more per cost and fill every block. After `fee_bump_after_blocks` blocks unconfirmed, the saga asks
 * the node for a fee estimate, has the wallet sign the same spends with that fee, records it (PayoutFeeBumped) and
 * pushes it; the mempool takes it as a replacement and the next block includes it. The farmers are paid exactly once:
 * one coin each, of the planned amount, from the bumped version; the first version's coins never appear; the audit
 * passes. Node and wallet are the devnet's over mutual-TLS RPC, the wallet in each of its behaviours.
 */
describe.each(['chia', 'shuffled'] as const)('a congested mempool: a fee-bumped payout confirms once, wallet behaviour %s', (behaviour: WalletBehaviour) => {
  let dir: string;
  let chain: DevnetChain;
  let wallet: DevnetWallet;
  let spammer: DevnetWallet;
  let store: SqliteEventStore;
  let bus: LedgerCommandBus;
  let node: RunningRpcServer;
  let walletServer: RunningRpcServer;
  let nodeClient: FullNodeRpcClient;
  let walletClient: WalletRpcClient;
  let spamCoins: Coin[];
  const clock = { t: 1_800_000_000 };

  beforeAll(async () => {
    const cost = await spamCost();
    dir = mkdtempSync(join(tmpdir(), 'payout-fee-bump-'));
    const chiaRoot = join(dir, 'chia');
    ensureDevnetChiaRoot(chiaRoot);
    // A block takes four competing spends and not quite a fifth: what is left never fits the payout (it has more
    // outputs than a competing spend, and its commitment memo, so it costs more), which fits a block on its own.
    chain = new DevnetChain({ seed: `payout-fee-bump-${behaviour}`, networkBlockEverySignagePoints: 0, blockMaxCost: BigInt(SPAM_PER_BLOCK + 1) * cost - 1n, mempoolMaxTotalCost: 200n * cost });
    wallet = new DevnetWallet(chain, { tag: 'payout-fee-bump-wallet', behaviour });
    spammer = new DevnetWallet(chain, { tag: 'fee-bump-spammer' });
    spamCoins = Array.from({ length: SPAM_PER_BLOCK * (BUMP_AFTER_BLOCKS + 4) }, () => spammer.fund(XCH));
    node = await startFullNodeRpcServer(chain, { chiaRoot });
    walletServer = await startWalletRpcServer(wallet, { chiaRoot });
    nodeClient = FullNodeRpcClient.fromChiaRoot({ host: '127.0.0.1', port: node.port, tls: { chiaRoot } });
    walletClient = WalletRpcClient.fromChiaRoot({ host: '127.0.0.1', port: walletServer.port, tls: { chiaRoot } });
    store = new SqliteEventStore({ path: join(dir, 'events.db') });
    bus = await openLedgerCommandBus(store);
    await seedLedger();
  });

  afterAll(async () => {
    await bus?.close();
    nodeClient?.close();
    walletClient?.close();
    await store?.close();
    await walletServer?.close();
    await node?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Three farmers with confirmed points and one absorbed reward in a buried coin of the pool wallet. */
  async function seedLedger(): Promise<void> {
    for (const [i, farmer] of FARMERS.entries()) {
      await store.append(`farmer-${farmer.launcherId}`, [{ id: deterministicEventId('fee-bump', farmer.launcherId), type: 'FarmerRegistered', data: registeredFarmerData(farmer) }], {
        expectedRevision: 'no_stream',
      });
      const proofHash = String(i + 1).repeat(64);
      await store.append(
        `partial-${proofHash}`,
        [{ id: deterministicEventId('fee-bump', proofHash), type: 'PartialConfirmed', data: { launcherId: farmer.launcherId, proofHash, points: farmer.points, confirmedAt: 1 } }],
        { expectedRevision: 'no_stream' },
      );
    }
    const amount = (7n * XCH) / 4n;
    // The reward sits in a coin with some of the pool's own money (its float): a bump's extra fee comes out of the
    // transaction's change, never out of what the plan pays.
    const poolCoin = wallet.fund(amount + XCH / 100n);
    const rewardCoinId = '77'.repeat(32);
    await store.append(
      `reward-${rewardCoinId}`,
      [
        {
          id: deterministicEventId('fee-bump-detected', rewardCoinId),
          type: 'RewardDetected',
          data: { coinId: rewardCoinId, launcherId: FARMERS[0]!.launcherId, puzzleHash: 'cd'.repeat(32), amount: amount.toString(), farmedHeight: chain.peakHeight(), confirmedHeight: chain.peakHeight(), detectedAt: 1 },
        },
        {
          id: deterministicEventId('fee-bump-absorbed', rewardCoinId),
          type: 'RewardAbsorbed',
          data: { coinId: rewardCoinId, launcherId: FARMERS[0]!.launcherId, amount: amount.toString(), absorbTransactionId: 'ab'.repeat(32), absorbedHeight: chain.peakHeight() + 1, poolCoinId: coinId(poolCoin), fee: '0', absorbedAt: 1 },
        },
      ],
      { expectedRevision: 'no_stream' },
    );
    chain.farmBlocks(THRESHOLD + 1);
  }

  function saga(): PayoutSaga {
    const settings: PoolSettings = {
      ...DEFAULT_POOL_SETTINGS,
      targetPuzzleHash: wallet.puzzleHash,
      confirmationSecurityThreshold: THRESHOLD,
      feeBasisPoints: 100,
      // Few outputs a transaction: a plan prices its fee for the largest transaction it may build, and this devnet's
      // blocks are small.
      payouts: { ...DEFAULT_POOL_SETTINGS.payouts, maxAdditionsPerTransaction: 4, feeCapMojos: 2_000_000_000n, feeTargetSeconds: 4, feeBumpAfterBlocks: BUMP_AFTER_BLOCKS },
    };
    return new PayoutSaga({ store, commandBus: bus.commandBus, chain: nodeClient, wallet: walletClient, settings, planner: new LedgerPayoutPlanner(), now: () => clock.t });
  }

  const payoutEvents = async (): Promise<PayoutEvent[]> =>
    (await store.readAll({ filter: { streamPrefixes: ['payout-'] } })).map((e) => ({ type: e.type, data: e.data }) as PayoutEvent);

  it('waits behind better payers, is signed again with the estimated fee, replaces its waiting version and is paid once', async () => {
    const pool = saga();
    expect(await pool.runOnce()).toMatchObject({ planned: ['payout-00000001'], sent: ['payout-00000001'] });
    const [planned, signed] = (await payoutEvents()) as [PayoutPlanned, PayoutSigned];
    // A calm mempool: the node estimates nothing, and the plan records that it asked.
    expect(planned.data.scheme.feeEstimate).toEqual({ targetSeconds: 4, estimate: '0', cap: '2000000000', floor: '0' });
    expect(planned.data.blockchainFee).toBe('0');
    const firstVersion = signed.data.transactions[0]!;

    // The flood: more competing spends than the blocks until the bump can take.
    for (const coin of spamCoins) await spam(spammer, coin);
    for (let block = 1; block < BUMP_AFTER_BLOCKS; block++) {
      chain.farmBlock();
      clock.t += 20;
      expect(await pool.runOnce()).toMatchObject({ planned: [], confirmed: [] });
    }
    expect((await payoutEvents()).map((e) => e.type)).toEqual(['PayoutPlanned', 'PayoutSigned', 'PayoutSent']);
    expect(chain.mempoolItems().map((item) => item.name)).toContain(firstVersion.transactionId);

    chain.farmBlock();
    clock.t += 20;
    await pool.runOnce();
    const bump = (await payoutEvents()).find((e): e is PayoutFeeBumped => e.type === 'PayoutFeeBumped');
    expect(bump).toBeDefined();
    const bumped = bump!.data.transactions[0]!;
    expect(BigInt(bumped.fee)).toBeGreaterThan(SPAM_FEE);
    expect(BigInt(bumped.fee)).toBeLessThanOrEqual(2_000_000_000n);
    // The same coins, the same payments: only the fee (out of the wallet's change) differs.
    expect(bumped.spentCoins.map((c) => c.coinId).sort()).toEqual(firstVersion.spentCoins.map((c) => c.coinId).sort());
    const mempool = chain.mempoolItems().map((item) => item.name);
    expect(mempool).toContain(bumped.transactionId);
    expect(mempool).not.toContain(firstVersion.transactionId);

    // The estimate was for 4 s, two of this devnet's blocks: it is in one of them, ahead of the flood that remains.
    const next = [chain.farmBlock(), chain.farmBlock()];
    expect(next.flatMap((b) => b.includedTransactions)).toContain(bumped.transactionId);
    expect(chain.mempoolItems().length).toBeGreaterThan(0);
    chain.farmBlocks(THRESHOLD);
    clock.t += 100;
    expect((await pool.runOnce()).confirmed).toEqual(['payout-00000001']);
    expect((await payoutEvents()).map((e) => e.type)).toEqual(['PayoutPlanned', 'PayoutSigned', 'PayoutSent', 'PayoutFeeBumped', 'PayoutConfirmed']);

    // Exactly once: one coin per farmer of the planned amount, created by the bumped version; none of the first's.
    for (const allocation of planned.data.allocations) {
      const coins = await nodeClient.getCoinRecordsByPuzzleHash(allocation.puzzleHash, { includeSpentCoins: true });
      expect(coins.map((r) => r.coin.amount)).toEqual([BigInt(allocation.amount)]);
      expect(bumped.createdCoins.map((c) => c.coinId)).toContain(coinId(coins[0]!.coin));
    }
    // The payments of both versions can be the very same coins (same parent, puzzle hash, amount); the change differs
    // (less of it, at a fresh address), and the first version's never appears.
    const bumpedIds = new Set(bumped.createdCoins.map((c) => c.coinId));
    const onlyFirst = firstVersion.createdCoins.filter((c) => !bumpedIds.has(c.coinId)).map((c) => c.coinId);
    expect(onlyFirst.length).toBeGreaterThan(0);
    expect(await nodeClient.getCoinRecordsByNames(onlyFirst, { includeSpentCoins: true })).toEqual([]);

    // More blocks and runs change nothing: nothing is pushed or paid again.
    chain.farmBlocks(BUMP_AFTER_BLOCKS + 1);
    clock.t += 100;
    expect(await pool.runOnce()).toMatchObject({ planned: [], sent: [], confirmed: [] });
    expect((await payoutEvents()).length).toBe(5);

    const audit = await auditLedger(await store.readAll());
    expect({ ok: audit.ok, problems: audit.problems, results: audit.results.map((r) => r.status), balanced: audit.summary.balanced }).toEqual({
      ok: true,
      problems: [],
      results: ['match'],
      balanced: true,
    });
  });
});
