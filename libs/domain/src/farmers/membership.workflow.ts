import { type Workflow } from '@pool/event-sourcing';
import type { FarmerEvent, FarmerLeftPool } from './farmer.events';
import type { RecordMembership } from './farmer.decider';

/** A registered farmer whose plot NFT membership is followed (the workflow's state; null before FarmerRegistered). */
export interface FollowedFarmer {
  launcherId: string;
  /** v1 plot NFTs commit a PoolState in their travel spends; v2 ones say where they pool by their puzzle. */
  protocolVersion: 1 | 2;
}

/** This pool, as a plot NFT names it: its target (v2: pool claim) puzzle hash and its relative lock height. */
export interface MembershipPolicy {
  targetPuzzleHash: string;
  relativeLockHeight: number;
}

/** A v1 plot NFT's PoolState (chia PoolSingletonState by name), as its latest travel spend (or launcher) committed it. */
export interface PlotNftPoolState {
  version: number;
  state: 'self_pooling' | 'leaving_pool' | 'farming_to_pool';
  targetPuzzleHash: string;
  relativeLockHeight: number;
}

/** A v1 plot NFT looked up on chain: its latest pool state and the height that committed it (null: not readable now). */
export interface PlotNftObserved {
  type: 'PlotNftObserved';
  singleton: { poolState: PlotNftPoolState; stateHeight: number } | null;
  peak: number;
  now: number;
}

/** Where a v2 plot NFT's singleton coin sits: at one of the three puzzles this pool knows, or elsewhere (another pool). */
export type PlotNftV2Position = { at: 'pooling' } | { at: 'exiting'; since: number } | { at: 'self_pooling' } | { at: 'elsewhere' };

export interface PlotNftV2Observed {
  type: 'PlotNftV2Observed';
  position: PlotNftV2Position;
  peak: number;
  now: number;
}

export type MembershipInput = PlotNftObserved | PlotNftV2Observed;

/**
 * Record what the chain says of the farmer's membership now (RecordMembership): the farmer decider records
 * FarmerLeftPool or FarmerRejoinedPool only when it differs from the farmer's state, so an unchanged membership
 * records nothing and a retried check is harmless.
 */
export interface MembershipStep {
  type: 'RecordMembership';
  membership: Omit<RecordMembership, 'type'>;
}

type NotMemberReason = FarmerLeftPool['data']['reason'];

/**
 * Is a v1 farmer a member of this pool (the reference pool's rule)? Farming to our target with our lock height; a
 * leaving farmer stays a member until its lock height has passed, so its last partials count.
 */
export function isPoolMember(poolState: PlotNftPoolState, stateHeight: number, peak: number, pool: MembershipPolicy): boolean {
  if (poolState.targetPuzzleHash !== pool.targetPuzzleHash || poolState.relativeLockHeight !== pool.relativeLockHeight) return false;
  if (poolState.version !== 1) return false;
  if (poolState.state === 'self_pooling') return false;
  if (poolState.state === 'leaving_pool') return peak - stateHeight <= poolState.relativeLockHeight;
  return true;
}

/** Why a v1 plot NFT is (or would be) out of the pool: self-pooling, farming to another target, or leaving. */
function v1Reason(poolState: PlotNftPoolState, pool: MembershipPolicy): NotMemberReason {
  if (poolState.state === 'self_pooling') return 'self_pooling';
  if (poolState.targetPuzzleHash !== pool.targetPuzzleHash) return 'other_pool';
  return 'leaving';
}

/**
 * Membership of a v2 plot NFT from where its singleton coin sits: at this pool's pooling puzzle → member; at the
 * exiting puzzle → still a member until the pool's relative lock height has passed since it started exiting (the
 * same grace v1 gives a leaving farmer; pool2-reference records the exit height but never uses it); at the
 * self-pooling puzzle, or nowhere this pool knows (another pool) → not a member.
 */
export function plotNftV2Membership(position: PlotNftV2Position, peak: number, relativeLockHeight: number): { isMember: true } | { isMember: false; reason: NotMemberReason } {
  switch (position.at) {
    case 'pooling':
      return { isMember: true };
    case 'exiting':
      return peak - position.since > relativeLockHeight ? { isMember: false, reason: 'leaving' } : { isMember: true };
    case 'self_pooling':
      return { isMember: false, reason: 'self_pooling' };
    case 'elsewhere':
      return { isMember: false, reason: 'other_pool' };
  }
}

function observedV1(input: PlotNftObserved, farmer: FollowedFarmer, pool: MembershipPolicy): MembershipStep[] {
  // A lineage the chain cannot show now (it moved under the walk) says nothing: the next check looks again.
  if (input.singleton === null) return [];
  const { poolState, stateHeight } = input.singleton;
  const isMember = isPoolMember(poolState, stateHeight, input.peak, pool);
  // The reason goes with every v1 record, a member's included (the decider reads it only when the farmer left).
  return [{ type: 'RecordMembership', membership: { launcherId: farmer.launcherId, isMember, reason: v1Reason(poolState, pool), height: input.peak, now: Math.floor(input.now) } }];
}

function observedV2(input: PlotNftV2Observed, farmer: FollowedFarmer, pool: MembershipPolicy): MembershipStep[] {
  const membership = plotNftV2Membership(input.position, input.peak, pool.relativeLockHeight);
  const reason = membership.isMember ? {} : { reason: membership.reason };
  return [{ type: 'RecordMembership', membership: { launcherId: farmer.launcherId, isMember: membership.isMember, ...reason, height: input.peak, now: Math.floor(input.now) } }];
}

/** Folds one farmer's events: its registration names the plot NFT and the protocol it follows. */
export function evolveFollowedFarmer(farmer: FollowedFarmer | null, event: FarmerEvent): FollowedFarmer | null {
  if (event.type !== 'FarmerRegistered') return farmer;
  return farmer ?? { launcherId: event.data.launcherId, protocolVersion: event.data.protocolVersion === 2 ? 2 : 1 };
}

/**
 * The membership of one registered farmer (stream `farmer-<launcherId>`): from its v1 plot NFT's latest pool state
 * against this pool's target and lock height, or from where its v2 plot NFT's coin sits. The worker's membership
 * trackers read the chain, feed the observation here, and record the step through RecordMembership at the peak.
 */
export function membershipWorkflow(pool: MembershipPolicy): Workflow<MembershipInput, FollowedFarmer | null, MembershipStep, FarmerEvent> {
  return {
    initialState: () => null,
    evolve: evolveFollowedFarmer,
    decide(input, farmer) {
      if (farmer === null) return [];
      switch (input.type) {
        case 'PlotNftObserved':
          return farmer.protocolVersion === 1 ? observedV1(input, farmer, pool) : [];
        case 'PlotNftV2Observed':
          return farmer.protocolVersion === 2 ? observedV2(input, farmer, pool) : [];
      }
    },
  };
}
