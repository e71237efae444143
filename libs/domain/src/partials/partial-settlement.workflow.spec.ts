import { workflowSpecification } from '@pool/testing';
import type { PartialEvent } from './partial.events';
import { ORIGIN_NOT_RECORDED } from './partial-submitted.schema';
import { afterPartialStep, partialSettlementWorkflow, type PartialChecked, type PartialProgress } from './partial-settlement.workflow';

const spec = workflowSpecification(partialSettlementWorkflow({ delaySeconds: 300, reorgWindowSeconds: 3600 }));

const submitted: PartialEvent = {
  type: 'PartialSubmitted',
  data: { launcherId: 'aa', proofHash: 'p1', points: '5', signagePointHash: 'sp1', receivedAt: 1000, plotSize: 32, ...ORIGIN_NOT_RECORDED },
};
const confirmed: PartialEvent = { type: 'PartialConfirmed', data: { launcherId: 'aa', proofHash: 'p1', points: '5', confirmedAt: 1300 } };
const reverted = (wasConfirmed: boolean): PartialEvent => ({
  type: 'PartialReverted',
  data: { launcherId: 'aa', proofHash: 'p1', points: '5', reason: 'reorg', wasConfirmed, revertedAt: 1400 },
});
const checked = (overrides: Partial<PartialChecked> = {}): PartialChecked => ({
  type: 'PartialChecked',
  signagePoint: { reverted: false },
  farmer: { registered: true, isMember: true },
  now: 1300.7,
  ...overrides,
});

describe('partial settlement workflow: after the confirmation delay', () => {
  it('checks a pending partial once its delay has passed, not before', () => {
    spec.given([submitted]).when({ type: 'SettlementTick', now: 1299.9 }).then([]);
    spec.given([submitted]).when({ type: 'SettlementTick', now: 1300 }).then([{ type: 'CheckPartial' }]);
  });

  it('confirms a partial whose signage point stands and whose farmer is a member, at the floored time', () => {
    spec.given([submitted]).when(checked()).then([{ type: 'ConfirmPartial', now: 1300 }]);
  });

  it('reverts a partial whose signage point was reverted or is unknown to the node', () => {
    spec.given([submitted]).when(checked({ signagePoint: { reverted: true } })).then([{ type: 'RevertPartial', reason: 'signage_point_reverted', now: 1300 }]);
    spec.given([submitted]).when(checked({ signagePoint: null })).then([{ type: 'RevertPartial', reason: 'signage_point_reverted', now: 1300 }]);
  });

  it('reverts the partial of a farmer who left the pool (or is not registered), the signage point checked first', () => {
    spec.given([submitted]).when(checked({ farmer: { registered: true, isMember: false } })).then([{ type: 'RevertPartial', reason: 'left_pool', now: 1300 }]);
    spec.given([submitted]).when(checked({ farmer: { registered: false, isMember: false } })).then([{ type: 'RevertPartial', reason: 'left_pool', now: 1300 }]);
    spec
      .given([submitted])
      .when(checked({ signagePoint: null, farmer: { registered: true, isMember: false } }))
      .then([{ type: 'RevertPartial', reason: 'signage_point_reverted', now: 1300 }]);
  });

  it('settles nothing twice, and nothing it does not know', () => {
    spec.given([submitted, confirmed]).when({ type: 'SettlementTick', now: 5000 }).then([]);
    spec.given([submitted, confirmed]).when(checked()).then([]);
    spec.given([submitted, reverted(false)]).when({ type: 'SettlementTick', now: 5000 }).then([]);
    spec.given([]).when(checked()).then([]);
  });
});

describe('partial settlement workflow: a reorg back to a fork height', () => {
  const reorg = (now: number) => ({ type: 'ReorgReported' as const, forkHeight: 42, now });
  const rechecked = (signagePoint: { reverted: boolean } | null) => ({ type: 'SignagePointRechecked' as const, signagePoint, forkHeight: 42, now: 2000.5 });

  it('rechecks a partial confirmed within the reorg window, and lets an older one go unread', () => {
    spec.given([submitted, confirmed]).when(reorg(1300 + 3600)).then([{ type: 'RecheckSignagePoint', forkHeight: 42 }]);
    spec.given([submitted, confirmed]).when(reorg(1300 + 3601)).then([{ type: 'StopWatching' }]);
  });

  it('reverts a confirmed partial whose signage point the new chain reverted, with the fork height', () => {
    spec.given([submitted, confirmed]).when(rechecked({ reverted: true })).then([{ type: 'RevertPartial', reason: 'reorg', now: 2000, forkHeight: 42 }]);
    spec.given([submitted, confirmed]).when(rechecked({ reverted: false })).then([]);
  });

  it('keeps a confirmed partial whose signage point the node no longer remembers (and stops watching it)', () => {
    spec.given([submitted, confirmed]).when(rechecked(null)).then([{ type: 'StopWatching' }]);
  });

  it('leaves pending and reverted partials to the settlement', () => {
    spec.given([submitted]).when(reorg(1400)).then([]);
    spec.given([submitted, confirmed, reverted(true)]).when(reorg(1400)).then([]);
  });
});

describe('partial settlement workflow: what it tracks', () => {
  it('follows a partial from submitted to confirmed to reverted', () => {
    spec.given([submitted]).thenState((s) => expect(s).toEqual({ status: 'pending', launcherId: 'aa', signagePointHash: 'sp1', receivedAt: 1000 }));
    spec.given([submitted, confirmed]).thenState((s) => expect(s).toMatchObject({ status: 'confirmed', confirmedAt: 1300 }));
    spec.given([submitted, confirmed, reverted(true)]).thenState((s) => expect(s).toBeNull());
    // A repeated delivery of the submission changes nothing.
    spec.given([submitted, confirmed, submitted]).thenState((s) => expect(s?.status).toBe('confirmed'));
  });

  it('watches a partial for reorgs from the moment it is confirmed, and no more once reverted or let go', () => {
    const pending: PartialProgress = { status: 'pending', launcherId: 'aa', signagePointHash: 'sp1', receivedAt: 1000 };
    expect(afterPartialStep(pending, { type: 'ConfirmPartial', now: 1300 })).toEqual({ ...pending, status: 'confirmed', confirmedAt: 1300 });
    expect(afterPartialStep(pending, { type: 'RevertPartial', reason: 'left_pool', now: 1300 })).toBeNull();
    expect(afterPartialStep({ ...pending, status: 'confirmed', confirmedAt: 1300 }, { type: 'StopWatching' })).toBeNull();
    expect(afterPartialStep(pending, { type: 'CheckPartial' })).toBe(pending);
  });
});
