import { type INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { loadPoolConfig } from '@pool/config';
import { farmerDecider, farmerStream, type RegisteredFarmer } from '@pool/domain';
import { StreamCommandRunner } from '@pool/event-sourcing';
import { InMemoryEventStore } from '@pool/event-store';
import { COMMAND_RUNNER, EVENT_STORE, POOL_CONFIG } from '@pool/runtime';
import { FarmerActivityCache } from '../farmer-activity/farmer-activity.cache';
import { ApplyDifficultyPolicyHandler } from './apply-difficulty-policy.handler';
import { DifficultyStep } from './difficulty.step';

const A = 'aa'.repeat(32);
const HOUR = 3600;

describe('DifficultyStep', () => {
  let store: InMemoryEventStore;
  let runner: StreamCommandRunner;
  let app: INestApplicationContext;
  let step: DifficultyStep;

  beforeEach(async () => {
    store = new InMemoryEventStore();
    runner = new StreamCommandRunner(store);
    const base = loadPoolConfig({});
    const config = { ...base, settings: { ...base.settings, minimumDifficulty: 1n } };
    @Module({
      imports: [CqrsModule.forRoot()],
      providers: [
        { provide: EVENT_STORE, useValue: store },
        { provide: COMMAND_RUNNER, useValue: runner },
        { provide: POOL_CONFIG, useValue: config },
        { provide: FarmerActivityCache, useFactory: () => new FarmerActivityCache(store, 300, 60_000) },
        ApplyDifficultyPolicyHandler,
        DifficultyStep,
      ],
    })
    class StepModule {}
    app = await NestFactory.createApplicationContext(StepModule, { logger: false });
    await app.init();
    step = app.get(DifficultyStep);
  });
  afterEach(() => app.close());

  async function registered(difficulty: bigint): Promise<RegisteredFarmer> {
    const { state } = await runner.run(farmerStream(A), farmerDecider, {
      type: 'RegisterFarmer',
      launcherId: A,
      authenticationPublicKey: 'bb'.repeat(48),
      ownerPublicKey: 'bb'.repeat(48),
      payoutInstructions: 'cc'.repeat(32),
      payoutPuzzleHash: 'cc'.repeat(32),
      p2SingletonPuzzleHash: 'dd'.repeat(32),
      delayTime: 3600,
      delayPuzzleHash: '00'.repeat(32),
      difficulty,
      protocolVersion: 1,
      now: 0,
    });
    return state as RegisteredFarmer;
  }
  const farmerEvents = async (): Promise<string[]> => (await store.readStream(farmerStream(A))).map((e) => e.type);

  it('records nothing when the policy keeps the difficulty (the common case: no dispatch, no append)', async () => {
    const farmer = await registered(10n);
    expect(await step.afterAccepted(farmer, { proofHash: 'p1', receivedAt: 100, points: 10n })).toBe(10n);
    expect(await step.afterAccepted(farmer, { proofHash: 'p2', receivedAt: 110, points: 10n })).toBe(10n);
    expect(await farmerEvents()).toEqual(['FarmerRegistered']);
  });

  it('lowers the difficulty of a farmer gone quiet, judged on the partials before the one just accepted', async () => {
    const farmer = await registered(10n);
    await step.afterAccepted(farmer, { proofHash: 'p1', receivedAt: 100, points: 10n });
    // Over three hours of silence: a fifth of the difficulty, recorded on the farmer's stream through the bus.
    expect(await step.afterAccepted(farmer, { proofHash: 'p2', receivedAt: 100 + 3 * HOUR + 1, points: 10n })).toBe(2n);
    expect(await farmerEvents()).toEqual(['FarmerRegistered', 'DifficultyChanged']);
  });

  it('answers the difficulty in force when recording the change fails: the partial is already accepted', async () => {
    const farmer = await registered(10n);
    await step.afterAccepted(farmer, { proofHash: 'p1', receivedAt: 100, points: 10n });
    jest.spyOn(runner, 'run').mockRejectedValueOnce(new Error('store unavailable'));
    expect(await step.afterAccepted(farmer, { proofHash: 'p2', receivedAt: 100 + 3 * HOUR + 1, points: 10n })).toBe(10n);
    expect(await farmerEvents()).toEqual(['FarmerRegistered']);
  });
});
