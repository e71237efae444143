import { type Decider } from '@pool/event-sourcing';
import { DomainError } from '../shared/domain-error';
import { nextDifficulty, type DifficultyPolicy, type RecentPartial } from './difficulty.policy';
import { checkFarmerMinimumPayout, normalizeDisplayName, settingsCooldown } from './farmer-settings';
import type { DifficultyChanged, FarmerEvent, FarmerRegistered } from './farmer.events';

export type RegisterFarmer = {
  type: 'RegisterFarmer';
  now: number;
} & Omit<FarmerRegistered['data'], 'registeredAt' | 'difficulty'> & { difficulty: bigint };

export interface UpdateFarmer {
  type: 'UpdateFarmer';
  launcherId: string;
  authenticationPublicKey?: string;
  payoutInstructions?: string;
  payoutPuzzleHash?: string;
  suggestedDifficulty?: bigint;
  minDifficulty: bigint;
  /** Seconds between two updates of one farmer (reference: 600). */
  cooldownSeconds: number;
  graceSeconds: number;
  now: number;
}

export interface AdjustDifficulty {
  type: 'AdjustDifficulty';
  launcherId: string;
  difficulty: bigint;
  graceSeconds: number;
  now: number;
}

/**
 * Run the pool's difficulty policy after an accepted partial. The decider applies the policy to the difficulty
 * in its own state, so a retry after a concurrent change (another partial of the same farmer) judges again
 * against the difficulty that change recorded instead of recording the same change twice.
 */
export interface ApplyDifficultyPolicy {
  type: 'ApplyDifficultyPolicy';
  launcherId: string;
  policy: DifficultyPolicy;
  /** The farmer's accepted partials before the one that triggered this, newest first (see nextDifficulty). */
  recent: readonly RecentPartial[];
  graceSeconds: number;
  /** When the triggering partial was received (unix seconds). */
  now: number;
}

export interface RecordMembership {
  type: 'RecordMembership';
  launcherId: string;
  isMember: boolean;
  reason?: 'leaving' | 'self_pooling' | 'other_pool';
  height: number;
  now: number;
}

/** From the farmer area: the name shown on the leaderboard (null or blank: none). Normalised and checked here. */
export interface SetDisplayName {
  type: 'SetDisplayName';
  launcherId: string;
  displayName: string | null;
  now: number;
}

/** From the farmer area: the farmer's own minimum payout (null: the pool's), judged against the pool's minimum now. */
export interface SetMinimumPayout {
  type: 'SetMinimumPayout';
  launcherId: string;
  minimumPayout: bigint | null;
  poolMinimumPayout: bigint;
  now: number;
}

export type FarmerCommand = RegisterFarmer | UpdateFarmer | AdjustDifficulty | ApplyDifficultyPolicy | RecordMembership | SetDisplayName | SetMinimumPayout;

export type FarmerState =
  | { status: 'unknown' }
  | {
      status: 'registered';
      launcherId: string;
      authenticationPublicKey: string;
      ownerPublicKey: string;
      payoutInstructions: string;
      payoutPuzzleHash: string;
      p2SingletonPuzzleHash: string;
      /** Which protocol registered it (absent in states built before the field existed: v1). */
      protocolVersion?: 1 | 2;
      difficulty: bigint;
      /** The difficulty before the last increase, accepted until `graceUntil`. */
      previousDifficulty: bigint | null;
      graceUntil: number | null;
      isMember: boolean;
      lastUpdatedAt: number | null;
      /** Farmer area settings (absent in states built before they existed: none). */
      displayName?: string | null;
      minimumPayout?: bigint | null;
      /** When each setting last changed (its cooldown: settingsCooldown). */
      displayNameSetAt?: number;
      minimumPayoutSetAt?: number;
    };

export type RegisteredFarmer = Extract<FarmerState, { status: 'registered' }>;

function registered(state: FarmerState, launcherId: string): RegisteredFarmer {
  if (state.status !== 'registered') throw new DomainError('FARMER_NOT_KNOWN', `farmer ${launcherId} is not registered with this pool`);
  return state;
}

function difficultyChange(
  farmer: RegisteredFarmer,
  to: bigint,
  reason: DifficultyChanged['data']['reason'],
  now: number,
  graceSeconds: number,
): DifficultyChanged {
  return {
    type: 'DifficultyChanged',
    data: {
      launcherId: farmer.launcherId,
      from: farmer.difficulty.toString(),
      to: to.toString(),
      reason,
      changedAt: now,
      graceUntil: to > farmer.difficulty ? now + graceSeconds : null,
    },
  };
}

export const farmerDecider: Decider<FarmerCommand, FarmerEvent, FarmerState> = {
  initialState: () => ({ status: 'unknown' }),

  decide(command, state) {
    switch (command.type) {
      case 'RegisterFarmer': {
        if (state.status === 'registered') {
          throw new DomainError('FARMER_ALREADY_KNOWN', `farmer ${command.launcherId} is already registered; use PUT /farmer to change it`);
        }
        const { type: _type, now, difficulty, ...data } = command;
        return [{ type: 'FarmerRegistered', data: { ...data, difficulty: difficulty.toString(), registeredAt: now } }];
      }
      case 'UpdateFarmer': {
        const farmer = registered(state, command.launcherId);
        if (farmer.lastUpdatedAt !== null && command.now - farmer.lastUpdatedAt < command.cooldownSeconds) {
          const wait = command.cooldownSeconds - (command.now - farmer.lastUpdatedAt);
          throw new DomainError('REQUEST_FAILED', `farmer ${command.launcherId} was updated recently; try again in ${wait} s`);
        }
        const events: FarmerEvent[] = [];
        const changes = {
          ...(command.authenticationPublicKey !== undefined && command.authenticationPublicKey !== farmer.authenticationPublicKey
            ? { authenticationPublicKey: command.authenticationPublicKey }
            : {}),
          // The farmer compares its configured string with ours case-insensitively and re-sends on any
          // difference, so a new spelling of the same puzzle hash is recorded too.
          ...(command.payoutInstructions !== undefined &&
          (command.payoutInstructions.toLowerCase() !== farmer.payoutInstructions.toLowerCase() ||
            command.payoutPuzzleHash !== farmer.payoutPuzzleHash)
            ? { payoutInstructions: command.payoutInstructions, payoutPuzzleHash: command.payoutPuzzleHash }
            : {}),
        };
        if (Object.keys(changes).length > 0) {
          events.push({ type: 'FarmerUpdated', data: { launcherId: farmer.launcherId, ...changes, updatedAt: command.now } });
        }
        const suggested = command.suggestedDifficulty;
        if (suggested !== undefined && suggested >= command.minDifficulty && suggested !== farmer.difficulty) {
          events.push(difficultyChange(farmer, suggested, 'farmer_request', command.now, command.graceSeconds));
        }
        return events;
      }
      case 'AdjustDifficulty': {
        const farmer = registered(state, command.launcherId);
        if (command.difficulty <= 0n) throw new DomainError('INVALID_DIFFICULTY', `difficulty must be positive, got ${command.difficulty}`);
        if (command.difficulty === farmer.difficulty) return [];
        return [difficultyChange(farmer, command.difficulty, 'policy', command.now, command.graceSeconds)];
      }
      case 'ApplyDifficultyPolicy': {
        const farmer = registered(state, command.launcherId);
        const next = nextDifficulty(command.policy, command.recent, farmer.difficulty, command.now);
        if (next === farmer.difficulty) return [];
        return [difficultyChange(farmer, next, 'policy', command.now, command.graceSeconds)];
      }
      case 'RecordMembership': {
        const farmer = registered(state, command.launcherId);
        if (command.isMember === farmer.isMember) return [];
        const base = { launcherId: farmer.launcherId, height: command.height, at: command.now };
        return command.isMember
          ? [{ type: 'FarmerRejoinedPool', data: base }]
          : [{ type: 'FarmerLeftPool', data: { ...base, reason: command.reason ?? 'leaving' } }];
      }
      case 'SetDisplayName': {
        const farmer = registered(state, command.launcherId);
        const displayName = normalizeDisplayName(command.displayName);
        if (displayName === (farmer.displayName ?? null)) return [];
        settingsCooldown('display name', farmer.displayNameSetAt, command.now);
        return [{ type: 'FarmerDisplayNameSet', data: { launcherId: farmer.launcherId, displayName, setAt: command.now } }];
      }
      case 'SetMinimumPayout': {
        const farmer = registered(state, command.launcherId);
        checkFarmerMinimumPayout(command.minimumPayout, command.poolMinimumPayout);
        if (command.minimumPayout === (farmer.minimumPayout ?? null)) return [];
        settingsCooldown('minimum payout', farmer.minimumPayoutSetAt, command.now);
        return [
          {
            type: 'FarmerMinimumPayoutSet',
            data: {
              launcherId: farmer.launcherId,
              minimumPayout: command.minimumPayout === null ? null : command.minimumPayout.toString(),
              poolMinimumPayout: command.poolMinimumPayout.toString(),
              setAt: command.now,
            },
          },
        ];
      }
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'FarmerRegistered': {
        const d = event.data;
        return {
          status: 'registered',
          launcherId: d.launcherId,
          authenticationPublicKey: d.authenticationPublicKey,
          ownerPublicKey: d.ownerPublicKey,
          payoutInstructions: d.payoutInstructions,
          payoutPuzzleHash: d.payoutPuzzleHash,
          p2SingletonPuzzleHash: d.p2SingletonPuzzleHash,
          protocolVersion: d.protocolVersion,
          difficulty: BigInt(d.difficulty),
          previousDifficulty: null,
          graceUntil: null,
          isMember: true,
          lastUpdatedAt: null,
        };
      }
      case 'FarmerUpdated': {
        if (state.status !== 'registered') return state;
        const { authenticationPublicKey, payoutInstructions, payoutPuzzleHash, updatedAt } = event.data;
        return {
          ...state,
          ...(authenticationPublicKey !== undefined ? { authenticationPublicKey } : {}),
          ...(payoutInstructions !== undefined ? { payoutInstructions } : {}),
          ...(payoutPuzzleHash !== undefined ? { payoutPuzzleHash } : {}),
          lastUpdatedAt: updatedAt,
        };
      }
      case 'DifficultyChanged': {
        if (state.status !== 'registered') return state;
        const d = event.data;
        return {
          ...state,
          difficulty: BigInt(d.to),
          previousDifficulty: d.graceUntil === null ? null : BigInt(d.from),
          graceUntil: d.graceUntil,
          lastUpdatedAt: d.reason === 'farmer_request' ? d.changedAt : state.lastUpdatedAt,
        };
      }
      case 'FarmerLeftPool':
        return state.status === 'registered' ? { ...state, isMember: false } : state;
      case 'FarmerRejoinedPool':
        return state.status === 'registered' ? { ...state, isMember: true } : state;
      case 'FarmerDisplayNameSet':
        return state.status === 'registered' ? { ...state, displayName: event.data.displayName, displayNameSetAt: event.data.setAt } : state;
      case 'FarmerMinimumPayoutSet':
        return state.status === 'registered'
          ? { ...state, minimumPayout: event.data.minimumPayout === null ? null : BigInt(event.data.minimumPayout), minimumPayoutSetAt: event.data.setAt }
          : state;
    }
  },
};

/**
 * The difficulties a partial received at `receivedAt` may be checked against, highest first: the current
 * one, and during the grace window after an increase also the previous one, so partials the farmer
 * computed before it saw the new difficulty are not lost. Points credited = the highest one it passes.
 */
export function acceptedDifficulties(farmer: RegisteredFarmer, receivedAt: number): bigint[] {
  const inGrace = farmer.previousDifficulty !== null && farmer.graceUntil !== null && receivedAt <= farmer.graceUntil;
  return inGrace ? [farmer.difficulty, farmer.previousDifficulty as bigint] : [farmer.difficulty];
}
