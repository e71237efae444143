import { deciderSpecification } from '@pool/testing';
import { fold } from '../shared/decider';
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
