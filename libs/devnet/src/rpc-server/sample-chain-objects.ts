import {
  type BlockchainState,
  type BlockRecord,
  type Coin,
  type CoinRecord,
  type CoinSpend,
  type EndOfSubSlotBundle,
  G2_INFINITY_HEX,
  type SignagePoint,
  type SpendBundle,
  type TransactionRecord,
  type VDFInfo,
  type VDFProof,
  type WalletBalance,
} from '@pool/chia';

/**
 * Chain objects with every field set to something distinguishable, for the specs of this folder. Quantities
 * sit above 2^53 (and uint128 ones above 2^64) wherever the type allows, so any rounding on the way shows.
 */

export const UINT64_MAX = (1n << 64n) - 1n;
/** The first integer a double cannot hold. */
export const ABOVE_DOUBLE = (1n << 53n) + 1n;
export const UINT128_LARGE = (1n << 127n) + 12345n;

export const hash = (byte: number): string => byte.toString(16).padStart(2, '0').repeat(32);
export const bytesOf = (length: number, seed: number): Uint8Array =>
  Uint8Array.from({ length }, (_, i) => (seed + i * 7) % 256);

export function sampleCoin(seed: number, amount: bigint = ABOVE_DOUBLE + BigInt(seed)): Coin {
  return { parentCoinInfo: hash(seed), puzzleHash: hash(seed + 1), amount };
}

export function sampleCoinRecord(seed: number, spent = false): CoinRecord {
  return {
    coin: sampleCoin(seed, UINT64_MAX - BigInt(seed)),
    confirmedBlockIndex: 100 + seed,
    spentBlockIndex: spent ? 200 + seed : 0,
    coinbase: seed % 2 === 0,
    timestamp: 1_700_000_000 + seed,
    spent,
  };
}

export function sampleCoinSpend(seed: number): CoinSpend {
  return { coin: sampleCoin(seed), puzzleReveal: 'ff02ffff0180' + hash(seed).slice(0, 8), solution: '80' };
}

export function sampleSpendBundle(seed: number): SpendBundle {
  return {
    coinSpends: [sampleCoinSpend(seed), sampleCoinSpend(seed + 3)],
    aggregatedSignature: 'a1' + '5e'.repeat(95),
  };
}

const vdfInfo = (seed: number): VDFInfo => ({
  challenge: bytesOf(32, seed),
  numberOfIterations: ABOVE_DOUBLE + BigInt(seed),
  output: { data: bytesOf(100, seed + 1) },
});
const vdfProof = (seed: number): VDFProof => ({
  witnessType: seed % 256,
  witness: bytesOf(20 + seed, seed),
  normalizedToIdentity: seed % 2 === 1,
});

export function sampleBlockRecord(height: number): BlockRecord {
  return {
    headerHash: hash(height % 200),
    prevHash: hash((height + 1) % 200),
    height,
    weight: UINT128_LARGE + BigInt(height),
    totalIters: UINT128_LARGE - BigInt(height),
    signagePointIndex: 17,
    challengeVdfOutput: { data: bytesOf(100, height) },
    infusedChallengeVdfOutput: { data: bytesOf(100, height + 9) },
    rewardInfusionNewChallenge: hash(201),
    challengeBlockInfoHash: hash(202),
    subSlotIters: ABOVE_DOUBLE,
    poolPuzzleHash: hash(203),
    farmerPuzzleHash: hash(204),
    requiredIters: UINT64_MAX,
    deficit: 3,
    overflow: true,
    prevTransactionBlockHeight: Math.max(0, height - 2),
    timestamp: 1_700_000_123,
    prevTransactionBlockHash: hash(205),
    fees: UINT64_MAX - 1n,
    rewardClaimsIncorporated: [sampleCoin(1), sampleCoin(2, UINT64_MAX)],
    finishedChallengeSlotHashes: [hash(206), hash(207)],
    finishedInfusedChallengeSlotHashes: [hash(208)],
    finishedRewardSlotHashes: [],
    subEpochSummaryIncluded: {
      prevSubepochSummaryHash: hash(209),
      rewardChainHash: hash(210),
      numBlocksOverflow: 2,
      newDifficulty: ABOVE_DOUBLE,
      newSubSlotIters: null,
    },
  };
}

/** A non-transaction block: every Optional field null. */
export function sampleBareBlockRecord(height: number): BlockRecord {
  return {
    ...sampleBlockRecord(height),
    infusedChallengeVdfOutput: null,
    timestamp: null,
    prevTransactionBlockHash: null,
    fees: null,
    rewardClaimsIncorporated: null,
    finishedChallengeSlotHashes: null,
    finishedInfusedChallengeSlotHashes: null,
    finishedRewardSlotHashes: null,
    subEpochSummaryIncluded: null,
  };
}

export function sampleBlockchainState(peak: BlockRecord | null): BlockchainState {
  return {
    peak,
    genesisChallengeInitialized: true,
    sync: { syncMode: false, synced: true, syncTipHeight: 0, syncProgressHeight: 0 },
    difficulty: ABOVE_DOUBLE,
    subSlotIters: 1n << 27n,
    space: UINT128_LARGE,
    averageBlockTime: 18.75,
    mempoolSize: 4,
    mempoolCost: UINT64_MAX,
    mempoolFees: ABOVE_DOUBLE,
    mempoolMaxTotalCost: 550_000_000_000n * 10n,
    blockMaxCost: 11_000_000_000n,
    nodeId: 'ab'.repeat(32),
  };
}

export function sampleEndOfSubSlot(): EndOfSubSlotBundle {
  return {
    challengeChain: {
      challengeChainEndOfSlotVdf: vdfInfo(1),
      infusedChallengeChainSubSlotHash: bytesOf(32, 2),
      subepochSummaryHash: null,
      newSubSlotIters: ABOVE_DOUBLE,
      newDifficulty: null,
    },
    infusedChallengeChain: { infusedChallengeChainEndOfSlotVdf: vdfInfo(3) },
    rewardChain: {
      endOfSlotVdf: vdfInfo(4),
      challengeChainSubSlotHash: bytesOf(32, 5),
      infusedChallengeChainSubSlotHash: null,
      deficit: 16,
    },
    proofs: {
      challengeChainSlotProof: vdfProof(6),
      infusedChallengeChainSlotProof: null,
      rewardChainSlotProof: vdfProof(7),
    },
  };
}

export const sampleSignagePoint = (): SignagePoint => ({
  ccVdf: vdfInfo(8),
  ccProof: vdfProof(9),
  rcVdf: vdfInfo(10),
  rcProof: null,
});

export function sampleWalletBalance(walletId: number): WalletBalance {
  return {
    walletId,
    walletType: 0,
    confirmedWalletBalance: UINT128_LARGE,
    unconfirmedWalletBalance: UINT128_LARGE - 1n,
    spendableBalance: ABOVE_DOUBLE,
    pendingChange: UINT64_MAX,
    maxSendAmount: ABOVE_DOUBLE - 2n,
    unspentCoinCount: 12,
    pendingCoinRemovalCount: 1,
    fingerprint: 3_000_000_001,
    assetId: null,
    pendingApprovalBalance: null,
  };
}

export function sampleTransactionRecord(seed: number, confirmed: boolean): TransactionRecord {
  const created = sampleCoin(seed + 50);
  return {
    name: hash(seed),
    confirmed,
    confirmedAtHeight: confirmed ? 4_000 + seed : 0,
    createdAtTime: 1_700_000_500 + seed,
    toPuzzleHash: hash(seed + 1),
    toAddress: 'txch1' + 'q'.repeat(58),
    amount: UINT64_MAX - BigInt(seed),
    feeAmount: ABOVE_DOUBLE,
    sent: 2,
    spendBundle: confirmed ? null : { ...sampleSpendBundle(seed), aggregatedSignature: G2_INFINITY_HEX },
    additions: [created, sampleCoin(seed + 60, 1n)],
    removals: [sampleCoin(seed + 70, UINT64_MAX)],
    walletId: 1,
    sentTo: [
      { peer: 'peer-a', status: 1, error: null },
      { peer: 'peer-b', status: 3, error: 'DOUBLE_SPEND' },
    ],
    tradeId: seed % 2 === 0 ? null : hash(seed + 2),
    type: 1,
    memos: { [hash(seed + 80)]: ['68656c6c6f', ''] },
  };
}
