import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type AdditionsAndRemovals,
  type BlockchainState,
  type BlockRecord,
  chiaRootTlsPaths,
  ChiaRpcConnection,
  ChiaRpcError,
  type ChiaRpcService,
  type CoinRecord,
  type CoinRecordQuery,
  type CoinSpend,
  type CreateSignedTransactionRequest,
  type CreateSignedTransactionResult,
  type FeeEstimate,
  type FeeEstimateRequest,
  type FullNodeRpc,
  FullNodeRpcClient,
  loadTlsMaterial,
  type NetworkInfo,
  type PushTxResult,
  type RecentSignagePointOrEos,
  type SendTransactionMultiRequest,
  type SendTransactionResult,
  type SignagePointOrEosQuery,
  type SpendBundle,
  type TransactionRecord,
  type WalletBalance,
  type WalletRpc,
  WalletRpcClient,
  type WalletSyncStatus,
} from '@pool/chia';
import { createCertificateAuthority, issueServiceCertificate } from '../tls/certificate-authority';
import { ensureDevnetChiaRoot } from '../tls/devnet-chia-root';
import { type RunningRpcServer } from './chia-rpc-server';
import { startFullNodeRpcServer } from './full-node-rpc-server';
import { ChiaRpcServiceError } from './rpc-service-error';
import {
  ABOVE_DOUBLE,
  hash,
  sampleBareBlockRecord,
  sampleBlockchainState,
  sampleBlockRecord,
  sampleCoin,
  sampleCoinRecord,
  sampleCoinSpend,
  sampleEndOfSubSlot,
  sampleSignagePoint,
  sampleSpendBundle,
  sampleTransactionRecord,
  sampleWalletBalance,
  UINT128_LARGE,
  UINT64_MAX,
} from './sample-chain-objects';
import { startWalletRpcServer } from './wallet-rpc-server';
import { DevnetChain } from '../chain';
import { DevnetWallet } from '../wallet';

/**
 * Both services on 127.0.0.1 with a CHIA_ROOT made by ensureDevnetChiaRoot, called through the pool's real
 * RPC clients. The implementations behind them are in-memory fakes that record what they were asked, so each
 * test checks both directions: the arguments as the interface received them, and the results as the client
 * decoded them.
 */

type Call = { method: string; args: unknown[] };

const KNOWN_SP = hash(31);
const KNOWN_EOS = hash(32);
const PEAK_HEIGHT = 40;
const KNOWN_COIN = sampleCoinRecord(5, true);
const KNOWN_TX = sampleTransactionRecord(9, true);

class FakeFullNode implements FullNodeRpc {
  readonly calls: Call[] = [];
  state: BlockchainState = sampleBlockchainState(sampleBlockRecord(PEAK_HEIGHT));
  pushOutcome: PushTxResult | Error = { status: 'SUCCESS' };
  puzzleOutcome: CoinSpend | Error = sampleCoinSpend(5);

  private record(method: string, ...args: unknown[]): void {
    this.calls.push({ method, args });
  }

  async getBlockchainState(): Promise<BlockchainState> {
    this.record('getBlockchainState');
    return this.state;
  }
  async getNetworkInfo(): Promise<NetworkInfo> {
    this.record('getNetworkInfo');
    return { networkName: 'devnet', networkPrefix: 'txch', genesisChallenge: hash(77) };
  }
  async getRecentSignagePointOrEos(query: SignagePointOrEosQuery): Promise<RecentSignagePointOrEos | null> {
    this.record('getRecentSignagePointOrEos', query);
    if ('spHash' in query && query.spHash === KNOWN_SP) {
      const signagePoint = sampleSignagePoint();
      return { kind: 'signage_point', signagePoint, timeReceived: 1_700_000_000.25, reverted: false };
    }
    if ('challengeHash' in query && query.challengeHash === KNOWN_EOS) {
      return { kind: 'eos', eos: sampleEndOfSubSlot(), timeReceived: 1_700_000_001.5, reverted: true };
    }
    return null;
  }
  async getBlockRecordByHeight(height: number): Promise<BlockRecord | null> {
    this.record('getBlockRecordByHeight', height);
    if (height > PEAK_HEIGHT) return null;
    return height % 2 === 0 ? sampleBlockRecord(height) : sampleBareBlockRecord(height);
  }
  async getBlockRecord(headerHash: string): Promise<BlockRecord | null> {
    this.record('getBlockRecord', headerHash);
    return headerHash === sampleBlockRecord(7).headerHash ? sampleBlockRecord(7) : null;
  }
  async getCoinRecordByName(name: string): Promise<CoinRecord | null> {
    this.record('getCoinRecordByName', name);
    return name === hash(99) ? KNOWN_COIN : null;
  }
  async getCoinRecordsByNames(names: string[], query?: CoinRecordQuery): Promise<CoinRecord[]> {
    this.record('getCoinRecordsByNames', names, query);
    return [sampleCoinRecord(1), sampleCoinRecord(2, true)];
  }
  async getCoinRecordsByPuzzleHash(puzzleHash: string, query?: CoinRecordQuery): Promise<CoinRecord[]> {
    this.record('getCoinRecordsByPuzzleHash', puzzleHash, query);
    return [sampleCoinRecord(3)];
  }
  async getCoinRecordsByPuzzleHashes(puzzleHashes: string[], query?: CoinRecordQuery): Promise<CoinRecord[]> {
    this.record('getCoinRecordsByPuzzleHashes', puzzleHashes, query);
    return [];
  }
  async getCoinRecordsByParentIds(parentIds: string[], query?: CoinRecordQuery): Promise<CoinRecord[]> {
    this.record('getCoinRecordsByParentIds', parentIds, query);
    return [sampleCoinRecord(4, true), sampleCoinRecord(6)];
  }
  async getPuzzleAndSolution(coinId: string, height: number): Promise<CoinSpend> {
    this.record('getPuzzleAndSolution', coinId, height);
    if (this.puzzleOutcome instanceof Error) throw this.puzzleOutcome;
    return this.puzzleOutcome;
  }
  async pushTx(spendBundle: SpendBundle): Promise<PushTxResult> {
    this.record('pushTx', spendBundle);
    if (this.pushOutcome instanceof Error) throw this.pushOutcome;
    return this.pushOutcome;
  }
  async getAdditionsAndRemovals(headerHash: string): Promise<AdditionsAndRemovals> {
    this.record('getAdditionsAndRemovals', headerHash);
    return { additions: [sampleCoinRecord(10), sampleCoinRecord(11)], removals: [sampleCoinRecord(12, true)] };
  }

  async getFeeEstimate(request: FeeEstimateRequest): Promise<FeeEstimate> {
    this.record('getFeeEstimate', request);
    return { ...SAMPLE_FEE_ESTIMATE, targetTimes: request.targetTimes, estimates: request.targetTimes.map((t) => UINT64_MAX - BigInt(t)) };
  }
}

/** Every field of get_fee_estimate's answer, with values that only survive the wire exactly (uint64 beyond doubles). */
const SAMPLE_FEE_ESTIMATE: FeeEstimate = {
  estimates: [],
  targetTimes: [],
  currentFeeRate: 2.5,
  mempoolSize: UINT64_MAX - 1n,
  mempoolFees: UINT64_MAX - 2n,
  numSpends: 17,
  mempoolMaxSize: 110_000_000_000n,
  fullNodeSynced: true,
  peakHeight: 4_294_967_295,
  lastPeakTimestamp: 1_800_000_000,
  nodeTimeUtc: 1_800_000_019,
  lastBlockCost: 10_999_999_999n,
  feesLastBlock: UINT64_MAX - 3n,
  feeRateLastBlock: 0.125,
  lastTxBlockHeight: 4_294_967_294,
};

class FakeWallet implements WalletRpc {
  readonly calls: Call[] = [];
  sendOutcome: SendTransactionResult | Error = {
    transaction: sampleTransactionRecord(20, false),
    transactionId: hash(20),
    transactions: [sampleTransactionRecord(20, false), sampleTransactionRecord(21, false)],
  };

  private record(method: string, ...args: unknown[]): void {
    this.calls.push({ method, args });
  }

  async logIn(fingerprint: number): Promise<number> {
    this.record('logIn', fingerprint);
    return fingerprint;
  }
  async getLoggedInFingerprint(): Promise<number | null> {
    this.record('getLoggedInFingerprint');
    return null;
  }
  async getSyncStatus(): Promise<WalletSyncStatus> {
    this.record('getSyncStatus');
    return { synced: true, syncing: false, genesisInitialized: true };
  }
  async getHeightInfo(): Promise<number> {
    this.record('getHeightInfo');
    return 4_294_967_295;
  }
  async getWalletBalance(walletId: number): Promise<WalletBalance> {
    this.record('getWalletBalance', walletId);
    return sampleWalletBalance(walletId);
  }
  async sendTransactionMulti(request: SendTransactionMultiRequest): Promise<SendTransactionResult> {
    this.record('sendTransactionMulti', request);
    if (this.sendOutcome instanceof Error) throw this.sendOutcome;
    return this.sendOutcome;
  }
  async getTransaction(transactionId: string): Promise<TransactionRecord | null> {
    this.record('getTransaction', transactionId);
    return transactionId === KNOWN_TX.name ? KNOWN_TX : null;
  }
  async createSignedTransaction(request: CreateSignedTransactionRequest): Promise<CreateSignedTransactionResult> {
    this.record('createSignedTransaction', request);
    const signed = [sampleTransactionRecord(30, false)];
    return { signedTxs: signed, transactions: [...signed, sampleTransactionRecord(31, false)] };
  }
}

const chiaRoot = mkdtempSync(join(tmpdir(), 'devnet-rpc-'));
const node = new FakeFullNode();
const wallet = new FakeWallet();
let nodeServer: RunningRpcServer;
let walletServer: RunningRpcServer;
let nodeClient: FullNodeRpcClient;
let walletClient: WalletRpcClient;
const serverErrors: unknown[] = [];

const clientOptions = (port: number) => ({ host: '127.0.0.1', port, maxAttempts: 1, tls: { chiaRoot } });
const lastCall = (fake: { calls: Call[] }) => fake.calls[fake.calls.length - 1];

beforeAll(async () => {
  ensureDevnetChiaRoot(chiaRoot);
  const onError = ({ error }: { error: unknown }) => serverErrors.push(error);
  nodeServer = await startFullNodeRpcServer(node, { chiaRoot, onError });
  walletServer = await startWalletRpcServer(wallet, { chiaRoot, host: '127.0.0.1', port: 0, onError });
  nodeClient = FullNodeRpcClient.fromChiaRoot(clientOptions(nodeServer.port));
  walletClient = WalletRpcClient.fromChiaRoot(clientOptions(walletServer.port));
});

afterAll(async () => {
  nodeClient?.close();
  walletClient?.close();
  await Promise.all([nodeServer?.close(), walletServer?.close()]);
  rmSync(chiaRoot, { recursive: true, force: true });
});

describe('full node RPC server, through FullNodeRpcClient', () => {
  it('listens on an ephemeral port of 127.0.0.1', () => {
    expect(nodeServer.host).toBe('127.0.0.1');
    expect(nodeServer.port).toBeGreaterThan(0);
    expect(walletServer.port).not.toBe(nodeServer.port);
  });

  it('get_blockchain_state: the state, peak and uint128 space arrive exactly', async () => {
    expect(await nodeClient.getBlockchainState()).toEqual(node.state);
    expect((await nodeClient.getBlockchainState()).space).toBe(UINT128_LARGE);
  });

  it('get_blockchain_state: a node without a peak and without the optional mempool fields', async () => {
    const previous = node.state;
    node.state = {
      ...sampleBlockchainState(null),
      averageBlockTime: null,
      mempoolSize: null,
      mempoolCost: null,
      mempoolFees: null,
      mempoolMaxTotalCost: null,
      blockMaxCost: null,
      nodeId: null,
    };
    try {
      expect(await nodeClient.getBlockchainState()).toEqual(node.state);
    } finally {
      node.state = previous;
    }
  });

  it('get_network_info', async () => {
    expect(await nodeClient.getNetworkInfo()).toEqual({
      networkName: 'devnet',
      networkPrefix: 'txch',
      genesisChallenge: hash(77),
    });
  });

  it('get_recent_signage_point_or_eos: an SP by sp_hash, an EOS by challenge_hash, null when unknown', async () => {
    expect(await nodeClient.getRecentSignagePointOrEos({ spHash: `0x${KNOWN_SP.toUpperCase()}` })).toEqual({
      kind: 'signage_point',
      signagePoint: sampleSignagePoint(),
      timeReceived: 1_700_000_000.25,
      reverted: false,
    });
    expect(lastCall(node).args).toEqual([{ spHash: KNOWN_SP }]);

    expect(await nodeClient.getRecentSignagePointOrEos({ challengeHash: KNOWN_EOS })).toEqual({
      kind: 'eos',
      eos: sampleEndOfSubSlot(),
      timeReceived: 1_700_000_001.5,
      reverted: true,
    });
    expect(lastCall(node).args).toEqual([{ challengeHash: KNOWN_EOS }]);

    expect(await nodeClient.getRecentSignagePointOrEos({ spHash: hash(1) })).toBeNull();
    expect(await nodeClient.getRecentSignagePointOrEos({ challengeHash: hash(1) })).toBeNull();
  });

  it('get_block_record_by_height: full and bare records, null above the peak', async () => {
    expect(await nodeClient.getBlockRecordByHeight(PEAK_HEIGHT)).toEqual(sampleBlockRecord(PEAK_HEIGHT));
    expect(await nodeClient.getBlockRecordByHeight(PEAK_HEIGHT - 1)).toEqual(sampleBareBlockRecord(PEAK_HEIGHT - 1));
    expect(lastCall(node)).toEqual({ method: 'getBlockRecordByHeight', args: [PEAK_HEIGHT - 1] });
    expect(await nodeClient.getBlockRecordByHeight(PEAK_HEIGHT + 1)).toBeNull();
  });

  it('get_block_record: by header hash, null when unknown', async () => {
    const block = sampleBlockRecord(7);
    expect(await nodeClient.getBlockRecord(block.headerHash)).toEqual(block);
    expect(await nodeClient.getBlockRecord(hash(250))).toBeNull();
    expect(lastCall(node)).toEqual({ method: 'getBlockRecord', args: [hash(250)] });
  });

  it('get_coin_record_by_name: a uint64-max amount exactly, null when the coin does not exist', async () => {
    const record = await nodeClient.getCoinRecordByName(hash(99));
    expect(record).toEqual(KNOWN_COIN);
    expect(record?.coin.amount).toBe(UINT64_MAX - 5n);
    expect(await nodeClient.getCoinRecordByName(hash(98))).toBeNull();
  });

  it('get_coin_records_by_names: names and the full query reach the implementation', async () => {
    const names = [hash(1), `0x${hash(2)}`];
    const records = await nodeClient.getCoinRecordsByNames(names, {
      includeSpentCoins: true,
      startHeight: 5,
      endHeight: 4_294_967_295,
    });
    expect(records).toEqual([sampleCoinRecord(1), sampleCoinRecord(2, true)]);
    expect(lastCall(node).args).toEqual([
      [hash(1), hash(2)],
      { includeSpentCoins: true, startHeight: 5, endHeight: 4_294_967_295 },
    ]);
  });

  it('get_coin_records_by_puzzle_hash: an empty query stays empty (the implementation has defaults)', async () => {
    expect(await nodeClient.getCoinRecordsByPuzzleHash(hash(3))).toEqual([sampleCoinRecord(3)]);
    expect(lastCall(node)).toEqual({ method: 'getCoinRecordsByPuzzleHash', args: [hash(3), {}] });
  });

  it('get_coin_records_by_puzzle_hashes: an empty answer', async () => {
    expect(await nodeClient.getCoinRecordsByPuzzleHashes([hash(3), hash(4)], { includeSpentCoins: false })).toEqual([]);
    expect(lastCall(node)).toEqual({
      method: 'getCoinRecordsByPuzzleHashes',
      args: [[hash(3), hash(4)], { includeSpentCoins: false }],
    });
  });

  it('get_coin_records_by_parent_ids', async () => {
    const records = await nodeClient.getCoinRecordsByParentIds([hash(4)], { startHeight: 0 });
    expect(records).toEqual([sampleCoinRecord(4, true), sampleCoinRecord(6)]);
    expect(lastCall(node).args).toEqual([[hash(4)], { startHeight: 0 }]);
  });

  it('get_puzzle_and_solution', async () => {
    expect(await nodeClient.getPuzzleAndSolution(hash(5), 205)).toEqual(sampleCoinSpend(5));
    expect(lastCall(node)).toEqual({ method: 'getPuzzleAndSolution', args: [hash(5), 205] });
  });

  it('push_tx: the bundle reaches the implementation exactly, its status comes back', async () => {
    const bundle = sampleSpendBundle(40);
    node.pushOutcome = { status: 'PENDING' };
    expect(await nodeClient.pushTx(bundle)).toEqual({ status: 'PENDING' });
    expect(lastCall(node)).toEqual({ method: 'pushTx', args: [bundle] });
  });

  it('get_additions_and_removals', async () => {
    expect(await nodeClient.getAdditionsAndRemovals(hash(8))).toEqual({
      additions: [sampleCoinRecord(10), sampleCoinRecord(11)],
      removals: [sampleCoinRecord(12, true)],
    });
    expect(lastCall(node)).toEqual({ method: 'getAdditionsAndRemovals', args: [hash(8)] });
  });

  it('get_fee_estimate: each way of giving the cost reaches the implementation, every field comes back exactly', async () => {
    const answer = await nodeClient.getFeeEstimate({ targetTimes: [60, 300], cost: UINT64_MAX });
    expect(answer).toEqual({ ...SAMPLE_FEE_ESTIMATE, targetTimes: [60, 300], estimates: [UINT64_MAX - 60n, UINT64_MAX - 300n] });
    expect(lastCall(node)).toEqual({ method: 'getFeeEstimate', args: [{ targetTimes: [60, 300], cost: UINT64_MAX }] });
    const bundle = sampleSpendBundle(41);
    await nodeClient.getFeeEstimate({ targetTimes: [0], spendBundle: bundle });
    expect(lastCall(node).args).toEqual([{ targetTimes: [0], spendBundle: bundle }]);
    await nodeClient.getFeeEstimate({ targetTimes: [120], spendType: 'send_xch_transaction', spendCount: 3 });
    expect(lastCall(node).args).toEqual([{ targetTimes: [120], spendType: 'send_xch_transaction', spendCount: 3 }]);
  });

  it('get_fee_estimate: refuses what Chia refuses, with its codes', async () => {
    const calls = node.calls.length;
    const connection = new ChiaRpcConnection({ host: '127.0.0.1', port: nodeServer.port, maxAttempts: 1, tls: loadTlsMaterial(chiaRootTlsPaths({ service: 'full_node', chiaRoot })) });
    const raw = async (body: object) => connection.call('get_fee_estimate', body, { idempotent: true });
    await expect(raw({ cost: 1 })).rejects.toMatchObject({ structuredError: { code: 'TARGET_TIMES_REQUIRED' } });
    await expect(raw({ target_times: [-1], cost: 1 })).rejects.toMatchObject({ structuredError: { code: 'TARGET_TIMES_NON_NEGATIVE' } });
    await expect(raw({ target_times: [1], cost: 1, spend_type: 'cat_spend' })).rejects.toMatchObject({ structuredError: { code: 'REQUEST_MUST_CONTAIN_EXACTLY_ONE' } });
    await expect(raw({ target_times: [1] })).rejects.toMatchObject({ structuredError: { code: 'REQUEST_MUST_CONTAIN_EXACTLY_ONE' } });
    expect(node.calls.length).toBe(calls);
    connection.close();
  });
});

describe('wallet RPC server, through WalletRpcClient', () => {
  it('log_in', async () => {
    expect(await walletClient.logIn(3_000_000_001)).toBe(3_000_000_001);
    expect(lastCall(wallet)).toEqual({ method: 'logIn', args: [3_000_000_001] });
  });

  it('get_logged_in_fingerprint: null when no key is logged in', async () => {
    expect(await walletClient.getLoggedInFingerprint()).toBeNull();
    expect(lastCall(wallet)).toEqual({ method: 'getLoggedInFingerprint', args: [] });
  });

  it('the devnet wallet answers log_in as Chia does: its own key, and an error naming any other', async () => {
    const devnetWallet = new DevnetWallet(new DevnetChain({ seed: 'rpc-log-in', networkBlockEverySignagePoints: 0 }), { fingerprint: 3_000_000_001 });
    const server = await startWalletRpcServer(devnetWallet, { chiaRoot });
    const client = WalletRpcClient.fromChiaRoot(clientOptions(server.port));
    try {
      expect(await client.getLoggedInFingerprint()).toBe(3_000_000_001);
      expect(await client.logIn(3_000_000_001)).toBe(3_000_000_001);
      await expect(client.logIn(7)).rejects.toThrow('fingerprint 7 not found in keychain or keychain is empty');
      expect(await client.getLoggedInFingerprint()).toBeNull();
    } finally {
      client.close();
      await server.close();
    }
  });

  it('get_sync_status', async () => {
    expect(await walletClient.getSyncStatus()).toEqual({ synced: true, syncing: false, genesisInitialized: true });
  });

  it('get_height_info', async () => {
    expect(await walletClient.getHeightInfo()).toBe(4_294_967_295);
  });

  it('get_wallet_balance: uint128 balances exactly', async () => {
    expect(await walletClient.getWalletBalance(1)).toEqual(sampleWalletBalance(1));
    expect(lastCall(wallet)).toEqual({ method: 'getWalletBalance', args: [1] });
  });

  it('send_transaction_multi: every request field reaches the implementation, the records come back', async () => {
    const request: SendTransactionMultiRequest = {
      walletId: 1,
      additions: [
        { puzzleHash: hash(61), amount: UINT64_MAX, memos: ['launcher-id', ''] },
        { puzzleHash: hash(62), amount: ABOVE_DOUBLE },
      ],
      fee: ABOVE_DOUBLE + 1n,
      coins: [sampleCoin(63, UINT64_MAX)],
      push: true,
      txConfig: {
        minCoinAmount: 1n,
        maxCoinAmount: UINT64_MAX,
        excludedCoinAmounts: [ABOVE_DOUBLE, 0n],
        excludedCoinIds: [hash(64)],
        reusePuzhash: false,
      },
    };
    expect(await walletClient.sendTransactionMulti(request)).toEqual(wallet.sendOutcome);
    expect(lastCall(wallet)).toEqual({ method: 'sendTransactionMulti', args: [request] });
  });

  it('send_transaction_multi: without optional fields, none is invented (push defaults in the client)', async () => {
    const additions = [{ puzzleHash: hash(65), amount: 1n }];
    await walletClient.sendTransactionMulti({ walletId: 2, additions, fee: 0n });
    expect(lastCall(wallet).args).toEqual([
      { walletId: 2, additions: [{ puzzleHash: hash(65), amount: 1n }], fee: 0n, push: true },
    ]);
  });

  it('get_transaction: the record with its memos and peers, null when unknown', async () => {
    expect(await walletClient.getTransaction(KNOWN_TX.name)).toEqual(KNOWN_TX);
    expect(await walletClient.getTransaction(hash(66))).toBeNull();
    expect(lastCall(wallet)).toEqual({ method: 'getTransaction', args: [hash(66)] });
  });

  it('create_signed_transaction: extra conditions pass through untouched', async () => {
    const request: CreateSignedTransactionRequest = {
      additions: [{ puzzleHash: hash(67), amount: UINT64_MAX }],
      fee: 5n,
      coins: [sampleCoin(68)],
      extraConditions: [{ opcode: 60, args: { msg: '0xcafe' } }, { opcode: 51, args: { amount: UINT64_MAX } }],
      push: false,
    };
    expect(await walletClient.createSignedTransaction(request)).toEqual({
      signedTxs: [sampleTransactionRecord(30, false)],
      transactions: [sampleTransactionRecord(30, false), sampleTransactionRecord(31, false)],
    });
    expect(lastCall(wallet)).toEqual({ method: 'createSignedTransaction', args: [request] });
  });
});

describe('errors, as a Chia service reports them', () => {
  const connection = (service: ChiaRpcService, port: number) =>
    new ChiaRpcConnection({
      host: '127.0.0.1',
      port,
      maxAttempts: 1,
      tls: loadTlsMaterial(chiaRootTlsPaths({ service, chiaRoot })),
    });

  it('an implementation error with a structured code reaches the client as a ChiaRpcError', async () => {
    node.puzzleOutcome = new ChiaRpcServiceError('Coin was not spent at height 7', 'INVALID_HEIGHT_FOR_COIN');
    try {
      const error = await nodeClient.getPuzzleAndSolution(hash(5), 7).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ChiaRpcError);
      expect(error).toMatchObject({
        kind: 'rpc',
        endpoint: 'get_puzzle_and_solution',
        nodeError: 'Coin was not spent at height 7',
        structuredCode: 'INVALID_HEIGHT_FOR_COIN',
      });
      expect((error as Error).message).toContain('get_puzzle_and_solution');
    } finally {
      node.puzzleOutcome = sampleCoinSpend(5);
    }
  });

  it('a plain implementation error becomes success:false with its message', async () => {
    node.pushOutcome = new Error('mempool full');
    const error = await nodeClient.pushTx(sampleSpendBundle(41)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChiaRpcError);
    expect(error).toMatchObject({ kind: 'rpc', endpoint: 'push_tx', nodeError: 'mempool full' });
    expect((error as ChiaRpcError).structuredCode).toBeUndefined();
    expect(serverErrors).toContain(node.pushOutcome);
    node.pushOutcome = { status: 'SUCCESS' };
  });

  it('wallet errors too', async () => {
    const previous = wallet.sendOutcome;
    wallet.sendOutcome = new ChiaRpcServiceError('Wallet needs to be fully synced', 'WALLET_NOT_SYNCED', { height: 3 });
    try {
      const error = await walletClient
        .sendTransactionMulti({ walletId: 1, additions: [{ puzzleHash: hash(1), amount: 1n }], fee: 0n })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ChiaRpcError);
      expect(error).toMatchObject({ kind: 'rpc', endpoint: 'send_transaction_multi' });
      expect((error as ChiaRpcError).structuredCode).toBe('WALLET_NOT_SYNCED');
      expect((error as ChiaRpcError).structuredError?.data).toEqual({ height: 3 });
    } finally {
      wallet.sendOutcome = previous;
    }
  });

  it('a malformed request is refused with success:false naming the field, before the implementation runs', async () => {
    const calls = node.calls.length;
    const error = await connection('full_node', nodeServer.port)
      .call('get_coin_record_by_name', { name: '0x1234' }, { idempotent: true })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'rpc', endpoint: 'get_coin_record_by_name' });
    expect((error as ChiaRpcError).nodeError).toContain('$.name');
    expect(node.calls.length).toBe(calls);
  });

  it('an unknown endpoint gets HTTP 404, as from Chia', async () => {
    const error = await connection('wallet', walletServer.port)
      .call('get_next_address', {}, { idempotent: true })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'http', httpStatus: 404, endpoint: 'get_next_address' });
  });

  it('full-node endpoints are not served by the wallet, nor wallet ones by the node', async () => {
    const onWallet = await connection('wallet', walletServer.port)
      .call('get_blockchain_state', {}, { idempotent: true })
      .catch((e: unknown) => e);
    const onNode = await connection('full_node', nodeServer.port)
      .call('log_in', { fingerprint: 1 }, { idempotent: true })
      .catch((e: unknown) => e);
    expect(onWallet).toMatchObject({ kind: 'http', httpStatus: 404 });
    expect(onNode).toMatchObject({ kind: 'http', httpStatus: 404 });
  });
});

describe('the wire itself', () => {
  const { caCert, clientCert, clientKey } = chiaRootTlsPaths({ service: 'wallet', chiaRoot });
  const raw = (
    port: number,
    options: { method?: string; path: string; body?: string; withCert?: boolean; key?: string; cert?: string },
  ) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const tls = loadTlsMaterial({ caCert, clientCert, clientKey });
      const withCert = options.withCert ?? true;
      const req = request(
        {
          host: '127.0.0.1',
          port,
          method: options.method ?? 'POST',
          path: options.path,
          ca: tls.ca,
          cert: withCert ? (options.cert ?? tls.cert) : undefined,
          key: withCert ? (options.key ?? tls.key) : undefined,
          checkServerIdentity: () => undefined,
          agent: false,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        },
      );
      req.on('error', reject);
      req.end(options.body ?? '{}');
    });

  it('writes amounts as bare JSON integers, hashes as 0x hex, and keys sorted, with success: true', async () => {
    const { status, text } = await raw(walletServer.port, { path: '/get_wallet_balance', body: '{"wallet_id": 1}' });
    expect(status).toBe(200);
    expect(text).toContain(`"confirmed_wallet_balance":${UINT128_LARGE}`);
    expect(text).toContain(`"pending_change":${UINT64_MAX}`);
    expect(text.startsWith('{"success":true,"wallet_balance":{')).toBe(true);
    const balanceText = text.slice(text.indexOf('"wallet_balance"') + 1);
    const balanceKeys = [...balanceText.matchAll(/"([a-z_]+)":/g)].map((m) => m[1]);
    expect(balanceKeys).toHaveLength(12);
    expect(balanceKeys).toEqual([...balanceKeys].sort());

    const coin = await raw(nodeServer.port, { path: '/get_coin_record_by_name', body: `{"name": "0x${hash(99)}"}` });
    expect(coin.text).toContain(`"parent_coin_info":"0x${KNOWN_COIN.coin.parentCoinInfo}"`);
    expect(coin.text).toContain(`"amount":${KNOWN_COIN.coin.amount}`);
  });

  it('answers not-found with the text and structured code Chia uses', async () => {
    const body = `{"name": "${hash(98)}"}`;
    const { status, text } = await raw(nodeServer.port, { path: '/get_coin_record_by_name', body });
    expect(status).toBe(200);
    const answer = JSON.parse(text) as Record<string, unknown>;
    expect(answer).toMatchObject({
      success: false,
      error: `Coin record 0x${hash(98)} not found`,
      structuredError: { code: 'COIN_RECORD_NOT_FOUND' },
    });
  });

  it('accepts an empty body for endpoints without arguments, and refuses a body that is not JSON', async () => {
    const empty = await raw(walletServer.port, { path: '/get_height_info', body: '' });
    expect(JSON.parse(empty.text)).toEqual({ height: 4_294_967_295, success: true });
    const broken = await raw(walletServer.port, { path: '/get_height_info', body: '{"a":' });
    expect(broken.status).toBe(400);
    expect(JSON.parse(broken.text)).toMatchObject({ success: false });
  });

  it('answers healthz and get_routes, as every Chia service does', async () => {
    const health = await raw(nodeServer.port, { path: '/healthz' });
    expect(JSON.parse(health.text)).toEqual({ success: true });
    const { routes } = JSON.parse((await raw(walletServer.port, { path: '/get_routes' })).text) as { routes: string[] };
    expect(routes).toEqual(expect.arrayContaining(['/log_in', '/send_transaction_multi', '/get_transaction']));
    expect(routes).not.toContain('/push_tx');
  });

  it('answers success:false when the implementation returns something that cannot be written', async () => {
    const previous = node.state;
    node.state = { ...previous, nodeId: 'not hex' };
    try {
      const { status, text } = await raw(nodeServer.port, { path: '/get_blockchain_state' });
      expect(status).toBe(200);
      expect(JSON.parse(text)).toMatchObject({ success: false, error: expect.stringContaining('node_id') });
    } finally {
      node.state = previous;
    }
  });

  it('refuses other methods than POST on an endpoint', async () => {
    const { status } = await raw(walletServer.port, { method: 'GET', path: '/get_height_info', body: '' });
    expect(status).toBe(405);
  });

  it('refuses a client without a certificate before any request is handled', async () => {
    const calls = wallet.calls.length;
    await expect(raw(walletServer.port, { path: '/get_height_info', withCert: false })).rejects.toThrow();
    expect(wallet.calls.length).toBe(calls);
  });

  it('refuses a client whose certificate another CA signed, and the client sees a TLS failure', async () => {
    const foreign = issueServiceCertificate(createCertificateAuthority());
    const calls = node.calls.length;
    await expect(raw(nodeServer.port, { path: '/get_blockchain_state', ...foreign })).rejects.toThrow();

    const ownMaterial = loadTlsMaterial(chiaRootTlsPaths({ service: 'full_node', chiaRoot }));
    const client = new FullNodeRpcClient(
      new ChiaRpcConnection({
        host: '127.0.0.1',
        port: nodeServer.port,
        maxAttempts: 1,
        tls: { ...ownMaterial, ...foreign },
      }),
    );
    const error = await client.getBlockchainState().catch((e: unknown) => e);
    client.close();
    expect(error).toBeInstanceOf(ChiaRpcError);
    expect((error as ChiaRpcError).isTransportFailure).toBe(true);
    expect(node.calls.length).toBe(calls);
  });

  it('is not trusted by a client that trusts another CA', async () => {
    const ownMaterial = loadTlsMaterial(chiaRootTlsPaths({ service: 'full_node', chiaRoot }));
    const client = new FullNodeRpcClient(
      new ChiaRpcConnection({
        host: '127.0.0.1',
        port: nodeServer.port,
        maxAttempts: 1,
        tls: { ...ownMaterial, ca: createCertificateAuthority().cert },
      }),
    );
    const error = await client.getBlockchainState().catch((e: unknown) => e);
    client.close();
    expect(error).toMatchObject({ kind: 'tls', endpoint: 'get_blockchain_state' });
  });

  it("accepts the service's own certificate as the client identity too", async () => {
    const client = FullNodeRpcClient.fromChiaRoot({
      ...clientOptions(nodeServer.port),
      tls: { chiaRoot, clientIdentity: 'service' },
    });
    expect((await client.getNetworkInfo()).networkName).toBe('devnet');
    client.close();
  });
});

describe('start', () => {
  it('names the missing file when the CHIA_ROOT has no certificates', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'devnet-empty-'));
    try {
      await expect(startFullNodeRpcServer(new FakeFullNode(), { chiaRoot: empty })).rejects.toThrow(
        join(empty, 'config/ssl/ca/private_ca.crt'),
      );
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('reports a port already in use', async () => {
    await expect(startWalletRpcServer(new FakeWallet(), { chiaRoot, port: walletServer.port })).rejects.toThrow(
      /EADDRINUSE/,
    );
  });
});

describe('close()', () => {
  it('frees the port even with a keep-alive client connected, and later calls fail to connect', async () => {
    const server = await startWalletRpcServer(new FakeWallet(), { chiaRoot });
    const client = WalletRpcClient.fromChiaRoot(clientOptions(server.port));
    expect(await client.getHeightInfo()).toBe(4_294_967_295);
    await server.close();
    await server.close(); // a second close is harmless
    const error = await client.getHeightInfo().catch((e: unknown) => e);
    client.close();
    expect(error).toMatchObject({ kind: 'connection' });
  });
});
