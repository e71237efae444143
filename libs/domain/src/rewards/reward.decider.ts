import { type Decider } from '@pool/event-sourcing';
import { DomainError } from '../shared/domain-error';
import type { RewardDetected, RewardEvent } from './reward.events';

/** A pool reward coin seen on chain (heights and amount are chain facts read by the collector). */
export interface DetectReward {
  type: 'DetectReward';
  coinId: string;
  launcherId: string;
  puzzleHash: string;
  amount: bigint;
  farmedHeight: number;
  confirmedHeight: number;
  now: number;
}

/** The absorb of a detected reward is on chain: the reward coin is spent and the pool coin exists. */
export interface AbsorbReward {
  type: 'AbsorbReward';
  absorbTransactionId: string;
  absorbedHeight: number;
  poolCoinId: string;
  fee: bigint;
  now: number;
}

/** A reorg back to `forkHeight` took the reward coin's block away. */
export interface RevertReward {
  type: 'RevertReward';
  forkHeight: number;
  now: number;
}

export type RewardCommand = DetectReward | AbsorbReward | RevertReward;

/** What the state keeps of a reward: its RewardDetected facts. */
type KnownReward = Omit<RewardDetected['data'], 'detectedAt'>;

export type RewardState =
  | { status: 'none' }
  | (KnownReward & { status: 'detected' | 'reverted' })
  | (KnownReward & { status: 'absorbed'; absorbedHeight: number; poolCoinId: string; absorbTransactionId: string });

function checkHeight(value: number, label: string): void {
  if (!Number.isInteger(value) || value < 0) throw new DomainError('INVALID_STATE', `${label} must be a non-negative integer height, got ${value}`);
}

/**
 * One pool reward coin's life: detected, absorbed into the pool's target puzzle hash, or reverted when a
 * reorg orphans the block that created it (absorbed or not). Every command is idempotent: detecting a known
 * reward, absorbing an absorbed one or reverting a reverted one records nothing, so a collector that crashed
 * between the chain and the ledger can simply run again. A reverted reward is detected afresh only if the
 * new chain creates the same coin again (same height, puzzle hash and amount).
 *
 * An absorb that a reorg undid while the reward coin stayed is not a new fact: the same mojos reach the same
 * target once the absorb is included again, so AbsorbReward on an absorbed reward records nothing.
 */
export const rewardDecider: Decider<RewardCommand, RewardEvent, RewardState> = {
  initialState: () => ({ status: 'none' }),

  decide(command, state) {
    switch (command.type) {
      case 'DetectReward': {
        if (state.status === 'detected' || state.status === 'absorbed') return [];
        checkHeight(command.farmedHeight, 'farmed height');
        checkHeight(command.confirmedHeight, 'confirmed height');
        if (command.confirmedHeight < command.farmedHeight) {
          throw new DomainError('INVALID_STATE', `reward ${command.coinId} confirmed at ${command.confirmedHeight}, before its farmed height ${command.farmedHeight}`);
        }
        if (command.amount <= 0n) throw new DomainError('INVALID_STATE', `reward ${command.coinId} has no mojos`);
        const detected: RewardDetected = {
          type: 'RewardDetected',
          data: {
            coinId: command.coinId,
            launcherId: command.launcherId,
            puzzleHash: command.puzzleHash,
            amount: command.amount.toString(),
            farmedHeight: command.farmedHeight,
            confirmedHeight: command.confirmedHeight,
            detectedAt: command.now,
          },
        };
        return [detected];
      }
      case 'AbsorbReward': {
        if (state.status === 'none') throw new DomainError('INVALID_STATE', 'cannot absorb a reward that was never detected');
        if (state.status === 'reverted') throw new DomainError('INVALID_STATE', `reward ${state.coinId} was orphaned by a reorg; it cannot be absorbed`);
        if (state.status === 'absorbed') return [];
        checkHeight(command.absorbedHeight, 'absorbed height');
        if (command.absorbedHeight < state.confirmedHeight) {
          throw new DomainError('INVALID_STATE', `reward ${state.coinId} cannot be absorbed at ${command.absorbedHeight}, before it was confirmed at ${state.confirmedHeight}`);
        }
        if (command.fee < 0n) throw new DomainError('INVALID_STATE', 'an absorb fee cannot be negative');
        return [
          {
            type: 'RewardAbsorbed',
            data: {
              coinId: state.coinId,
              launcherId: state.launcherId,
              amount: state.amount,
              absorbTransactionId: command.absorbTransactionId,
              absorbedHeight: command.absorbedHeight,
              poolCoinId: command.poolCoinId,
              fee: command.fee.toString(),
              absorbedAt: command.now,
            },
          },
        ];
      }
      case 'RevertReward': {
        if (state.status === 'none') throw new DomainError('INVALID_STATE', 'cannot revert a reward that was never detected');
        if (state.status === 'reverted') return [];
        if (command.forkHeight >= state.confirmedHeight) {
          throw new DomainError('INVALID_STATE', `a reorg to height ${command.forkHeight} does not orphan reward ${state.coinId} confirmed at ${state.confirmedHeight}`);
        }
        return [
          {
            type: 'RewardReverted',
            data: {
              coinId: state.coinId,
              launcherId: state.launcherId,
              amount: state.amount,
              reason: 'reorg',
              forkHeight: command.forkHeight,
              wasAbsorbed: state.status === 'absorbed',
              revertedAt: command.now,
            },
          },
        ];
      }
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'RewardDetected': {
        const { coinId, launcherId, puzzleHash, amount, farmedHeight, confirmedHeight } = event.data;
        return { status: 'detected', coinId, launcherId, puzzleHash, amount, farmedHeight, confirmedHeight };
      }
      case 'RewardAbsorbed':
        if (state.status === 'none') return state;
        return {
          ...state,
          status: 'absorbed',
          absorbedHeight: event.data.absorbedHeight,
          poolCoinId: event.data.poolCoinId,
          absorbTransactionId: event.data.absorbTransactionId,
        };
      case 'RewardReverted': {
        if (state.status === 'none') return state;
        const { coinId, launcherId, puzzleHash, amount, farmedHeight, confirmedHeight } = state;
        return { status: 'reverted', coinId, launcherId, puzzleHash, amount, farmedHeight, confirmedHeight };
      }
    }
  },
};
