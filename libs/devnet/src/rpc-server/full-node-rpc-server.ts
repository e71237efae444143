import {
  coinSpendToJson,
  type FeeEstimate,
  type FeeEstimateRequest,
  type FeeEstimateSpendType,
  type FullNodeRpc,
  JsonShapeError,
  type JsonObject,
  type JsonReader,
  readSpendBundle,
  type SignagePointOrEosQuery,
} from '@pool/chia';
import {
  additionsAndRemovalsToJson,
  blockchainStateToJson,
  blockRecordToJson,
  coinRecordToJson,
  networkInfoToJson,
  recentSignagePointOrEosToJson,
} from './chain-json-writers';
import { type RpcRoutes, type RpcServerOptions, type RunningRpcServer, startChiaRpcServer } from './chia-rpc-server';
import { coinRecordQuery, hash32, hash32List } from './request-fields';
import { ChiaRpcServiceError } from './rpc-service-error';

/**
 * Serves any FullNodeRpc (the devnet simulator, a test fake) as a Chia full node's RPC service, so the pool
 * reaches it through its real FullNodeRpcClient. Where the interface answers null ("not found"), the node
 * answers `success: false` with the text and structured code a real node sends and the client turns back
 * into null.
 */
export function startFullNodeRpcServer(impl: FullNodeRpc, options: RpcServerOptions): Promise<RunningRpcServer> {
  return startChiaRpcServer('full_node', fullNodeRoutes(impl), options);
}

export function fullNodeRoutes(impl: FullNodeRpc): RpcRoutes {
  return {
    get_blockchain_state: async () => ({ blockchain_state: blockchainStateToJson(await impl.getBlockchainState()) }),

    get_network_info: async () => networkInfoToJson(await impl.getNetworkInfo()),

    get_recent_signage_point_or_eos: async (r) => {
      const query = signagePointOrEosQuery(r);
      const recent = await impl.getRecentSignagePointOrEos(query);
      if (recent !== null) return recentSignagePointOrEosToJson(recent);
      throw 'spHash' in query
        ? new ChiaRpcServiceError(`Did not find sp 0x${query.spHash} in cache`, 'SP_NOT_IN_CACHE')
        : new ChiaRpcServiceError(`Did not find eos 0x${query.challengeHash} in cache`, 'EOS_NOT_IN_CACHE');
    },

    get_block_record_by_height: async (r) => {
      const height = r.uint32('height');
      const block = await impl.getBlockRecordByHeight(height);
      if (block === null) {
        throw new ChiaRpcServiceError(`Block height ${height} not found in chain`, 'BLOCK_HEIGHT_NOT_FOUND');
      }
      return { block_record: blockRecordToJson(block) };
    },

    get_block_record: async (r) => {
      const headerHash = hash32(r, 'header_hash');
      const block = await impl.getBlockRecord(headerHash);
      if (block === null) throw new ChiaRpcServiceError(`Block 0x${headerHash} not found`, 'BLOCK_NOT_FOUND');
      return { block_record: blockRecordToJson(block) };
    },

    get_coin_record_by_name: async (r) => {
      const name = hash32(r, 'name');
      const record = await impl.getCoinRecordByName(name);
      if (record === null) {
        throw new ChiaRpcServiceError(`Coin record 0x${name} not found`, 'COIN_RECORD_NOT_FOUND');
      }
      return { coin_record: coinRecordToJson(record) };
    },

    get_coin_records_by_names: async (r) =>
      coinRecords(await impl.getCoinRecordsByNames(hash32List(r, 'names'), coinRecordQuery(r))),

    get_coin_records_by_puzzle_hash: async (r) =>
      coinRecords(await impl.getCoinRecordsByPuzzleHash(hash32(r, 'puzzle_hash'), coinRecordQuery(r))),

    get_coin_records_by_puzzle_hashes: async (r) =>
      coinRecords(await impl.getCoinRecordsByPuzzleHashes(hash32List(r, 'puzzle_hashes'), coinRecordQuery(r))),

    get_coin_records_by_parent_ids: async (r) =>
      coinRecords(await impl.getCoinRecordsByParentIds(hash32List(r, 'parent_ids'), coinRecordQuery(r))),

    get_puzzle_and_solution: async (r) => {
      const spend = await impl.getPuzzleAndSolution(hash32(r, 'coin_id'), r.uint32('height'));
      // Chia still names the CoinSpend by its old name here.
      return { coin_solution: coinSpendToJson(spend) };
    },

    push_tx: async (r) => {
      const result = await impl.pushTx(readSpendBundle(r.child('spend_bundle')));
      return { status: result.status };
    },

    get_additions_and_removals: async (r) =>
      additionsAndRemovalsToJson(await impl.getAdditionsAndRemovals(hash32(r, 'header_hash'))),

    get_fee_estimate: async (r) => feeEstimateToJson(await impl.getFeeEstimate(feeEstimateRequest(r))),
  };
}

/** Chia's checks in its own order: target_times first, then exactly one of spend_bundle, cost and spend_type. */
function feeEstimateRequest(r: JsonReader): FeeEstimateRequest {
  if (!r.has('target_times')) throw new ChiaRpcServiceError("Request must contain 'target_times' array", 'TARGET_TIMES_REQUIRED');
  const targetTimes = r.array('target_times', (item, path) => {
    const value = typeof item === 'bigint' ? Number(item) : item;
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new JsonShapeError(path, 'an integer', item);
    if (value < 0) throw new ChiaRpcServiceError("'target_times' array members must be non-negative", 'TARGET_TIMES_NON_NEGATIVE');
    return value;
  });
  const options = ['spend_bundle', 'cost', 'spend_type'];
  if (options.filter((key) => r.has(key)).length !== 1) {
    throw new ChiaRpcServiceError(`Request must contain exactly one of ${JSON.stringify(options)}`, 'REQUEST_MUST_CONTAIN_EXACTLY_ONE', { options });
  }
  if (r.has('spend_bundle')) return { targetTimes, spendBundle: readSpendBundle(r.child('spend_bundle')) };
  if (r.has('cost')) return { targetTimes, cost: r.uint64('cost') };
  return { targetTimes, spendType: r.string('spend_type') as FeeEstimateSpendType, ...(r.has('spend_count') ? { spendCount: r.safeUint('spend_count') } : {}) };
}

function feeEstimateToJson(estimate: FeeEstimate): JsonObject {
  return {
    estimates: estimate.estimates,
    target_times: estimate.targetTimes,
    current_fee_rate: estimate.currentFeeRate,
    mempool_size: estimate.mempoolSize,
    mempool_fees: estimate.mempoolFees,
    num_spends: estimate.numSpends,
    mempool_max_size: estimate.mempoolMaxSize,
    full_node_synced: estimate.fullNodeSynced,
    peak_height: estimate.peakHeight,
    last_peak_timestamp: estimate.lastPeakTimestamp,
    node_time_utc: estimate.nodeTimeUtc,
    last_block_cost: estimate.lastBlockCost,
    fees_last_block: estimate.feesLastBlock,
    fee_rate_last_block: estimate.feeRateLastBlock,
    last_tx_block_height: estimate.lastTxBlockHeight,
  };
}

function signagePointOrEosQuery(r: JsonReader): SignagePointOrEosQuery {
  const hasSp = r.has('sp_hash');
  const hasChallenge = r.has('challenge_hash');
  if (hasSp === hasChallenge) {
    throw new ChiaRpcServiceError('Exactly one of sp_hash and challenge_hash must be given');
  }
  return hasSp ? { spHash: hash32(r, 'sp_hash') } : { challengeHash: hash32(r, 'challenge_hash') };
}

function coinRecords(records: Parameters<typeof coinRecordToJson>[0][]): JsonObject {
  return { coin_records: records.map(coinRecordToJson) };
}
