import { ORIGIN_NOT_RECORDED, type PartialOrigin, type PartialRevertReason, type PayoutPlanned } from '@pool/domain';
import type { LedgerEvent } from './generated-ledger';

/** Terse event builders for projection and ledger specs (times are unix seconds). */
export const FARMER_A = 'a'.repeat(64);
export const FARMER_B = 'b'.repeat(64);
export const FARMER_C = 'c'.repeat(64);

export const registered = (launcherId: string, at: number, difficulty = 1): LedgerEvent => ({
  type: 'FarmerRegistered',
  data: {
    launcherId,
    authenticationPublicKey: 'aa',
    ownerPublicKey: 'bb',
    payoutInstructions: `xch1${launcherId.slice(0, 8)}`,
    payoutPuzzleHash: `${launcherId.slice(0, 8)}`.padEnd(64, '0'),
    p2SingletonPuzzleHash: 'p2'.padEnd(64, '0'),
    delayTime: 604800,
    delayPuzzleHash: 'dd'.padEnd(64, '0'),
    difficulty: String(difficulty),
    protocolVersion: 1,
    registeredAt: at,
  },
});

/** A submission; `origin` (what schema 2 keeps of the farmer's request) defaults to "not recorded", as schema 1. */
export const submitted = (launcherId: string, proofHash: string, points: number, at: number, origin: Partial<PartialOrigin> = {}): LedgerEvent => ({
  type: 'PartialSubmitted',
  data: { launcherId, proofHash, points: String(points), signagePointHash: 'sp', receivedAt: at, plotSize: 32, ...ORIGIN_NOT_RECORDED, ...origin },
});

export const confirmed = (launcherId: string, proofHash: string, points: number, at: number): LedgerEvent => ({
  type: 'PartialConfirmed',
  data: { launcherId, proofHash, points: String(points), confirmedAt: at },
});

export const reverted = (
  launcherId: string,
  proofHash: string,
  points: number,
  at: number,
  wasConfirmed: boolean,
  reason: PartialRevertReason = 'reorg',
): LedgerEvent => ({
  type: 'PartialReverted',
  data: { launcherId, proofHash, points: String(points), reason, wasConfirmed, revertedAt: at, ...(reason === 'reorg' ? { forkHeight: 90 } : {}) },
});

/** A plan; ledgerPosition '' = the event recorded just before it, '@n' = the n-th recorded event (see record()). */
export const planned = (
  sequence: number,
  at: number,
  allocations: { launcherId: string; points: number; amount: number }[],
  carried: { launcherId: string; amount: number }[] = [],
  ledgerPosition = '',
): LedgerEvent => {
  const data: PayoutPlanned['data'] = {
    payoutId: `payout-${String(sequence).padStart(8, '0')}`,
    sequence,
    ledgerPosition,
    plannedAt: at,
    scheme: {
      name: 'prop',
      feeBasisPoints: 100,
      poolFeePuzzleHash: 'fe'.padEnd(64, '0'),
      minimumPayout: '0',
      maxAdditionsPerTransaction: 500,
      blockchainFeePerTransaction: '0',
    },
    configVersion: 'spec',
    rewardCoinIds: ['c0'.padEnd(64, '0')],
    rewardTotal: '1750000000000',
    poolFee: { puzzleHash: 'fe'.padEnd(64, '0'), amount: '17500000000' },
    blockchainFee: '0',
    allocations: allocations.map((a) => ({
      launcherId: a.launcherId,
      puzzleHash: `${a.launcherId.slice(0, 8)}`.padEnd(64, '0'),
      points: String(a.points),
      amount: String(a.amount),
    })),
    carried: carried.map((c) => ({ launcherId: c.launcherId, amount: String(c.amount) })),
    transactions: [
      {
        inputCoinIds: ['11'.padEnd(64, '0')],
        payments: allocations.map((a) => ({ puzzleHash: `${a.launcherId.slice(0, 8)}`.padEnd(64, '0'), amount: String(a.amount) })),
        fee: '0',
        // As a plan of schema 1 recorded them: the lines' coin ids come from here.
        predicted: {
          additions: allocations.map((a, i) => ({
            puzzleHash: `${a.launcherId.slice(0, 8)}`.padEnd(64, '0'),
            amount: String(a.amount),
            coinId: `${i}`.padStart(64, '9'),
          })),
          change: null,
        },
      },
    ],
  };
  return { type: 'PayoutPlanned', data };
};

export const payoutId = (sequence: number): string => `payout-${String(sequence).padStart(8, '0')}`;
