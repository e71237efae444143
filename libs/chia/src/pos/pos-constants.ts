/** chiapos verifier constants (src/pos_constants.hpp, src/calculate_bucket.hpp). */
export const CHIAPOS = {
  /** Smallest and largest k the chiapos verifier accepts; consensus narrows the range (see `PosConsensusConstants`). */
  minK: 18,
  maxK: 50,
  /** F outputs carry this many bits beyond k. */
  extraBits: 6,
  paramB: 119,
  paramC: 127,
  /** kB * kC: the size of one matching bucket. */
  paramBC: 15113,
  /** Metadata length of each input to table t, in units of k bits (index = table number). */
  vectorLens: [0, 0, 1, 2, 4, 4, 3, 2] as readonly number[],
  /** A v1 proof is this many k-bit x values. */
  xValuesPerProof: 64,
} as const;

/**
 * Consensus and pool constants the proof-of-space checks need. Mainnet values are in `MAINNET_POS_CONSTANTS`;
 * a devnet/testnet overrides what differs (e.g. `{ ...MAINNET_POS_CONSTANTS, minPlotSizeV1: 18 }`).
 */
export interface PosConsensusConstants {
  /** DIFFICULTY_CONSTANT_FACTOR (2^67 on mainnet). */
  readonly difficultyConstantFactor: bigint;
  /** POOL_SUB_SLOT_ITERS: the fixed stand-in for sub_slot_iters that pools use for the partial threshold. */
  readonly poolSubSlotIters: bigint;
  /** NUM_SPS_SUB_SLOT: the threshold is poolSubSlotIters / this. */
  readonly numSpsSubSlot: number;
  /** NUMBER_ZERO_BITS_PLOT_FILTER_V1 before any reduction. */
  readonly numberZeroBitsPlotFilterV1: number;
  /** Heights at which the v1 plot filter loses 1, 2, 3 and 4 bits. */
  readonly hardForkHeight: number;
  readonly plotFilter128Height: number;
  readonly plotFilter64Height: number;
  readonly plotFilter32Height: number;
  /** MIN_PLOT_SIZE_V1 / MAX_PLOT_SIZE_V1 (consensus; the chiapos verifier itself accepts 18..50). */
  readonly minPlotSizeV1: number;
  readonly maxPlotSizeV1: number;
  /** HARD_FORK2_HEIGHT: v2 proofs count from this previous-transaction-block height (mainnet: a far-future placeholder). */
  readonly hardFork2Height: number;
  /** MIN_PLOT_STRENGTH / MAX_PLOT_STRENGTH for v2 plots (chia-blockchain main). */
  readonly minPlotStrength: number;
  readonly maxPlotStrength: number;
  /** PLOT_SIZE_V2: every v2 plot has this k. */
  readonly plotSizeV2: number;
}

/** chia-blockchain default_constants.py (main d61ed07; 2.7.3 differs only in maxPlotStrength = 32). */
export const MAINNET_POS_CONSTANTS: PosConsensusConstants = Object.freeze({
  difficultyConstantFactor: 2n ** 67n,
  poolSubSlotIters: 37_600_000_000n,
  numSpsSubSlot: 64,
  numberZeroBitsPlotFilterV1: 9,
  hardForkHeight: 5_496_000,
  plotFilter128Height: 10_542_000,
  plotFilter64Height: 15_592_000,
  plotFilter32Height: 20_643_000,
  minPlotSizeV1: 32,
  maxPlotSizeV1: 50,
  hardFork2Height: 0xfffffffa,
  minPlotStrength: 2,
  maxPlotStrength: 17,
  plotSizeV2: 28,
});

/** Consensus plot-size rule for v1 proofs (32..50 on mainnet; testnets lower the minimum). */
export function isPlotSizeAllowedV1(k: number, constants: PosConsensusConstants = MAINNET_POS_CONSTANTS): boolean {
  return Number.isInteger(k) && k >= constants.minPlotSizeV1 && k <= constants.maxPlotSizeV1;
}
