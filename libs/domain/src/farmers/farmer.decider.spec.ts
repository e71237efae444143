import { deciderSpecification } from '@pool/testing';
import { fold } from '@pool/event-sourcing';
import { acceptedDifficulties, farmerDecider, type RegisterFarmer, type RegisteredFarmer, type UpdateFarmer } from './farmer.decider';
import type { FarmerEvent, FarmerRegistered } from './farmer.events';

const spec = deciderSpecification(farmerDecider);
const LAUNCHER = 'aa'.repeat(32);

const register: RegisterFarmer = {
  type: 'RegisterFarmer',
  launcherId: LAUNCHER,
  authenticationPublicKey: 'a1',
  ownerPublicKey: 'b1',
  payoutInstructions: 'txch1example',
  payoutPuzzleHash: 'cc'.repeat(32),
  p2SingletonPuzzleHash: 'dd'.repeat(32),
  delayTime: 604800,
  delayPuzzleHash: 'ee'.repeat(32),
  difficulty: 10n,
  protocolVersion: 1,
  now: 1000,
};
const registered: FarmerRegistered = {
  type: 'FarmerRegistered',
  data: { ...(({ type: _t, now: _n, difficulty: _d, ...rest }) => rest)(register), difficulty: '10', registeredAt: 1000 },
};
const update = (changes: Partial<UpdateFarmer>): UpdateFarmer => ({
  type: 'UpdateFarmer',
  launcherId: LAUNCHER,
  minDifficulty: 5n,
  cooldownSeconds: 600,
  graceSeconds: 120,
  now: 5000,
  ...changes,
});

describe('farmer decider', () => {
  describe('RegisterFarmer', () => {
    it('registers a new farmer with its difficulty as a decimal string', () => {
      spec.given([]).when(register).then([registered]);
    });

    it('refuses a second registration of the same launcher', () => {
      spec.given([registered]).when(register).thenThrows('FARMER_ALREADY_KNOWN');
    });
  });

  describe('UpdateFarmer', () => {
    it('refuses an unknown farmer', () => {
      spec.given([]).when(update({ authenticationPublicKey: 'a2' })).thenThrows('FARMER_NOT_KNOWN');
    });

    it('records only what changed', () => {
      spec
        .given([registered])
        .when(update({ authenticationPublicKey: 'a2', payoutInstructions: 'txch1example', payoutPuzzleHash: 'cc'.repeat(32) }))
        .then([{ type: 'FarmerUpdated', data: { launcherId: LAUNCHER, authenticationPublicKey: 'a2', updatedAt: 5000 } }]);
      spec.given([registered]).when(update({ authenticationPublicKey: 'a1' })).then([]);
    });

    it('records a new spelling of the payout instructions, since the farmer compares strings', () => {
      spec
        .given([registered])
        .when(update({ payoutInstructions: `0x${'cc'.repeat(32)}`, payoutPuzzleHash: 'cc'.repeat(32) }))
        .then([
          {
            type: 'FarmerUpdated',
            data: { launcherId: LAUNCHER, payoutInstructions: `0x${'cc'.repeat(32)}`, payoutPuzzleHash: 'cc'.repeat(32), updatedAt: 5000 },
          },
        ]);
    });

    it('applies a suggested difficulty at or above the minimum, with a grace window when it rises', () => {
      spec
        .given([registered])
        .when(update({ suggestedDifficulty: 40n }))
        .then([
          {
            type: 'DifficultyChanged',
            data: { launcherId: LAUNCHER, from: '10', to: '40', reason: 'farmer_request', changedAt: 5000, graceUntil: 5120 },
          },
        ]);
      spec.given([registered]).when(update({ suggestedDifficulty: 4n })).then([]);
    });

    it('refuses updates within the cooldown after the last one', () => {
      const updated: FarmerEvent = { type: 'FarmerUpdated', data: { launcherId: LAUNCHER, authenticationPublicKey: 'a2', updatedAt: 5000 } };
      spec.given([registered, updated]).when(update({ authenticationPublicKey: 'a3', now: 5300 })).thenThrows('REQUEST_FAILED', /300 s/);
      spec
        .given([registered, updated])
        .when(update({ authenticationPublicKey: 'a3', now: 5600 }))
        .thenState((s) => expect(s).toMatchObject({ authenticationPublicKey: 'a3', lastUpdatedAt: 5600 }));
    });
  });

  describe('AdjustDifficulty and membership', () => {
    it('changes the difficulty by policy without starting the update cooldown', () => {
      spec
        .given([registered])
        .when({ type: 'AdjustDifficulty', launcherId: LAUNCHER, difficulty: 8n, graceSeconds: 120, now: 7000 })
        .thenState((s) => expect(s).toMatchObject({ difficulty: 8n, previousDifficulty: null, lastUpdatedAt: null }));
      spec.given([registered]).when({ type: 'AdjustDifficulty', launcherId: LAUNCHER, difficulty: 10n, graceSeconds: 120, now: 7000 }).then([]);
    });

    it('records leaving and rejoining once each', () => {
      const left: FarmerEvent = { type: 'FarmerLeftPool', data: { launcherId: LAUNCHER, height: 90, at: 8000, reason: 'leaving' } };
      spec.given([registered]).when({ type: 'RecordMembership', launcherId: LAUNCHER, isMember: false, height: 90, now: 8000 }).then([left]);
      spec.given([registered, left]).when({ type: 'RecordMembership', launcherId: LAUNCHER, isMember: false, height: 91, now: 8100 }).then([]);
      spec
        .given([registered, left])
        .when({ type: 'RecordMembership', launcherId: LAUNCHER, isMember: true, height: 95, now: 9000 })
        .then([{ type: 'FarmerRejoinedPool', data: { launcherId: LAUNCHER, height: 95, at: 9000 } }]);
    });
  });

  describe('ApplyDifficultyPolicy (reason "policy")', () => {
    const policy = { partialsTarget: 300, timeTarget: 86_400, minDifficulty: 1n };
    /** `count` partials at `difficulty`, newest first, `gap` seconds apart, the newest at `newest`. */
    const window = (count: number, gap: number, difficulty: bigint, newest: number) =>
      Array.from({ length: count }, (_, i) => ({ timestamp: newest - i * gap, difficulty }));
    const apply = (recent: ReturnType<typeof window>, now: number) =>
      ({ type: 'ApplyDifficultyPolicy', launcherId: LAUNCHER, policy, recent, graceSeconds: 120, now }) as const;

    it('raises the difficulty of a farmer sending too many partials, with a grace window for in-flight ones', () => {
      // 300 partials in 300 * 144 s = 12 h at difficulty 10: twice the target rate, so difficulty 20.
      spec
        .given([registered])
        .when(apply(window(300, 144, 10n, 50_000), 50_100))
        .then([
          {
            type: 'DifficultyChanged',
            data: { launcherId: LAUNCHER, from: '10', to: '20', reason: 'policy', changedAt: 50_100, graceUntil: 50_220 },
          },
        ]);
    });

    it('lowers the difficulty of a farmer gone quiet for over an hour, without a grace window', () => {
      spec
        .given([registered])
        .when(apply(window(5, 60, 10n, 10_000), 10_000 + 2 * 3600))
        .then([{ type: 'DifficultyChanged', data: { launcherId: LAUNCHER, from: '10', to: '6', reason: 'policy', changedAt: 17_200, graceUntil: null } }]);
    });

    it('records nothing while the window is short, or still holds partials of another difficulty', () => {
      spec.given([registered]).when(apply(window(20, 60, 10n, 10_000), 10_030)).then([]);
      const mixed = [...window(299, 144, 10n, 50_000), { timestamp: 6_000, difficulty: 40n }];
      spec.given([registered]).when(apply(mixed, 50_100)).then([]);
    });

    it('judges against the difficulty in its state, so a retry after a concurrent change records nothing', () => {
      const changed: FarmerEvent = {
        type: 'DifficultyChanged',
        data: { launcherId: LAUNCHER, from: '10', to: '20', reason: 'policy', changedAt: 50_100, graceUntil: 50_220 },
      };
      // The same window the first decision used: all at 10, which is no longer the farmer's difficulty.
      spec.given([registered, changed]).when(apply(window(300, 144, 10n, 50_000), 50_101)).then([]);
    });

    it('never goes below the policy minimum, and refuses an unknown farmer', () => {
      spec
        .given([registered])
        .when({ ...apply(window(3, 60, 10n, 10_000), 10_000 + 4 * 3600), policy: { ...policy, minDifficulty: 5n } })
        .then([{ type: 'DifficultyChanged', data: { launcherId: LAUNCHER, from: '10', to: '5', reason: 'policy', changedAt: 24_400, graceUntil: null } }]);
      spec.given([]).when(apply([], 1)).thenThrows('FARMER_NOT_KNOWN');
    });
  });

  describe('acceptedDifficulties', () => {
    const increased: FarmerEvent = {
      type: 'DifficultyChanged',
      data: { launcherId: LAUNCHER, from: '10', to: '40', reason: 'policy', changedAt: 5000, graceUntil: 5120 },
    };
    const farmer = fold(farmerDecider, [registered, increased]) as RegisteredFarmer;

    it('accepts the old difficulty only inside the grace window after an increase', () => {
      expect(acceptedDifficulties(farmer, 5100)).toEqual([40n, 10n]);
      expect(acceptedDifficulties(farmer, 5121)).toEqual([40n]);
    });

    it('has no grace after a decrease', () => {
      const decreased: FarmerEvent = {
        type: 'DifficultyChanged',
        data: { launcherId: LAUNCHER, from: '40', to: '20', reason: 'policy', changedAt: 6000, graceUntil: null },
      };
      expect(acceptedDifficulties(fold(farmerDecider, [registered, increased, decreased]) as RegisteredFarmer, 6001)).toEqual([20n]);
    });
  });
});
