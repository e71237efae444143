import { workflowSpecification } from '@pool/testing';
import type { FarmerEvent } from './farmer.events';
import { membershipWorkflow, type MembershipStep, type PlotNftPoolState, type PlotNftV2Position } from './membership.workflow';

const TARGET = 'ab'.repeat(32);
const OTHER = 'ef'.repeat(32);
const LOCK = 5;
const spec = workflowSpecification(membershipWorkflow({ targetPuzzleHash: TARGET, relativeLockHeight: LOCK }));

const registered = (launcherId: string, protocolVersion: 1 | 2): FarmerEvent => ({
  type: 'FarmerRegistered',
  data: {
    launcherId,
    authenticationPublicKey: 'a1',
    ownerPublicKey: 'a0',
    payoutInstructions: 'txch1example',
    payoutPuzzleHash: 'cc',
    p2SingletonPuzzleHash: 'dd',
    delayTime: 604_800,
    delayPuzzleHash: 'cd',
    difficulty: '1',
    protocolVersion,
    registeredAt: 1,
  },
});
const v1 = registered('l1', 1);
const v2 = registered('l2', 2);

const poolState = (overrides: Partial<PlotNftPoolState> = {}): PlotNftPoolState => ({ version: 1, state: 'farming_to_pool', targetPuzzleHash: TARGET, relativeLockHeight: LOCK, ...overrides });
const observed = (state: PlotNftPoolState | null, stateHeight = 10, peak = 20) => ({
  type: 'PlotNftObserved' as const,
  singleton: state === null ? null : { poolState: state, stateHeight },
  peak,
  now: 100.9,
});
const record = (launcherId: string, isMember: boolean, reason: MembershipStep['membership']['reason'], height = 20): MembershipStep => ({
  type: 'RecordMembership',
  membership: { launcherId, isMember, ...(reason === undefined ? {} : { reason }), height, now: 100 },
});

describe('membership workflow: a v1 plot NFT by its latest pool state', () => {
  it('is a member while farming to our target with our lock height (the reason rides along for the decider)', () => {
    spec.given([v1]).when(observed(poolState())).then([record('l1', true, 'leaving')]);
  });

  it('has left when it farms to another target, with another lock height, or another PoolState version', () => {
    spec.given([v1]).when(observed(poolState({ targetPuzzleHash: OTHER }))).then([record('l1', false, 'other_pool')]);
    spec.given([v1]).when(observed(poolState({ relativeLockHeight: LOCK + 1 }))).then([record('l1', false, 'leaving')]);
    spec.given([v1]).when(observed(poolState({ version: 2 }))).then([record('l1', false, 'leaving')]);
  });

  it('has left when self-pooling', () => {
    spec.given([v1]).when(observed(poolState({ state: 'self_pooling' }))).then([record('l1', false, 'self_pooling')]);
    spec.given([v1]).when(observed(poolState({ state: 'self_pooling', targetPuzzleHash: OTHER }))).then([record('l1', false, 'self_pooling')]);
  });

  it('stays a member while leaving until its lock height has passed', () => {
    spec.given([v1]).when(observed(poolState({ state: 'leaving_pool' }), 15, 15 + LOCK)).then([record('l1', true, 'leaving', 15 + LOCK)]);
    spec.given([v1]).when(observed(poolState({ state: 'leaving_pool' }), 15, 16 + LOCK)).then([record('l1', false, 'leaving', 16 + LOCK)]);
  });

  it('records nothing when the lineage cannot be read now, nor for a farmer it does not follow as v1', () => {
    spec.given([v1]).when(observed(null)).then([]);
    spec.given([v2]).when(observed(poolState())).then([]);
    spec.given([]).when(observed(poolState())).then([]);
  });
});

describe('membership workflow: a v2 plot NFT by where its coin sits', () => {
  const at = (position: PlotNftV2Position, peak = 20) => ({ type: 'PlotNftV2Observed' as const, position, peak, now: 100.2 });

  it('is a member at the pooling puzzle, and not at the self-pooling one or elsewhere', () => {
    spec.given([v2]).when(at({ at: 'pooling' })).then([record('l2', true, undefined)]);
    spec.given([v2]).when(at({ at: 'self_pooling' })).then([record('l2', false, 'self_pooling')]);
    spec.given([v2]).when(at({ at: 'elsewhere' })).then([record('l2', false, 'other_pool')]);
  });

  it('stays a member while exiting until the lock height has passed since the exit', () => {
    spec.given([v2]).when(at({ at: 'exiting', since: 15 }, 15 + LOCK)).then([record('l2', true, undefined, 15 + LOCK)]);
    spec.given([v2]).when(at({ at: 'exiting', since: 15 }, 16 + LOCK)).then([record('l2', false, 'leaving', 16 + LOCK)]);
  });

  it('records nothing for a farmer it does not follow as v2', () => {
    spec.given([v1]).when(at({ at: 'pooling' })).then([]);
  });
});

describe('membership workflow: whom it follows', () => {
  it('follows a farmer from its registration, by the protocol it registered with (v1 when older events lack it)', () => {
    spec.given([v2]).thenState((s) => expect(s).toEqual({ launcherId: 'l2', protocolVersion: 2 }));
    const legacy = { ...v1, data: { ...v1.data, protocolVersion: undefined } } as unknown as FarmerEvent;
    spec.given([legacy]).thenState((s) => expect(s).toEqual({ launcherId: 'l1', protocolVersion: 1 }));
  });
});
