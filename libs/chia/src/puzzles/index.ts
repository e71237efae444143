/**
 * Chia pool puzzles: v1 plot NFT puzzles (p2_singleton_or_delayed_puzhash, pool member / waiting-room inner
 * puzzles, the singleton), PoolState, decoding plot NFT spends, building absorb spends, and the v2
 * RewardPuzzle hash. Hex in (with or without 0x), lowercase hex without 0x out; amounts are bigint mojos.
 * Coins and coin spends are the shared types of ../chain; their RPC JSON form is read and written in ../rpc.
 */
export { clvmIntBytes, normalizeHex, parseHex } from './bytes-hex';
export { type ClvmRunOptions, runProgram } from './clvm-run';
export { type CoinMemoNode, coinWithMemos, type CreatedCoin, createdCoinsOfSpend } from './created-coins';
export {
  calculatePoolReward,
  coinId,
  farmerParentId,
  normalizeCoin,
  poolParentId,
  poolRewardHeight,
  poolRewardPrefix,
} from './coin-id';
export { atomTreeHash, curryTreeHash, intTreeHash, pairTreeHash, singletonStructTreeHash } from './curry-tree-hash';
export { p2SingletonOrDelayedPuzzle, p2SingletonOrDelayedPuzzleHash } from './p2-singleton-puzzle';
export {
  type InnerPuzzleState,
  type PlotNftIdentity,
  type PoolInnerPuzzleKind,
  innerPuzzleKindForState,
  memberInnerPuzzle,
  memberInnerPuzzleHash,
  poolSingletonPuzzle,
  poolSingletonPuzzleHash,
  poolStateToInnerPuzzle,
  poolStateToInnerPuzzleHash,
  poolStateToSingletonPuzzleHash,
  singletonStruct,
  waitingRoomInnerPuzzle,
  waitingRoomInnerPuzzleHash,
} from './pool-singleton-puzzles';
export {
  type PoolSingletonStateValue,
  type PoolState,
  PoolSingletonState,
  decodePoolState,
  decodePoolStateHex,
  encodePoolState,
  encodePoolStateHex,
} from './pool-state-codec';
export {
  type AbsorbSpendInfo,
  type LauncherSpendInfo,
  type NotPoolSingletonSpend,
  type PoolSingletonPuzzleInfo,
  type PoolSingletonSpendInfo,
  type TravelSpendInfo,
  decodeLauncherSpend,
  decodePoolSingletonSpend,
  parsePoolSingletonPuzzle,
  poolStateFromSpend,
  readPoolSingletonPuzzle,
  singletonChildCoin,
} from './singleton-spend-decoder';
export {
  type AbsorbSpend,
  type AbsorbSpendInput,
  type LineageProof,
  buildAbsorbSpend,
  lineageProofFromParentSpend,
} from './absorb-spend-builder';
export { rewardPuzzle, rewardPuzzleHash, singletonMemberPuzzleHash } from './reward-puzzle';
export { type PoolPuzzleHashLineResult, handlePoolPuzzleHashLine } from './pool-puzzle-hash-cli';
export * from './puzzle-programs';
