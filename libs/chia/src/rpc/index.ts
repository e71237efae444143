/**
 * Full node and wallet RPC client: mutual TLS, bigint-exact JSON, typed results and the chain port interfaces.
 * Results are the shared chain types of ../chain (camelCase, hex without `0x`); snake_case and `0x` stay on
 * the wire.
 */
export {
  coinSpendToJson,
  coinToJson,
  readBlockRecord,
  readChallengeChainSubSlot,
  readCoin,
  readCoinRecord,
  readCoinSpend,
  readEndOfSubSlotBundle,
  readSignagePoint,
  readSpendBundle,
  spendBundleToJson,
} from './chain-json';
export {
  ChiaRpcError,
  type ChiaRpcErrorDetails,
  type ChiaRpcFailureKind,
  type ChiaStructuredError,
  isNotFoundRpcError,
} from './chia-rpc-error';
export {
  type ChiaClientIdentity,
  type ChiaRootTlsOptions,
  type ChiaRpcService,
  type ChiaTlsMaterial,
  type ChiaTlsPaths,
  chiaRootTlsPaths,
  DEFAULT_RPC_PORTS,
  defaultChiaRoot,
  loadTlsMaterial,
} from './chia-tls';
export {
  type AdditionsAndRemovals,
  type BlockchainState,
  type CoinRecordQuery,
  type FeeEstimate,
  type FeeEstimateRequest,
  type FeeEstimateSpendType,
  type FullNodeRpc,
  FullNodeRpcClient,
  type FullNodeRpcFromChiaRootOptions,
  type NetworkInfo,
  type PushTxResult,
  type RecentSignagePointOrEos,
  type SignagePointOrEosQuery,
  type SyncState,
} from './full-node-rpc';
export { JsonReader, JsonShapeError, normalizeHex as fromWireHex, wireHex } from './json-reader';
export {
  ChiaRpcConnection,
  type ChiaRpcConnectionOptions,
  type RpcCallOptions,
  type RpcRetryEvent,
} from './rpc-connection';
export {
  type CreateSignedTransactionRequest,
  type CreateSignedTransactionResult,
  type PaymentAddition,
  type SendTransactionMultiRequest,
  type SendTransactionResult,
  type SentToPeer,
  type TransactionRecord,
  type TxConfig,
  type WalletBalance,
  type WalletRpc,
  WalletRpcClient,
  type WalletRpcFromChiaRootOptions,
  type WalletSyncStatus,
} from './wallet-rpc';
// The JSON readers of the RPC results, for servers that must answer in the same shapes (the devnet's).
export { feeEstimateRequestToJson, readBlockchainState, readFeeEstimate, readRecentSignagePointOrEos } from './full-node-rpc';
export { readTransactionRecord, readWalletBalance } from './wallet-rpc';
