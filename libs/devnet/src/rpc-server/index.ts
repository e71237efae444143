/**
 * The devnet's Chia RPC services: any FullNodeRpc / WalletRpc served over mutual-TLS HTTPS with Chia's JSON,
 * so the pool reaches a simulated chain through its real RPC clients.
 */
export {
  additionsAndRemovalsToJson,
  blockchainStateToJson,
  blockRecordToJson,
  challengeChainSubSlotToJson,
  classgroupElementToJson,
  coinRecordToJson,
  endOfSubSlotBundleToJson,
  networkInfoToJson,
  recentSignagePointOrEosToJson,
  signagePointToJson,
  subEpochSummaryToJson,
  vdfInfoToJson,
  vdfProofToJson,
} from './chain-json-writers';
export {
  type RpcHandler,
  type RpcRoutes,
  type RpcServerErrorEvent,
  type RpcServerOptions,
  type RunningRpcServer,
  startChiaRpcServer,
} from './chia-rpc-server';
export { fullNodeRoutes, startFullNodeRpcServer } from './full-node-rpc-server';
export { ChiaRpcServiceError, errorAnswer } from './rpc-service-error';
export { transactionRecordToJson, walletBalanceToJson } from './wallet-json-writers';
export { startWalletRpcServer, walletRoutes } from './wallet-rpc-server';
