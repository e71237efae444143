import { createHash } from 'node:crypto';
import { type Hex, MAINNET_POS_CONSTANTS, type PosConsensusConstants } from '@pool/chia';

/**
 * Consensus numbers a simulated network needs to produce signage points, blocks and rewards, and that a pool
 * needs to judge proofs against them. Iterations, difficulty and the constant factor are bigint (uint64 in
 * Chia); times are milliseconds.
 */
export interface NetworkConstants {
  /** Name the node reports in get_network_info. */
  networkName: string;
  /** bech32m prefix of addresses on this network. */
  addressPrefix: string;
  /** GENESIS_CHALLENGE: also tags coinbase parent ids and AGG_SIG_ME messages. */
  genesisChallenge: Hex;
  /** NUM_SPS_SUB_SLOT. */
  numSpsSubSlot: number;
  /** Sub-slot iterations of the VDF (SUB_SLOT_ITERS; the starting value for mainnet). */
  subSlotIters: bigint;
  /** Block difficulty (DIFFICULTY_STARTING for mainnet). */
  difficulty: bigint;
  /** DIFFICULTY_CONSTANT_FACTOR. */
  difficultyConstantFactor: bigint;
  /** NUMBER_ZERO_BITS_PLOT_FILTER before the hard-fork reductions (mainnet uses 8 since height 5,496,000). */
  plotFilterBits: number;
  /** MIN_PLOT_SIZE. */
  minPlotSize: number;
  /** POOL_SUB_SLOT_ITERS: pools accept a partial when required_iters < this / numSpsSubSlot. */
  poolSubSlotIters: bigint;
  /** Wall time of one sub-slot (SUB_SLOT_TIME_TARGET). */
  subSlotTimeMs: number;
}

/** Time between two signage points. */
export function signagePointIntervalMs(network: NetworkConstants): number {
  return network.subSlotTimeMs / network.numSpsSubSlot;
}

/** Iterations between two signage points: a block needs required_iters below this. */
export function signagePointIntervalIters(network: NetworkConstants): bigint {
  return network.subSlotIters / BigInt(network.numSpsSubSlot);
}

/** The pool's partial threshold (POOL_SUB_SLOT_ITERS / NUM_SPS_SUB_SLOT). */
export function poolPartialItersLimit(network: NetworkConstants): bigint {
  return network.poolSubSlotIters / BigInt(network.numSpsSubSlot);
}

/** Mainnet consensus values; sub-slot iterations and difficulty are the genesis starting values. */
export const MAINNET_NETWORK: NetworkConstants = Object.freeze({
  networkName: 'mainnet',
  addressPrefix: 'xch',
  genesisChallenge: 'ccd5bb71183532bff220ba46c268991a3ff07eb358e8255a65c30a2dce0e5fbb',
  numSpsSubSlot: 64,
  subSlotIters: 1n << 27n,
  difficulty: 7n,
  difficultyConstantFactor: 1n << 67n,
  plotFilterBits: 9,
  minPlotSize: 32,
  poolSubSlotIters: 37_600_000_000n,
  subSlotTimeMs: 600_000,
});

const DEVNET_GENESIS_CHALLENGE = createHash('sha256').update('chia-pool-ledger devnet genesis').digest('hex');

/**
 * A network on which k=18..20 plots win partials and blocks within minutes.
 *
 * Why these numbers: a proof's required_iters is difficulty * DCF * u / expected_plot_size(k) with u uniform in
 * [0,1) and expected_plot_size(18) = 37 * 2^17 = 4,849,664. At mainnet DCF = 2^67 and pool difficulty 1, a k=18
 * proof is below the pool limit 37.6e9 / 64 = 587,500,000 with probability 587.5e6 * 4,849,664 / 2^67, about
 * 1 in 51,800, and the 9-bit plot filter lets a plot answer only 1 signage point in 512: hopeless for a test.
 * - DCF 2^52 (mainnet / 2^15) makes that 1 in 1.6: about 63% of k=18 proofs and every k>=20 proof pass at pool
 *   difficulty 1, so the pool's difficulty adjustment has room to work upwards.
 * - Plot filter 1 bit: a plot answers every other signage point.
 * - Sub-slot iterations = POOL_SUB_SLOT_ITERS, so the block threshold equals the pool threshold at difficulty 1;
 *   block difficulty 64 then makes about 1% of k=18 proofs win a block (roughly one block per three sub-slots for a
 *   single k=18 plot answering 32 signage points per sub-slot).
 * - 64-second sub-slots: one signage point a second (the pool's 25 s partial time limit still means something).
 * - Minimum plot size 18 (what testnets use) so small plots are legal.
 */
export const DEVNET_NETWORK: NetworkConstants = Object.freeze({
  networkName: 'devnet',
  addressPrefix: 'txch',
  genesisChallenge: DEVNET_GENESIS_CHALLENGE,
  numSpsSubSlot: 64,
  subSlotIters: 37_600_000_000n,
  difficulty: 64n,
  difficultyConstantFactor: 1n << 52n,
  plotFilterBits: 1,
  minPlotSize: 18,
  poolSubSlotIters: 37_600_000_000n,
  subSlotTimeMs: 64_000,
});

/**
 * The proof-of-space constants (libs/chia pos) of a network, for verifying partials and blocks against it: its
 * constant factor, pool sub-slot iterations, signage points per sub-slot, plot filter and minimum plot size; the
 * fork heights and v2 settings stay mainnet's (a devnet never reaches them).
 */
export function posConstantsFor(network: NetworkConstants): PosConsensusConstants {
  return Object.freeze({
    ...MAINNET_POS_CONSTANTS,
    difficultyConstantFactor: network.difficultyConstantFactor,
    poolSubSlotIters: network.poolSubSlotIters,
    numSpsSubSlot: network.numSpsSubSlot,
    numberZeroBitsPlotFilterV1: network.plotFilterBits,
    minPlotSizeV1: network.minPlotSize,
  });
}
