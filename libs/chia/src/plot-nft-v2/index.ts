/**
 * The v2 Plot NFT (CHIP-59 pooling): singleton v1.1 around a CHIP-43 custody tree (see
 * shared/reference/plotnft-v2.md). Puzzle hashes for finding a member's coin, the pool's reward forwarding, the
 * owner's spends (for the devnet's farmers), and reading any spend of a Plot NFT back into its next state.
 */
export {
  type PlotNftV2Identity,
  type PlotNftV2Pool,
  type PlotNftV2State,
  type PlotNftV2StateName,
  type SingletonLineageProof,
  plotNftV2StateName,
} from './plot-nft-v2-types';
export {
  type SingletonV11Puzzle,
  type UncurriedSingletonV11,
  parseSingletonV11Puzzle,
  singletonStructHash,
  singletonV11PuzzleHash,
  singletonV11Struct,
  uncurrySingletonV11,
} from './singleton-v11';
export {
  type RestrictionWrapperKind,
  plotNftV2InnerPuzzle,
  plotNftV2InnerPuzzleHash,
  plotNftV2Puzzle,
  plotNftV2PuzzleHash,
} from './plot-nft-v2-puzzle';
export { type PlotNftV2LayerHashes, type PlotNftV2PoolLayerHashes, plotNftV2Layers } from './plot-nft-v2-layers';
export { plotNftV2Memo, plotNftV2StateFromMemo } from './plot-nft-v2-memo';
export { type ForwardPoolRewardInput, type ForwardPoolRewardSpends, buildForwardPoolRewardSpends } from './forward-pool-reward';
export {
  type OwnerDelegation,
  type OwnerSpend,
  type OwnerSpendInput,
  buildExitToWaitingRoomSpend,
  buildJoinPoolSpend,
  buildLeaveWaitingRoomSpend,
} from './owner-spends';
export { type LaunchPlotNftV2Input, type LaunchedPlotNftV2Spends, buildLaunchSpends } from './launch-plot-nft-v2';
export {
  type PlotNftV2Melted,
  type PlotNftV2Moved,
  type PlotNftV2SpendReading,
  decodePlotNftV2Spend,
  isPlotNftV2Moved,
} from './decode-plot-nft-v2-spend';
export { type PlotNftV2PuzzleHashLineResult, handlePlotNftV2PuzzleHashLine } from './plot-nft-v2-puzzle-hash-cli';
