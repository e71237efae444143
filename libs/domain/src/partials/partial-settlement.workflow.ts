import { type Workflow } from '@pool/event-sourcing';
import type { PartialEvent, PartialRevertReason } from './partial.events';

/**
 * One partial as settlement follows it (the workflow's state; null before PartialSubmitted and once nothing more
 * can happen to it):
 * - pending: submitted, waiting out the confirmation delay;
 * - confirmed: its points count, and it is young enough for a reorg to take them back.
 */
export type PartialProgress =
  | { status: 'pending'; launcherId: string; signagePointHash: string; receivedAt: number }
  | { status: 'confirmed'; launcherId: string; signagePointHash: string; receivedAt: number; confirmedAt: number };

/** The confirmation delay and how long after its confirmation a reorg can still revert a partial (from the settings). */
export interface PartialSettlementPolicy {
  /** Seconds after receipt before a partial is settled (reference: 300). */
  delaySeconds: number;
  /** Seconds after confirmation during which a reorg can still revert a partial. */
  reorgWindowSeconds: number;
}

/** What the node answered for a signage point: null when it does not remember it (a real node keeps only recent ones). */
export type SignagePointSeen = { reverted: boolean } | null;

/** Time passed: is the partial due? `now` in Unix seconds on the chain's clock (not floored). */
export interface SettlementTick {
  type: 'SettlementTick';
  now: number;
}

/** A due partial looked up: its signage point on the node, and its farmer as the farmer's stream says now. */
export interface PartialChecked {
  type: 'PartialChecked';
  signagePoint: SignagePointSeen;
  farmer: { registered: boolean; isMember: boolean };
  now: number;
}

/** The chain reorganised back to `forkHeight`: does a confirmed partial still stand? */
export interface ReorgReported {
  type: 'ReorgReported';
  forkHeight: number;
  now: number;
}

/** A confirmed partial's signage point looked up again after a reorg. */
export interface SignagePointRechecked {
  type: 'SignagePointRechecked';
  signagePoint: SignagePointSeen;
  forkHeight: number;
  now: number;
}

export type PartialSettlementInput = SettlementTick | PartialChecked | ReorgReported | SignagePointRechecked;

/** What the shell does: read the chain and the farmer, record a settlement (the partial commands), or let go. */
export type PartialSettlementStep =
  /** Look up the partial's signage point and its farmer, and answer with PartialChecked. */
  | { type: 'CheckPartial' }
  /** Look up the confirmed partial's signage point again, and answer with SignagePointRechecked (same fork height). */
  | { type: 'RecheckSignagePoint'; forkHeight: number }
  | { type: 'ConfirmPartial'; now: number }
  | { type: 'RevertPartial'; reason: PartialRevertReason; now: number; forkHeight?: number }
  /** Nothing more can revert this confirmed partial: it need not be watched again. */
  | { type: 'StopWatching' };

/** Settled when the delay has passed since receipt. */
function tick(input: SettlementTick, partial: PartialProgress, policy: PartialSettlementPolicy): PartialSettlementStep[] {
  if (partial.status !== 'pending' || partial.receivedAt + policy.delaySeconds > input.now) return [];
  return [{ type: 'CheckPartial' }];
}

/**
 * At settlement the signage point must still be known and on the chain (the reference pool's rule), and the farmer
 * must still be a member: confirmed, or reverted with the first reason that fails.
 */
function settle(input: PartialChecked, partial: PartialProgress): PartialSettlementStep[] {
  if (partial.status !== 'pending') return [];
  const now = Math.floor(input.now);
  if (input.signagePoint === null || input.signagePoint.reverted) return [{ type: 'RevertPartial', reason: 'signage_point_reverted', now }];
  if (!input.farmer.registered || !input.farmer.isMember) return [{ type: 'RevertPartial', reason: 'left_pool', now }];
  return [{ type: 'ConfirmPartial', now }];
}

/** After a reorg only partials confirmed within the window are looked at again; older ones are let go unread. */
function reorg(input: ReorgReported, partial: PartialProgress, policy: PartialSettlementPolicy): PartialSettlementStep[] {
  if (partial.status !== 'confirmed') return [];
  if (partial.confirmedAt < input.now - policy.reorgWindowSeconds) return [{ type: 'StopWatching' }];
  return [{ type: 'RecheckSignagePoint', forkHeight: input.forkHeight }];
}

/**
 * A confirmed partial whose signage point the new chain no longer has is reverted (reason "reorg", with the fork
 * height); nothing is deleted or edited. A signage point the node no longer remembers cannot say whether a reorg
 * took it back, and "unknown" must not cost the farmer a confirmed partial: it is let go.
 */
function recheck(input: SignagePointRechecked, partial: PartialProgress): PartialSettlementStep[] {
  if (partial.status !== 'confirmed') return [];
  if (input.signagePoint === null) return [{ type: 'StopWatching' }];
  if (!input.signagePoint.reverted) return [];
  return [{ type: 'RevertPartial', reason: 'reorg', now: Math.floor(input.now), forkHeight: input.forkHeight }];
}

/** Folds one partial stream's events (its facts, as the settlement follows them). */
export function evolvePartialProgress(partial: PartialProgress | null, event: PartialEvent): PartialProgress | null {
  switch (event.type) {
    case 'PartialSubmitted': {
      // A partial is submitted once (its stream starts with it): a repeated delivery changes nothing.
      const { launcherId, signagePointHash, receivedAt } = event.data;
      return partial ?? { status: 'pending', launcherId, signagePointHash, receivedAt };
    }
    case 'PartialConfirmed':
      return partial?.status === 'pending' ? { ...partial, status: 'confirmed', confirmedAt: event.data.confirmedAt } : partial;
    case 'PartialReverted':
      return null;
  }
}

/**
 * What an executed step changes at once, before the ledger's echo of it arrives (the echo then changes nothing): a
 * confirmed partial is watched for reorgs from its confirmation on, a reverted or let-go one no more, and a partial
 * settled is not settled again on the next tick.
 */
export function afterPartialStep(partial: PartialProgress | null, step: PartialSettlementStep): PartialProgress | null {
  if (partial === null) return null;
  switch (step.type) {
    case 'ConfirmPartial':
      return partial.status === 'pending' ? { ...partial, status: 'confirmed', confirmedAt: step.now } : partial;
    case 'RevertPartial':
    case 'StopWatching':
      return null;
    default:
      return partial;
  }
}

/**
 * The settlement of one partial (stream `partial-<proofHash>`): after the confirmation delay, confirm it or revert it
 * (signage point reverted or unknown, farmer left the pool); while the reorg window lasts, revert a confirmed one
 * whose signage point a reorg took back. The worker's PartialConfirmer follows the ledger (the ledger is the queue),
 * reads the chain and the farmer, and executes the steps through ConfirmPartial and RevertPartial.
 */
export function partialSettlementWorkflow(
  policy: PartialSettlementPolicy,
): Workflow<PartialSettlementInput, PartialProgress | null, PartialSettlementStep, PartialEvent> {
  return {
    initialState: () => null,
    evolve: evolvePartialProgress,
    decide(input, partial) {
      if (partial === null) return [];
      switch (input.type) {
        case 'SettlementTick':
          return tick(input, partial, policy);
        case 'PartialChecked':
          return settle(input, partial);
        case 'ReorgReported':
          return reorg(input, partial, policy);
        case 'SignagePointRechecked':
          return recheck(input, partial);
      }
    },
  };
}
