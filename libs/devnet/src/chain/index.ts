/**
 * The simulated Chia chain: signage points and sub-slots on an injectable clock, blocks with mainnet reward
 * coins, a coin store and mempool that run puzzles with clvm-lib, reorgs, and plot NFT launches and moves (v1 pool
 * singletons, and Chia's v2 Plot NFTs on their real puzzles).
 */
export { type ChainClock, type ChainDriver, type Tickable, AcceleratedClock, DEFAULT_START_MS, ManualClock, startChainDriver } from './chain-clock';
export { DevnetChainError } from './chain-errors';
export {
  type BlockSubmission,
  type DevnetChainOptions,
  type FarmedBlock,
  type ReorgOptions,
  type ReorgResult,
  DevnetChain,
} from './devnet-chain';
export { ConditionOpcode, clvmList, conditionProgram, conditionsPuzzle, conditionsPuzzleHash, createCoinCondition } from './devnet-puzzles';
export {
  type JoinPoolRequest,
  type LaunchedPlotNft,
  type LaunchPlotNftRequest,
  type PlotNftStateName,
  type PlotNftSimulatorOptions,
  type PlotNftView,
  PlotNftSimulator,
} from './plot-nft';
export { type TimelineEntry } from './signage-point-timeline';
export {
  type CreatedCoin,
  type RequiredSignature,
  type SpendContext,
  type ValidatedBundle,
  validateSpendBundle,
} from './spend-validator';
export { blsSignatureVerifier, signRequired } from './signature-checks';
export {
  type LaunchedPlotNftV2,
  type LaunchPlotNftV2Request,
  type PlotNftV2SimulatorOptions,
  type PlotNftV2View,
  PlotNftV2Simulator,
} from './plot-nft-v2';
