import { NestFactory } from '@nestjs/core';
import { CommandBus, type Command } from '@nestjs/cqrs';
import { CHAIN_REORGS_STREAM, PAYOUTS_CONTROL_STREAM, partialStream, payoutStream, rewardStream } from '@pool/domain';
import { deterministicEventId } from '@pool/event-sourcing';
import { InMemoryEventStore } from '@pool/event-store';
import { pos, propPlan, signedEventFixture } from '@pool/testing';
import {
  AbsorbRewardCommand,
  ConfirmPartialCommand,
  DetectRewardCommand,
  LedgerCommandsModule,
  PausePayoutsCommand,
  PlanPayoutCommand,
  RecordPayoutConfirmedCommand,
  RecordPayoutFailedCommand,
  RecordPayoutSentCommand,
  RecordReorgCommand,
  RevertPartialCommand,
  RevertRewardCommand,
} from '.';

/**
 * Event ids derive from the stream, the revision and the command's idempotency key, so a command retried after a
 * timeout records nothing twice. The keys moved into these handlers with the command seam; a key that drifted would
 * let a retry across an upgrade record a fact twice. Each case pins the key the pool used before (013fe61).
 */
const PROOF = 'ab'.repeat(32);
const COIN = 'cd'.repeat(32);
const LAUNCHER = 'ef'.repeat(32);

interface Case {
  name: string;
  /** Events already in the stream (their ids do not matter here). */
  given: { stream: string; events: { type: string; data: unknown }[] };
  when: Command<unknown>;
  /** The key the recorded event's id must derive from (013fe61's). */
  key: string[];
}

const submitted = { type: 'PartialSubmitted', data: { launcherId: LAUNCHER, proofHash: PROOF, points: '1', signagePointHash: '11'.repeat(32), receivedAt: 100, plotSize: 32 } };
const confirmed = { type: 'PartialConfirmed', data: { launcherId: LAUNCHER, proofHash: PROOF, points: '1', confirmedAt: 400 } };
const detection = { coinId: COIN, launcherId: LAUNCHER, puzzleHash: '22'.repeat(32), amount: 1_750_000_000_000n, farmedHeight: 10, confirmedHeight: 11, now: 500 };
const detected = { type: 'RewardDetected', data: { ...detection, amount: '1750000000000', detectedAt: 500 } };
const plan = propPlan(1, pos(5), { allocations: [{ launcherId: LAUNCHER, puzzleHash: '99'.repeat(32), points: '1', amount: '1000' }] }).data;
const planned = { type: 'PayoutPlanned', data: plan };
// Sent only once signed: the saga records the signed bundles before it pushes them (the plan here has none to sign).
const signed = signedEventFixture(plan, []);
const sent = { type: 'PayoutSent', data: { payoutId: plan.payoutId, transactionIds: ['88'.repeat(32)], sentAt: 800 } };
const payout = { payoutId: plan.payoutId, sequence: 1, failedAttempts: 0 };

const CASES: Case[] = [
  { name: 'ConfirmPartial', given: { stream: partialStream(PROOF), events: [submitted] }, when: new ConfirmPartialCommand(PROOF, 400), key: [`settle:${PROOF}`] },
  {
    name: 'RevertPartial at settlement',
    given: { stream: partialStream(PROOF), events: [submitted] },
    when: new RevertPartialCommand(PROOF, 'signage_point_reverted', 400),
    key: [`settle:${PROOF}`],
  },
  { name: 'RevertPartial after a reorg', given: { stream: partialStream(PROOF), events: [submitted, confirmed] }, when: new RevertPartialCommand(PROOF, 'reorg', 450, 9), key: [`reorg:${PROOF}`] },
  { name: 'DetectReward', given: { stream: rewardStream(COIN), events: [] }, when: new DetectRewardCommand(detection), key: [`detect:${COIN}:11`] },
  {
    name: 'AbsorbReward',
    given: { stream: rewardStream(COIN), events: [detected] },
    when: new AbsorbRewardCommand(COIN, { absorbTransactionId: '33'.repeat(32), absorbedHeight: 20, poolCoinId: '44'.repeat(32), fee: 0n, now: 600 }),
    key: [`absorb:${COIN}`],
  },
  { name: 'RevertReward', given: { stream: rewardStream(COIN), events: [detected] }, when: new RevertRewardCommand(COIN, 10, 600), key: [`revert:${COIN}:10`] },
  {
    name: 'RecordReorg',
    given: { stream: CHAIN_REORGS_STREAM, events: [] },
    when: new RecordReorgCommand({ forkHeight: 10, firstOrphanedHash: '55'.repeat(32), depth: 2, oldPeak: { height: 12, headerHash: '66'.repeat(32) }, newPeak: { height: 13, headerHash: '77'.repeat(32) }, safeDepth: 6, now: 700 }),
    key: [`reorg:10:${'55'.repeat(32)}`],
  },
  { name: 'PlanPayout', given: { stream: payoutStream(1), events: [] }, when: new PlanPayoutCommand(plan), key: ['plan'] },
  { name: 'RecordPayoutSent', given: { stream: payoutStream(1), events: [planned, signed] }, when: new RecordPayoutSentCommand(payout, ['88'.repeat(32)], 800), key: ['RecordPayoutSent-0'] },
  { name: 'RecordPayoutConfirmed', given: { stream: payoutStream(1), events: [planned, sent] }, when: new RecordPayoutConfirmedCommand(payout, 30, 900), key: ['ConfirmPayout-0'] },
  { name: 'RecordPayoutFailed', given: { stream: payoutStream(1), events: [planned] }, when: new RecordPayoutFailedCommand(payout, 'node away', 1, 3, 900), key: ['fail-1'] },
  // The payout switches' id covers the whole fact, so a different switch racing for the revision conflicts.
  { name: 'PausePayouts', given: { stream: PAYOUTS_CONTROL_STREAM, events: [] }, when: new PausePayoutsCommand(' wallet maintenance ', 'operator', 1000), key: ['PayoutsPaused', 'operator', 'wallet maintenance', '1000'] },
];

describe('ledger commands keep the idempotency keys they had before the command seam', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const store = new InMemoryEventStore();
    if (c.given.events.length > 0) {
      await store.append(
        c.given.stream,
        c.given.events.map((event, i) => ({ id: deterministicEventId(c.given.stream, String(i), 'given'), type: event.type, data: event.data })),
        { expectedRevision: 'no_stream' },
      );
    }
    const app = await NestFactory.createApplicationContext(LedgerCommandsModule.forStore(store), { logger: false });
    try {
      await app.get(CommandBus).execute(c.when);
    } finally {
      await app.close();
    }
    const recorded = await store.readStream(c.given.stream);
    expect(recorded).toHaveLength(c.given.events.length + 1);
    const last = recorded[recorded.length - 1]!;
    expect(last.id).toBe(deterministicEventId(c.given.stream, String(last.revision), ...c.key));
  });
});
