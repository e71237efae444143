import { applyToPayoutLedger, createPayoutLedger, unresolvedPayouts } from '@pool/domain';
import { planPayout } from '@pool/domain';
import { buildPayoutTransactions } from '@pool/domain';
import type { PayoutPlanned, PayoutSchemeConfig } from '@pool/domain';
import { randomUUID } from 'node:crypto';
import type { EventStore } from '@pool/event-sourcing';

/**
 * A deterministic, realistic ledger for audit tests and the audit benchmark: farmers register, submit partials
 * that are mostly confirmed and sometimes reverted (before and after the payout that paid them), change payout
 * addresses, leave and rejoin; rewards are absorbed and a few reverted; payouts are planned with planPayout
 * itself (so an honest audit matches), sent, confirmed, and now and then abandoned; payouts are paused for a
 * while. PROP and PPLNS alternate so both are replayed.
 *
 * Events come in batches meant for one append each. Streams group many facts per batch (`partial-batch-…`)
 * so that a million events can be written in minutes; the audit reads types and data, not stream names.
 * A batch's events are built when `events(lastPosition)` is called with the store position of the last event
 * appended so far: a PayoutPlanned records it as its `ledgerPosition`.
 */
export interface SyntheticBatch {
  stream: string;
  events(lastPosition: string | undefined): { type: string; data: unknown }[];
}

export interface SyntheticLedgerOptions {
  farmers?: number;
  payouts?: number;
  /** Partial confirmations between two payouts (each also writes a PartialSubmitted). */
  partialsPerPayout?: number;
  /** Upper bound on the events in one batch. */
  batchSize?: number;
  seed?: number;
}

/** mulberry32: a small seeded generator, so the same options always give the same ledger. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hex = (prefix: string, n: number): string => `${prefix}${n.toString(16)}`.padStart(64, '0');
const SYNTHETIC_POSITION_WIDTH = 20;

export const syntheticLauncherId = (n: number): string => hex('a', n);

export function syntheticSchemes(): PayoutSchemeConfig[] {
  const common = {
    feeBasisPoints: 100,
    poolFeePuzzleHash: hex('fee', 0),
    minimumPayout: '1000000000',
    maxAdditionsPerTransaction: 400,
    blockchainFeePerTransaction: '1000000',
  };
  return [
    { name: 'prop', ...common, maxRecipientsPerRun: 150 },
    { name: 'pplns', ...common, windowPoints: '20000', maxPerRecipient: '300000000000' },
    { name: 'pplns', ...common, windowSeconds: 3600, maxTotalPerRun: '1500000000000' },
  ];
}

export function* syntheticLedger(options: SyntheticLedgerOptions = {}): Generator<SyntheticBatch> {
  const farmers = options.farmers ?? 200;
  const payouts = options.payouts ?? 20;
  const partialsPerPayout = options.partialsPerPayout ?? 300;
  const batchSize = options.batchSize ?? 2000;
  const rand = random(options.seed ?? 1);
  const int = (n: number): number => Math.floor(rand() * n);
  const schemes = syntheticSchemes();

  // The generator's own ledger tracks the plans it makes; synthetic positions keep its order (a plan always
  // sees every earlier event), whatever positions the store hands out.
  const ledger = createPayoutLedger();
  let counter = 0;
  const apply = (events: { type: string; data: unknown }[]): { type: string; data: unknown }[] => {
    for (const event of events) applyToPayoutLedger(ledger, event, String(++counter).padStart(SYNTHETIC_POSITION_WIDTH, '0'));
    return events;
  };
  let time = 1_700_000_000;
  let batchNumber = 0;
  const batch = (stream: string, build: (lastPosition: string | undefined) => { type: string; data: unknown }[]): SyntheticBatch => ({
    stream,
    events: (lastPosition) => apply(build(lastPosition)),
  });

  let pending: { type: string; data: unknown }[] = [];
  function* flush(prefix: string): Generator<SyntheticBatch> {
    while (pending.length > 0) {
      const chunk = pending.slice(0, batchSize);
      pending = pending.slice(batchSize);
      yield batch(`${prefix}-${(batchNumber++).toString().padStart(8, '0')}`, () => chunk);
    }
  }

  for (let f = 0; f < farmers; f++) {
    const launcherId = syntheticLauncherId(f);
    pending.push({
      type: 'FarmerRegistered',
      data: {
        launcherId,
        authenticationPublicKey: hex('ae', f),
        ownerPublicKey: hex('0e', f),
        payoutInstructions: hex('b', f),
        payoutPuzzleHash: hex('b', f),
        p2SingletonPuzzleHash: hex('c', f),
        delayTime: 604800,
        delayPuzzleHash: hex('d', f),
        difficulty: '1',
        protocolVersion: 1,
        registeredAt: time,
      },
    });
  }
  yield* flush('farmer-batch');

  let proof = 0;
  let coin = 0;
  const confirmedProofs: { launcherId: string; proofHash: string; points: string }[] = [];
  const absorbedCoins: { coinId: string; launcherId: string; amount: string }[] = [];
  let paused = false;
  let period = 0;

  for (let sequence = 1; sequence <= payouts; ) {
    period++;
    // A period of farming: submissions, confirmations, reverts (some of partials already paid for).
    for (let i = 0; i < partialsPerPayout; i++) {
      time += 1;
      const launcherId = syntheticLauncherId(Math.min(farmers - 1, Math.floor(farmers * rand() * rand() * 1.3)));
      const proofHash = hex('9', proof++);
      const points = String(1 + int(20));
      pending.push({ type: 'PartialSubmitted', data: { launcherId, proofHash, points, signagePointHash: hex('5', proof), receivedAt: time, plotSize: 32 } });
      if (rand() < 0.04) {
        pending.push({ type: 'PartialReverted', data: { launcherId, proofHash, points, reason: 'signage_point_reverted', wasConfirmed: false, revertedAt: time } });
        continue;
      }
      pending.push({ type: 'PartialConfirmed', data: { launcherId, proofHash, points, confirmedAt: time } });
      confirmedProofs.push({ launcherId, proofHash, points });
      if (rand() < 0.01 && confirmedProofs.length > 10) {
        const victim = confirmedProofs.splice(confirmedProofs.length - 1 - int(Math.min(confirmedProofs.length - 1, partialsPerPayout * 2)), 1)[0]!;
        pending.push({ type: 'PartialReverted', data: { ...victim, reason: 'reorg', wasConfirmed: true, revertedAt: time, forkHeight: 1 } });
      }
      if (confirmedProofs.length > partialsPerPayout * 3) confirmedProofs.splice(0, partialsPerPayout);
    }
    // Rewards won in the period; now and then a reorg takes one back.
    for (let r = 0; r < 1 + int(2); r++) {
      const coinId = hex('7', coin++);
      const launcherId = syntheticLauncherId(int(farmers));
      const amount = '1750000000000';
      pending.push(
        { type: 'RewardDetected', data: { coinId, launcherId, puzzleHash: hex('c', 0), amount, farmedHeight: coin, confirmedHeight: coin + 32, detectedAt: time } },
        { type: 'RewardAbsorbed', data: { coinId, launcherId, amount, absorbTransactionId: hex('ab', coin), absorbedHeight: coin + 40, poolCoinId: hex('be', coin), fee: '0', absorbedAt: time } },
      );
      absorbedCoins.push({ coinId, launcherId, amount });
    }
    if ((rand() < 0.05 || period % 13 === 6) && absorbedCoins.length > 1) {
      const victim = absorbedCoins.splice(int(absorbedCoins.length), 1)[0]!;
      pending.push({ type: 'RewardReverted', data: { ...victim, reason: 'reorg', forkHeight: 1, wasAbsorbed: true, revertedAt: time } });
    }
    // Farmers move: new payout addresses, leaving, rejoining.
    if (rand() < 0.2) {
      const f = int(farmers);
      pending.push({ type: 'FarmerUpdated', data: { launcherId: syntheticLauncherId(f), payoutInstructions: hex('b', f + 100_000 * sequence), payoutPuzzleHash: hex('b', f + 100_000 * sequence), updatedAt: time } });
    }
    if (rand() < 0.1) pending.push({ type: 'FarmerLeftPool', data: { launcherId: syntheticLauncherId(int(farmers)), height: sequence, at: time, reason: 'leaving' } });
    if (rand() < 0.1) pending.push({ type: 'FarmerRejoinedPool', data: { launcherId: syntheticLauncherId(int(farmers)), height: sequence, at: time } });
    if (!paused && period % 17 === 9) {
      pending.push({ type: 'PayoutsPaused', data: { reason: 'synthetic maintenance', by: 'operator', at: time } });
      paused = true;
    } else if (paused) {
      pending.push({ type: 'PayoutsResumed', data: { reason: 'synthetic maintenance over', by: 'operator', at: time } });
      paused = false;
    }
    yield* flush('partial-batch');
    if (paused) continue;

    // The plan, exactly as the saga makes it: from the ledger up to the last event appended.
    const scheme = schemes[Math.floor((sequence - 1) / 7) % schemes.length]!;
    const plannedAt = time;
    const draft = planPayout(ledger, scheme, plannedAt);
    if (draft === null || unresolvedPayouts(ledger).length > 0) continue;
    const payoutId = `payout-${sequence.toString().padStart(8, '0')}`;
    const seq = sequence;
    // One wallet coin per possible transaction: change is not spendable within the same run.
    const walletCoins = [0, 1, 2, 3].map((k) => ({ coinId: hex('3', seq * 4 + k), amount: 10n ** 15n }));
    yield {
      stream: payoutId,
      events: (lastPosition) => {
        const data: PayoutPlanned['data'] = {
          ...draft,
          payoutId,
          sequence: seq,
          ledgerPosition: lastPosition ?? ''.padStart(SYNTHETIC_POSITION_WIDTH, '0'),
          plannedAt,
          configVersion: `synthetic-${scheme.name}`,
          transactions: buildPayoutTransactions(draft, walletCoins, scheme.maxAdditionsPerTransaction),
        };
        // The store's position goes into the event; this generator's own ledger numbers events itself, so it
        // folds the plan with its own position for the same point in the ledger.
        const synthetic = String(counter).padStart(SYNTHETIC_POSITION_WIDTH, '0');
        apply([{ type: 'PayoutPlanned', data: { ...data, ledgerPosition: synthetic } }]);
        return [{ type: 'PayoutPlanned', data }];
      },
    };
    time += 1;
    const end =
      rand() < 0.03 || seq % 11 === 4
        ? [
            { type: 'PayoutFailed', data: { payoutId, reason: 'wallet refused', attempt: 1, willRetry: true, failedAt: time } },
            { type: 'PayoutFailed', data: { payoutId, reason: 'wallet refused', attempt: 2, willRetry: false, failedAt: time } },
          ]
        : [
            { type: 'PayoutSent', data: { payoutId, transactionIds: [hex('7a', seq)], sentAt: time } },
            { type: 'PayoutConfirmed', data: { payoutId, confirmedHeight: seq * 10, confirmedAt: time + 60 } },
          ];
    yield { stream: payoutId, events: () => apply(end) };
    sequence++;
  }
}

/**
 * Appends to a synthetic ledger what the next payout is planned from: 50 confirmed points of farmer 3 and one pool
 * reward (1.75 XCH) detected and absorbed, in `stream`.
 */
export async function appendAbsorbedRewardFixture(store: EventStore, stream: string): Promise<void> {
  await store.append(
    stream,
    [
      { id: randomUUID(), type: 'PartialConfirmed', data: { launcherId: syntheticLauncherId(3), proofHash: 'f'.repeat(64), points: '50', confirmedAt: 1_800_000_000 } },
      {
        id: randomUUID(),
        type: 'RewardDetected',
        data: { coinId: 'e'.repeat(64), launcherId: syntheticLauncherId(3), puzzleHash: 'c'.repeat(64), amount: '1750000000000', farmedHeight: 9900, confirmedHeight: 9932, detectedAt: 1_800_000_000 },
      },
      {
        id: randomUUID(),
        type: 'RewardAbsorbed',
        data: { coinId: 'e'.repeat(64), launcherId: syntheticLauncherId(3), amount: '1750000000000', absorbTransactionId: 'd'.repeat(64), absorbedHeight: 9999, poolCoinId: 'c'.repeat(64), fee: '0', absorbedAt: 1_800_000_000 },
      },
    ],
    { expectedRevision: 'no_stream' },
  );
}
