import { type Decider } from '@pool/event-sourcing';
import { DomainError } from '../shared/domain-error';
import { reorgId, type ChainEvent, type ChainPoint } from './chain.events';

export interface RecordReorg {
  type: 'RecordReorg';
  forkHeight: number;
  /** Header hash of the old branch's block at forkHeight + 1: names the reorg whoever sees it. */
  firstOrphanedHash: string;
  depth: number;
  oldPeak: ChainPoint;
  newPeak: ChainPoint;
  safeDepth: number;
  now: number;
}

export type ChainReorgCommand = RecordReorg;

export interface ChainReorgState {
  /** Ids of the reorgs already recorded (a handful over the pool's life). */
  recorded: ReadonlySet<string>;
}

/**
 * The `chain-reorgs` stream: each reorg once, whichever instance (or restart) notices it. `deep` is decided
 * here from the safety depth the command carries, so a replay reads the same verdict the pool acted on.
 */
export const chainReorgDecider: Decider<ChainReorgCommand, ChainEvent, ChainReorgState> = {
  initialState: () => ({ recorded: new Set() }),

  decide(command, state) {
    const { forkHeight, depth, oldPeak, newPeak, safeDepth } = command;
    if (!Number.isInteger(forkHeight) || forkHeight < -1) throw new DomainError('REQUEST_FAILED', `fork height ${forkHeight} is not a height`);
    if (!Number.isInteger(depth) || depth < 1) throw new DomainError('REQUEST_FAILED', `reorg depth ${depth} must be a positive integer`);
    if (!Number.isInteger(safeDepth) || safeDepth < 0) throw new DomainError('REQUEST_FAILED', `safe depth ${safeDepth} must be a non-negative integer`);
    const id = reorgId(forkHeight, command.firstOrphanedHash);
    if (state.recorded.has(id)) return [];
    return [
      {
        type: 'ChainReorgDetected',
        data: { reorgId: id, forkHeight, depth, oldPeak, newPeak, safeDepth, deep: depth > safeDepth, at: command.now },
      },
    ];
  },

  evolve(state, event) {
    switch (event.type) {
      case 'ChainReorgDetected':
        return { recorded: new Set([...state.recorded, event.data.reorgId]) };
    }
  },
};
