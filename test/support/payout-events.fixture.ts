import type { PayoutPlanned, PayoutSchemeConfig, PayoutTransaction } from '@pool/domain';

/** Test-only builders for ledgers: short hex ids, whole events with fixed times. */
export const hex32 = (n: number | string): string => String(n).padStart(64, '0');
export const launcher = (n: number): string => hex32(`a${n}`);
export const puzzle = (n: number): string => hex32(`b${n}`);
export const POOL_FEE_PH = hex32('fee');

export const propScheme = (overrides: Partial<PayoutSchemeConfig> = {}): PayoutSchemeConfig => ({
  name: 'prop',
  feeBasisPoints: 100,
  poolFeePuzzleHash: POOL_FEE_PH,
  minimumPayout: '0',
  maxAdditionsPerTransaction: 400,
  blockchainFeePerTransaction: '0',
  ...overrides,
});

/** FarmerRegistered data of a v1 farmer paid at `puzzleHash` (well-formed keys and hashes, as a store accepts them). */
export const registeredFarmerData = (farmer: { launcherId: string; puzzleHash: string }) => ({
  launcherId: farmer.launcherId,
  authenticationPublicKey: 'c1'.repeat(48),
  ownerPublicKey: 'c2'.repeat(48),
  payoutInstructions: farmer.puzzleHash,
  payoutPuzzleHash: farmer.puzzleHash,
  p2SingletonPuzzleHash: 'c3'.repeat(32),
  delayTime: 604800,
  delayPuzzleHash: 'c4'.repeat(32),
  difficulty: '1',
  protocolVersion: 1 as const,
  registeredAt: 1,
});

export const registered = (n: number, puzzleHash = puzzle(n)) => ({
  type: 'FarmerRegistered' as const,
  data: {
    launcherId: launcher(n),
    authenticationPublicKey: 'aa',
    ownerPublicKey: 'bb',
    payoutInstructions: puzzleHash,
    payoutPuzzleHash: puzzleHash,
    p2SingletonPuzzleHash: hex32(`c${n}`),
    delayTime: 604800,
    delayPuzzleHash: hex32(`d${n}`),
    difficulty: '1',
    protocolVersion: 1 as const,
    registeredAt: 1000,
  },
});

export const confirmed = (n: number, proof: string, points: bigint | number, confirmedAt = 2000) => ({
  type: 'PartialConfirmed' as const,
  data: { launcherId: launcher(n), proofHash: hex32(proof), points: String(points), confirmedAt },
});

export const reverted = (n: number, proof: string, points: bigint | number, wasConfirmed = true) => ({
  type: 'PartialReverted' as const,
  data: { launcherId: launcher(n), proofHash: hex32(proof), points: String(points), reason: 'reorg' as const, wasConfirmed, revertedAt: 3000 },
});

export const absorbed = (coin: string, amount: bigint | number, n = 1) => ({
  type: 'RewardAbsorbed' as const,
  data: {
    coinId: hex32(coin),
    launcherId: launcher(n),
    amount: String(amount),
    absorbTransactionId: hex32(`t${coin}`),
    absorbedHeight: 10,
    poolCoinId: hex32(`p${coin}`),
    fee: '0',
    absorbedAt: 2500,
  },
});

export const rewardReverted = (coin: string, amount: bigint | number) => ({
  type: 'RewardReverted' as const,
  data: { coinId: hex32(coin), launcherId: launcher(1), amount: String(amount), reason: 'reorg' as const, forkHeight: 9, wasAbsorbed: true, revertedAt: 3000 },
});

/** Positions as the stores write them: fixed-width decimal. */
export const pos = (n: number): string => String(n).padStart(20, '0');

/** A draft recorded as the saga would record it (no transactions: the ledger does not read them). */
export const planned = (
  draft: Omit<PayoutPlanned['data'], 'payoutId' | 'sequence' | 'ledgerPosition' | 'plannedAt' | 'configVersion' | 'transactions'>,
  sequence: number,
  ledgerPosition: string,
  plannedAt = 4000,
) => ({
  type: 'PayoutPlanned' as const,
  data: { ...draft, payoutId: `payout-${sequence}`, sequence, ledgerPosition, plannedAt, configVersion: 'v1', transactions: [] as PayoutTransaction[] },
});

/** An empty PROP plan (no fee, nothing allocated or carried) recorded at `ledgerPosition`; `extra` fills it in. */
export const propPlan = (sequence: number, ledgerPosition: string, extra: Partial<Parameters<typeof planned>[0]> = {}) =>
  planned(
    {
      scheme: { name: 'prop', feeBasisPoints: 0, poolFeePuzzleHash: puzzle(99), minimumPayout: '0', maxAdditionsPerTransaction: 400, blockchainFeePerTransaction: '0' },
      rewardCoinIds: [],
      rewardTotal: '0',
      poolFee: { puzzleHash: puzzle(99), amount: '0' },
      blockchainFee: '0',
      allocations: [],
      carried: [],
      ...extra,
    },
    sequence,
    ledgerPosition,
  );
