import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FullNodeRpcClient, G2_INFINITY_HEX, WalletRpcClient } from '@pool/chia';
import { startFullNodeRpcServer } from '../rpc-server/full-node-rpc-server';
import { startWalletRpcServer } from '../rpc-server/wallet-rpc-server';
import { ensureDevnetChiaRoot } from '../tls/devnet-chia-root';
import { DevnetWallet } from '../wallet';
import { DevnetChain } from './devnet-chain';
import { PlotNftSimulator } from './plot-nft';

/**
 * The simulator behind the devnet's HTTPS services, called through the pool's real RPC clients: every answer the
 * client decodes must equal what the simulator returns in-process (so the chain objects survive Chia's JSON).
 */
describe('DevnetChain and DevnetWallet over the Chia RPC services', () => {
  const chiaRoot = mkdtempSync(join(tmpdir(), 'devnet-chain-rpc-'));
  const chain = new DevnetChain({ seed: 'over-rpc' });
  const wallet = new DevnetWallet(chain);
  let node: FullNodeRpcClient;
  let walletClient: WalletRpcClient;
  let closeServers: () => Promise<void>;
  let launcherId: string;

  beforeAll(async () => {
    ensureDevnetChiaRoot(chiaRoot);
    wallet.fund(10n ** 13n);
    launcherId = new PlotNftSimulator(chain).launchPlotNft({
      ownerPk: 'a1'.repeat(48),
      poolUrl: 'https://pool.example',
      targetPuzzleHash: wallet.puzzleHash,
      relativeLockHeight: 5,
      delayTime: 100,
      delayPuzzleHash: '22'.repeat(32),
      state: 'FARMING_TO_POOL',
    }).launcherId;
    chain.advance(chain.network.subSlotTimeMs + 5000);
    const nodeServer = await startFullNodeRpcServer(chain, { chiaRoot, host: '127.0.0.1', port: 0 });
    const walletServer = await startWalletRpcServer(wallet, { chiaRoot, host: '127.0.0.1', port: 0 });
    const options = (port: number) => ({ host: '127.0.0.1', port, maxAttempts: 1, tls: { chiaRoot } });
    node = FullNodeRpcClient.fromChiaRoot(options(nodeServer.port));
    walletClient = WalletRpcClient.fromChiaRoot(options(walletServer.port));
    closeServers = async () => {
      await Promise.all([nodeServer.close(), walletServer.close()]);
    };
  });

  afterAll(async () => {
    node?.close();
    walletClient?.close();
    await closeServers?.();
    rmSync(chiaRoot, { recursive: true, force: true });
  });

  it('serves chain state, signage points and blocks unchanged', async () => {
    expect(await node.getBlockchainState()).toEqual(await chain.getBlockchainState());
    expect(await node.getNetworkInfo()).toEqual(await chain.getNetworkInfo());
    const sps = chain.signagePoints();
    const sp = { spHash: sps[5].hash };
    expect(await node.getRecentSignagePointOrEos(sp)).toEqual(await chain.getRecentSignagePointOrEos(sp));
    const eos = { challengeHash: sps[chain.network.numSpsSubSlot].hash };
    expect(await node.getRecentSignagePointOrEos(eos)).toEqual(await chain.getRecentSignagePointOrEos(eos));
    expect(await node.getRecentSignagePointOrEos({ spHash: '00'.repeat(32) })).toBeNull();
    expect(await node.getBlockRecordByHeight(3)).toEqual(await chain.getBlockRecordByHeight(3));
    expect(await node.getBlockRecordByHeight(1_000_000)).toBeNull();
    const peak = chain.peak();
    expect(await node.getBlockRecord(peak.headerHash)).toEqual(peak);
    expect(await node.getAdditionsAndRemovals(peak.headerHash)).toEqual(await chain.getAdditionsAndRemovals(peak.headerHash));
  });

  it('serves coins and the plot NFT launcher spend unchanged', async () => {
    const launcher = await chain.getCoinRecordByName(launcherId);
    expect(await node.getCoinRecordByName(launcherId)).toEqual(launcher);
    expect(await node.getCoinRecordByName('00'.repeat(32))).toBeNull();
    const height = launcher!.spentBlockIndex;
    expect(await node.getPuzzleAndSolution(launcherId, height)).toEqual(await chain.getPuzzleAndSolution(launcherId, height));
    const farmer = [chain.networkFarmerPuzzleHash];
    expect(await node.getCoinRecordsByPuzzleHashes(farmer, { startHeight: 3 })).toEqual(
      await chain.getCoinRecordsByPuzzleHashes(farmer, { startHeight: 3 }),
    );
    const query = { includeSpentCoins: true };
    expect(await node.getCoinRecordsByParentIds([launcherId], query)).toEqual(await chain.getCoinRecordsByParentIds([launcherId], query));
  });

  it('reports a refused spend bundle as a failed push_tx with the reason', async () => {
    const unknownCoin = { parentCoinInfo: '01'.repeat(32), puzzleHash: '02'.repeat(32), amount: 1n };
    const bundle = { coinSpends: [{ coin: unknownCoin, puzzleReveal: '01', solution: '80' }], aggregatedSignature: G2_INFINITY_HEX };
    await expect(node.pushTx(bundle)).rejects.toThrow(/WRONG_PUZZLE_HASH|UNKNOWN_UNSPENT/);
  });

  it('pays through the wallet service and confirms the transaction', async () => {
    expect(await walletClient.getWalletBalance(1)).toEqual(await wallet.getWalletBalance(1));
    const sent = await walletClient.sendTransactionMulti({
      walletId: 1,
      additions: [{ puzzleHash: '33'.repeat(32), amount: 5n, memos: ['payout'] }],
      fee: 1n,
    });
    chain.farmBlock();
    const confirmed = await walletClient.getTransaction(sent.transactionId);
    expect(confirmed?.confirmed).toBe(true);
    expect(confirmed).toEqual(await wallet.getTransaction(sent.transactionId));
    expect(await walletClient.getTransaction('00'.repeat(32))).toBeNull();
    expect(await walletClient.getHeightInfo()).toBe(chain.peakHeight());
    expect(await walletClient.getSyncStatus()).toEqual(await wallet.getSyncStatus());
  });
});
