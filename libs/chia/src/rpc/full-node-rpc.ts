import {
  readBlockRecord,
  readCoinRecord,
  readCoinSpend,
  readEndOfSubSlotBundle,
  readSignagePoint,
  spendBundleToJson,
} from './chain-json';
import {
  type BlockRecord,
  type CoinRecord,
  type CoinSpend,
  type Hex,
  type SignagePoint,
  type SpendBundle,
} from '../chain/chain-types';
import { type EndOfSubSlotBundle } from '../streamable/chain-objects';
import { isNotFoundRpcError } from './chia-rpc-error';
import { type ChiaRootTlsOptions, chiaRootTlsPaths, DEFAULT_RPC_PORTS, loadTlsMaterial } from './chia-tls';
import { JsonShapeError, type JsonReader } from './json-reader';
import { hash32Argument, hashListArgument, uint32Argument, uint64Argument } from './rpc-arguments';
import { ChiaRpcConnection, type ChiaRpcConnectionOptions } from './rpc-connection';

export interface SyncState {
  syncMode: boolean;
  synced: boolean;
  syncTipHeight: number;
  syncProgressHeight: number;
}

export interface BlockchainState {
  peak: BlockRecord | null;
  genesisChallengeInitialized: boolean;
  sync: SyncState;
  difficulty: bigint;
  subSlotIters: bigint;
  /** Estimated network space in bytes (uint128). */
  space: bigint;
  // The rest is informational and missing from older nodes or simulators: null when absent.
  averageBlockTime: number | null;
  mempoolSize: number | null;
  mempoolCost: bigint | null;
  mempoolFees: bigint | null;
  mempoolMaxTotalCost: bigint | null;
  blockMaxCost: bigint | null;
  nodeId: Hex | null;
}

export interface NetworkInfo {
  networkName: string;
  networkPrefix: string;
  /** Sent by newer nodes only. */
  genesisChallenge: Hex | null;
}

/** Look up a signage point by its hash, or an end of sub-slot by its challenge-chain sub-slot hash. */
export type SignagePointOrEosQuery = { spHash: Hex } | { challengeHash: Hex };

interface RecentCommon {
  /** Unix seconds (float) when the node first saw it. */
  timeReceived: number;
  /** The node saw it but it is no longer part of the chain from its current peak. */
  reverted: boolean;
}
/** `kind` is ours (Chia tells the two apart by which key is present). */
export type RecentSignagePointOrEos =
  | ({ kind: 'signage_point'; signagePoint: SignagePoint } & RecentCommon)
  | ({ kind: 'eos'; eos: EndOfSubSlotBundle } & RecentCommon);

export interface CoinRecordQuery {
  /** Default false (the node's default). */
  includeSpentCoins?: boolean;
  startHeight?: number;
  endHeight?: number;
}

export interface PushTxResult {
  /** `SUCCESS` (in the mempool, also when it already was) or `PENDING` (waiting, e.g. for a conflicting spend). */
  status: string;
}

/**
 * Spend kinds get_fee_estimate prices by a fixed cost instead of a bundle (the node's own table, a stopgap it keeps
 * until wallets can price their bundles exactly; full_node_rpc_api.py `_get_spendbundle_type_cost`).
 */
export type FeeEstimateSpendType =
  | 'send_xch_transaction'
  | 'cat_spend'
  | 'take_offer'
  | 'cancel_offer'
  | 'nft_set_nft_did'
  | 'nft_transfer_nft'
  | 'create_new_pool_wallet'
  | 'pw_absorb_rewards'
  | 'create_new_did_wallet';

/**
 * A get_fee_estimate request: the confirmation times asked about (seconds from now) and exactly one way to say how
 * much CLVM cost the transaction has: a cost, a spend bundle the node runs, or a spend kind (times `spendCount`).
 */
export type FeeEstimateRequest = { targetTimes: number[] } & (
  | { cost: bigint }
  | { spendBundle: SpendBundle }
  | { spendType: FeeEstimateSpendType; spendCount?: number }
);

/** The node's answer to get_fee_estimate (Chia's field names in camelCase; fees in mojos, costs in CLVM cost). */
export interface FeeEstimate {
  /** Fee (mojos) for the asked cost to be included within each target time; never more for a later time. */
  estimates: bigint[];
  /** The target times the estimates are for, in ascending order (the node sorts them). */
  targetTimes: number[];
  /** Mojos per unit of cost needed to be included at once. */
  currentFeeRate: number;
  /** Total cost of the transactions in the mempool. */
  mempoolSize: bigint;
  mempoolFees: bigint;
  /** Transactions (mempool items) in the mempool. */
  numSpends: number;
  /** The most cost the mempool holds. */
  mempoolMaxSize: bigint;
  fullNodeSynced: boolean;
  peakHeight: number;
  lastPeakTimestamp: number;
  nodeTimeUtc: number;
  lastBlockCost: bigint;
  feesLastBlock: bigint;
  feeRateLastBlock: number;
  lastTxBlockHeight: number;
}

export interface AdditionsAndRemovals {
  additions: CoinRecord[];
  removals: CoinRecord[];
}

/**
 * The full-node side of the chain port: the calls a pool makes to its node. Implemented by
 * FullNodeRpcClient over HTTPS and by simulators in tests.
 */
export interface FullNodeRpc {
  getBlockchainState(): Promise<BlockchainState>;
  getNetworkInfo(): Promise<NetworkInfo>;
  /** null when the node no longer (or never) had it in its cache. */
  getRecentSignagePointOrEos(query: SignagePointOrEosQuery): Promise<RecentSignagePointOrEos | null>;
  /** null when the height is above the peak. */
  getBlockRecordByHeight(height: number): Promise<BlockRecord | null>;
  /** null when the node does not know the block. */
  getBlockRecord(headerHash: Hex): Promise<BlockRecord | null>;
  /** null when the coin does not exist (yet). */
  getCoinRecordByName(name: Hex): Promise<CoinRecord | null>;
  getCoinRecordsByNames(names: Hex[], query?: CoinRecordQuery): Promise<CoinRecord[]>;
  getCoinRecordsByPuzzleHash(puzzleHash: Hex, query?: CoinRecordQuery): Promise<CoinRecord[]>;
  getCoinRecordsByPuzzleHashes(puzzleHashes: Hex[], query?: CoinRecordQuery): Promise<CoinRecord[]>;
  getCoinRecordsByParentIds(parentIds: Hex[], query?: CoinRecordQuery): Promise<CoinRecord[]>;
  /** The spend of a coin spent at `height` (its `spentBlockIndex`); throws when it was not spent there. */
  getPuzzleAndSolution(coinId: Hex, height: number): Promise<CoinSpend>;
  /** Not retried on a transport failure; see RpcCallOptions.idempotent. */
  pushTx(spendBundle: SpendBundle): Promise<PushTxResult>;
  getAdditionsAndRemovals(headerHash: Hex): Promise<AdditionsAndRemovals>;
  /** What fee a transaction of the asked cost needs to be included within each target time, from the mempool. */
  getFeeEstimate(request: FeeEstimateRequest): Promise<FeeEstimate>;
}

export interface FullNodeRpcFromChiaRootOptions extends Omit<ChiaRpcConnectionOptions, 'host' | 'port' | 'tls'> {
  /** Default `localhost` (Chia's `self_hostname`). */
  host?: string;
  /** Default 8555. */
  port?: number;
  tls?: Omit<ChiaRootTlsOptions, 'service'>;
}

export class FullNodeRpcClient implements FullNodeRpc {
  constructor(private readonly connection: ChiaRpcConnection) {}

  /** A client using the certificates of a CHIA_ROOT (see chiaRootTlsPaths for the layout and overrides). */
  static fromChiaRoot(options: FullNodeRpcFromChiaRootOptions = {}): FullNodeRpcClient {
    const { host, port, tls, ...connection } = options;
    return new FullNodeRpcClient(
      new ChiaRpcConnection({
        ...connection,
        host: host ?? 'localhost',
        port: port ?? DEFAULT_RPC_PORTS.full_node,
        tls: loadTlsMaterial(chiaRootTlsPaths({ ...tls, service: 'full_node' })),
      }),
    );
  }

  close(): void {
    this.connection.close();
  }

  getBlockchainState(): Promise<BlockchainState> {
    return this.read('get_blockchain_state', {}, (r) => readBlockchainState(r.child('blockchain_state')));
  }

  getNetworkInfo(): Promise<NetworkInfo> {
    return this.read('get_network_info', {}, (r) => ({
      networkName: r.string('network_name'),
      networkPrefix: r.string('network_prefix'),
      genesisChallenge: r.optional('genesis_challenge', (x, k) => x.bytes32(k)),
    }));
  }

  async getRecentSignagePointOrEos(query: SignagePointOrEosQuery): Promise<RecentSignagePointOrEos | null> {
    const body =
      'spHash' in query
        ? { sp_hash: hash32Argument(query.spHash, 'sp_hash') }
        : { challenge_hash: hash32Argument(query.challengeHash, 'challenge_hash') };
    return this.orNullWhenMissing(
      this.read('get_recent_signage_point_or_eos', body, readRecentSignagePointOrEos),
      ['SP_NOT_IN_CACHE', 'EOS_NOT_IN_CACHE'],
      /not find|not found|in cache/i,
    );
  }

  getBlockRecordByHeight(height: number): Promise<BlockRecord | null> {
    const body = { height: uint32Argument(height, 'height') };
    return this.orNullWhenMissing(
      this.read('get_block_record_by_height', body, (r) => readBlockRecord(r.child('block_record'))),
      ['BLOCK_HEIGHT_NOT_FOUND'],
      /not found|not in blockchain/i,
    );
  }

  getBlockRecord(headerHash: Hex): Promise<BlockRecord | null> {
    const body = { header_hash: hash32Argument(headerHash, 'header_hash') };
    return this.orNullWhenMissing(
      this.read('get_block_record', body, (r) => readBlockRecord(r.child('block_record'))),
      ['BLOCK_NOT_FOUND'],
      /not found/i,
    );
  }

  getCoinRecordByName(name: Hex): Promise<CoinRecord | null> {
    const body = { name: hash32Argument(name, 'name') };
    return this.orNullWhenMissing(
      this.read('get_coin_record_by_name', body, (r) => readCoinRecord(r.child('coin_record'))),
      ['COIN_RECORD_NOT_FOUND'],
      /not found/i,
    );
  }

  getCoinRecordsByNames(names: Hex[], query: CoinRecordQuery = {}): Promise<CoinRecord[]> {
    const body = { names: hashListArgument(names, 'names') };
    return this.coinRecords('get_coin_records_by_names', body, query);
  }

  getCoinRecordsByPuzzleHash(puzzleHash: Hex, query: CoinRecordQuery = {}): Promise<CoinRecord[]> {
    const body = { puzzle_hash: hash32Argument(puzzleHash, 'puzzle_hash') };
    return this.coinRecords('get_coin_records_by_puzzle_hash', body, query);
  }

  getCoinRecordsByPuzzleHashes(puzzleHashes: Hex[], query: CoinRecordQuery = {}): Promise<CoinRecord[]> {
    const body = { puzzle_hashes: hashListArgument(puzzleHashes, 'puzzle_hashes') };
    return this.coinRecords('get_coin_records_by_puzzle_hashes', body, query);
  }

  getCoinRecordsByParentIds(parentIds: Hex[], query: CoinRecordQuery = {}): Promise<CoinRecord[]> {
    const body = { parent_ids: hashListArgument(parentIds, 'parent_ids') };
    return this.coinRecords('get_coin_records_by_parent_ids', body, query);
  }

  getPuzzleAndSolution(coinId: Hex, height: number): Promise<CoinSpend> {
    const body = { coin_id: hash32Argument(coinId, 'coin_id'), height: uint32Argument(height, 'height') };
    return this.read('get_puzzle_and_solution', body, (r) =>
      // `coin_solution` is the legacy name the node still uses for the CoinSpend.
      readCoinSpend(r.child(r.has('coin_solution') ? 'coin_solution' : 'coin_spend')),
    );
  }

  pushTx(spendBundle: SpendBundle): Promise<PushTxResult> {
    const body = { spend_bundle: spendBundleToJson(spendBundle) };
    return this.connection.callTyped('push_tx', body, { idempotent: false }, (r) => ({ status: r.string('status') }));
  }

  getAdditionsAndRemovals(headerHash: Hex): Promise<AdditionsAndRemovals> {
    const body = { header_hash: hash32Argument(headerHash, 'header_hash') };
    return this.read('get_additions_and_removals', body, (r) => ({
      additions: r.objects('additions', readCoinRecord),
      removals: r.objects('removals', readCoinRecord),
    }));
  }

  getFeeEstimate(request: FeeEstimateRequest): Promise<FeeEstimate> {
    return this.read('get_fee_estimate', feeEstimateRequestToJson(request), readFeeEstimate);
  }

  private read<T>(endpoint: string, body: object, decode: (r: JsonReader) => T): Promise<T> {
    return this.connection.callTyped(endpoint, body, { idempotent: true }, decode);
  }

  private coinRecords(endpoint: string, body: object, query: CoinRecordQuery): Promise<CoinRecord[]> {
    const fullBody = { ...body, ...coinRecordQueryToJson(query) };
    return this.read(endpoint, fullBody, (r) => r.objects('coin_records', readCoinRecord));
  }

  private async orNullWhenMissing<T>(call: Promise<T>, codes: readonly string[], text: RegExp): Promise<T | null> {
    try {
      return await call;
    } catch (error) {
      if (isNotFoundRpcError(error, codes, text)) return null;
      throw error;
    }
  }
}

export function readBlockchainState(r: JsonReader): BlockchainState {
  const sync = r.child('sync');
  return {
    peak: r.optional('peak', (x, k) => readBlockRecord(x.child(k))),
    genesisChallengeInitialized: r.bool('genesis_challenge_initialized'),
    sync: {
      syncMode: sync.bool('sync_mode'),
      synced: sync.bool('synced'),
      syncTipHeight: sync.uint32('sync_tip_height'),
      syncProgressHeight: sync.uint32('sync_progress_height'),
    },
    difficulty: r.uint64('difficulty'),
    subSlotIters: r.uint64('sub_slot_iters'),
    space: r.uint128('space'),
    averageBlockTime: r.optional('average_block_time', (x, k) => x.float(k)),
    mempoolSize: r.optional('mempool_size', (x, k) => x.safeUint(k)),
    mempoolCost: r.optional('mempool_cost', (x, k) => x.uint64(k)),
    mempoolFees: r.optional('mempool_fees', (x, k) => x.uint64(k)),
    mempoolMaxTotalCost: r.optional('mempool_max_total_cost', (x, k) => x.uint64(k)),
    blockMaxCost: r.optional('block_max_cost', (x, k) => x.uint64(k)),
    nodeId: r.optional('node_id', (x, k) => x.hex(k)),
  };
}

export function readRecentSignagePointOrEos(r: JsonReader): RecentSignagePointOrEos {
  const common: RecentCommon = { timeReceived: r.float('time_received'), reverted: r.bool('reverted') };
  if (r.has('signage_point')) {
    return { kind: 'signage_point', signagePoint: readSignagePoint(r.child('signage_point')), ...common };
  }
  return { kind: 'eos', eos: readEndOfSubSlotBundle(r.child('eos')), ...common };
}

/** A get_fee_estimate request as the node reads it (exactly one of cost, spend_bundle, spend_type). */
export function feeEstimateRequestToJson(request: FeeEstimateRequest): object {
  const targetTimes = request.targetTimes.map((t, i) => {
    if (!Number.isSafeInteger(t) || t < 0) throw new RangeError(`target_times[${i}] must be a non-negative integer of seconds, got ${t}`);
    return t;
  });
  if ('cost' in request) return { target_times: targetTimes, cost: uint64Argument(request.cost, 'cost') };
  if ('spendBundle' in request) return { target_times: targetTimes, spend_bundle: spendBundleToJson(request.spendBundle) };
  return { target_times: targetTimes, spend_type: request.spendType, spend_count: request.spendCount };
}

export function readFeeEstimate(r: JsonReader): FeeEstimate {
  return {
    estimates: r.array('estimates', (item, path) => {
      if (typeof item === 'bigint' && item >= 0n) return item;
      if (typeof item === 'number' && Number.isSafeInteger(item) && item >= 0) return BigInt(item);
      throw new JsonShapeError(path, 'a uint64', item);
    }),
    targetTimes: r.array('target_times', (item, path) => {
      const value = typeof item === 'bigint' ? Number(item) : item;
      if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw new JsonShapeError(path, 'a non-negative integer', item);
      return value;
    }),
    currentFeeRate: r.float('current_fee_rate'),
    mempoolSize: r.uint64('mempool_size'),
    mempoolFees: r.uint64('mempool_fees'),
    numSpends: r.safeUint('num_spends'),
    mempoolMaxSize: r.uint64('mempool_max_size'),
    fullNodeSynced: r.bool('full_node_synced'),
    peakHeight: r.uint32('peak_height'),
    lastPeakTimestamp: r.safeUint('last_peak_timestamp'),
    nodeTimeUtc: r.safeUint('node_time_utc'),
    lastBlockCost: r.uint64('last_block_cost'),
    feesLastBlock: r.uint64('fees_last_block'),
    feeRateLastBlock: r.float('fee_rate_last_block'),
    lastTxBlockHeight: r.uint32('last_tx_block_height'),
  };
}

function coinRecordQueryToJson(query: CoinRecordQuery): object {
  return {
    include_spent_coins: query.includeSpentCoins,
    start_height: query.startHeight === undefined ? undefined : uint32Argument(query.startHeight, 'start_height'),
    end_height: query.endHeight === undefined ? undefined : uint32Argument(query.endHeight, 'end_height'),
  };
}
