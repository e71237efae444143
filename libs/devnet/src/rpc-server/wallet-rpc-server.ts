import {
  type CreateSignedTransactionRequest,
  type JsonReader,
  type PaymentAddition,
  readCoin,
  type SendTransactionMultiRequest,
  type TxConfig,
  type WalletRpc,
} from '@pool/chia';
import { type RpcRoutes, type RpcServerOptions, type RunningRpcServer, startChiaRpcServer } from './chia-rpc-server';
import {
  definedFields,
  hash32,
  hash32List,
  optionalBool,
  optionalStrings,
  optionalUint32,
  optionalUint64,
  uint64List,
} from './request-fields';
import { ChiaRpcServiceError } from './rpc-service-error';
import { transactionRecordToJson, walletBalanceToJson } from './wallet-json-writers';
import { wireHex as toWireHex } from '@pool/chia';

/**
 * Serves any WalletRpc (the devnet simulator, a test fake) as a Chia wallet's RPC service, so the pool reaches
 * it through its real WalletRpcClient.
 */
export function startWalletRpcServer(impl: WalletRpc, options: RpcServerOptions): Promise<RunningRpcServer> {
  return startChiaRpcServer('wallet', walletRoutes(impl), options);
}

export function walletRoutes(impl: WalletRpc): RpcRoutes {
  return {
    log_in: async (r) => ({ fingerprint: await impl.logIn(r.uint32('fingerprint')) }),

    // Chia answers null when no key is logged in (GetLoggedInFingerprintResponse.fingerprint is optional).
    get_logged_in_fingerprint: async () => ({ fingerprint: await impl.getLoggedInFingerprint() }),

    get_sync_status: async () => {
      const status = await impl.getSyncStatus();
      return { synced: status.synced, syncing: status.syncing, genesis_initialized: status.genesisInitialized };
    },

    get_height_info: async () => ({ height: await impl.getHeightInfo() }),

    get_wallet_balance: async (r) => ({
      wallet_balance: walletBalanceToJson(await impl.getWalletBalance(r.uint32('wallet_id'))),
    }),

    send_transaction_multi: async (r) => {
      const result = await impl.sendTransactionMulti(sendTransactionMultiRequest(r));
      return {
        transaction: transactionRecordToJson(result.transaction),
        transaction_id: toWireHex(result.transactionId, 'transaction_id', 32),
        transactions: result.transactions.map(transactionRecordToJson),
        // Newer wallets list what they would have signed; the devnet signs everything itself.
        unsigned_transactions: [],
      };
    },

    get_transaction: async (r) => {
      const transactionId = hash32(r, 'transaction_id');
      const transaction = await impl.getTransaction(transactionId);
      if (transaction === null) {
        throw new ChiaRpcServiceError(`Transaction 0x${transactionId} not found`, 'TRANSACTION_NOT_FOUND');
      }
      return { transaction: transactionRecordToJson(transaction), transaction_id: `0x${transactionId}` };
    },

    create_signed_transaction: async (r) => {
      const result = await impl.createSignedTransaction(createSignedTransactionRequest(r));
      const signed = result.signedTxs.map(transactionRecordToJson);
      return {
        signed_txs: signed,
        // Older clients read the single `signed_tx`; Chia sends both.
        signed_tx: signed.length > 0 ? signed[0] : null,
        transactions: result.transactions.map(transactionRecordToJson),
      };
    },
  };
}

function sendTransactionMultiRequest(r: JsonReader): SendTransactionMultiRequest {
  return definedFields({
    walletId: r.uint32('wallet_id'),
    additions: r.objects('additions', readAddition),
    fee: optionalUint64(r, 'fee') ?? 0n,
    coins: r.has('coins') ? r.objects('coins', readCoin) : undefined,
    push: optionalBool(r, 'push'),
    txConfig: readTxConfig(r),
  });
}

function createSignedTransactionRequest(r: JsonReader): CreateSignedTransactionRequest {
  return definedFields({
    walletId: optionalUint32(r, 'wallet_id'),
    additions: r.objects('additions', readAddition),
    fee: optionalUint64(r, 'fee') ?? 0n,
    coins: r.has('coins') ? r.objects('coins', readCoin) : undefined,
    push: optionalBool(r, 'push'),
    // Passed through untouched: the implementation reads Chia's condition JSON itself.
    extraConditions: r.has('extra_conditions') ? r.array('extra_conditions', (item) => item) : undefined,
    txConfig: readTxConfig(r),
  });
}

function readAddition(r: JsonReader): PaymentAddition {
  return definedFields({
    puzzleHash: hash32(r, 'puzzle_hash'),
    amount: r.uint64('amount'),
    memos: optionalStrings(r, 'memos'),
  });
}

/** Chia's TXConfig fields sit at the top level of the request; undefined when none is given. */
function readTxConfig(r: JsonReader): TxConfig | undefined {
  const config: TxConfig = definedFields({
    minCoinAmount: optionalUint64(r, 'min_coin_amount'),
    maxCoinAmount: optionalUint64(r, 'max_coin_amount'),
    excludedCoinAmounts: r.has('excluded_coin_amounts') ? uint64List(r, 'excluded_coin_amounts') : undefined,
    excludedCoinIds: r.has('excluded_coin_ids') ? hash32List(r, 'excluded_coin_ids') : undefined,
    reusePuzhash: optionalBool(r, 'reuse_puzhash'),
  });
  return Object.keys(config).length === 0 ? undefined : config;
}
