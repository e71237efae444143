import { createHash } from 'node:crypto';
import { coinId } from '@pool/chia';
import {
  farmerStream,
  partialStream,
  payoutStream,
  rewardStream,
  type FarmerEvent,
  type PartialEvent,
  type PartialSubmitted,
  type PartialSubmittedV1Data,
  type PayoutCoin,
  type PayoutEvent,
  type SignedPayoutTransaction,
  refusalStream,
  type RefusalEvent,
  type RewardEvent,
} from '@pool/domain';
import type { EventStore, GlobalPosition } from '@pool/event-sourcing';

/**
 * A synthetic but rule-abiding ledger for projection tests and the rebuild benchmark: farmers register, send
 * partials that are confirmed after a delay or reverted (signage point gone, left pool), reorgs revert recent
 * confirms, difficulties change, farmers leave and rejoin, rewards are detected, absorbed or reorged away, and
 * payouts are planned, sent, confirmed or failed. Deterministic for a given seed (ids included).
 */
export interface LedgerOptions {
  farmers: number;
  /** Stop after this many events (facts: the refused-partials log, about one per 20 partials, comes on top). */
  events: number;
  seed?: number;
  /** Ledger time of the first event (unix seconds). */
  start?: number;
  /** Ledger seconds between two submissions. */
  secondsPerPartial?: number;
  /** Partials between two reward coins, and between two payout plans. */
  rewardEvery?: number;
  payoutEvery?: number;
  /** Multiplies the rates of reorgs, difficulty changes, updates and farmers leaving (small test ledgers). */
  churn?: number;
}

export type LedgerEvent = FarmerEvent | PartialEvent | RewardEvent | PayoutEvent | RefusalEvent;

export interface GeneratedEvent {
  stream: string;
  id: string;
  event: LedgerEvent;
  /** The schema version it is recorded at; omitted: 1. */
  schemaVersion?: number;
}

/** mulberry32: small, fast and reproducible. */
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

const hex64 = (label: string, n: number, seed: number): string => createHash('sha256').update(`${label}:${seed}:${n}`).digest('hex');

function uuidOf(n: number, seed: number, kind = 'event'): string {
  const h = createHash('sha1').update(`${kind}:${seed}:${n}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

interface Pending {
  launcherId: string;
  proofHash: string;
  points: string;
  due: number;
}

export function* generateLedger(options: LedgerOptions): Generator<GeneratedEvent> {
  const seed = options.seed ?? 1;
  const rand = random(seed);
  const start = options.start ?? 1_750_000_000;
  const step = options.secondsPerPartial ?? 2;
  const rewardEvery = options.rewardEvery ?? 997;
  const payoutEvery = options.payoutEvery ?? 7919;
  const confirmationDelay = 300;
  const churn = options.churn ?? 1;
  let emitted = 0;
  let now = start;
  let refusals = 0;
  const logged = (stream: string, event: RefusalEvent): GeneratedEvent => ({ stream, id: uuidOf(refusals++, seed, 'refusal'), event });
  const emit = (stream: string, event: LedgerEvent, schemaVersion?: number): GeneratedEvent => ({
    stream,
    id: uuidOf(emitted++, seed),
    event,
    ...(schemaVersion === undefined ? {} : { schemaVersion }),
  });
  // The first half of the ledger is recorded as before PartialSubmitted schema 2 (no origin: readers upcast it);
  // from then on each farmer's partials come from one of its three harvesters, with the headers Chia's farmer sends.
  const upgradedAt = Math.floor(options.events / 2);
  const submission = (farmerIndex: number, v1: PartialSubmittedV1Data): { data: PartialSubmitted['data']; schemaVersion?: number } => {
    if (emitted < upgradedAt) return { data: v1 as PartialSubmitted['data'] };
    const harvester = farmerIndex * 3 + (partials % 3);
    const plot = hex64('plot', harvester * 100 + (partials % 7), seed);
    return {
      data: {
        ...v1,
        harvesterId: hex64('harvester', harvester, seed),
        plotPublicKey: `${plot}${plot.slice(0, 32)}`,
        plotId: hex64('plot-id', harvester * 100 + (partials % 7), seed),
        endOfSubSlot: partials % 16 === 0,
        farmerVersion: '2.5.0',
        harvesterVersion: harvester % 2 === 0 ? '2.5.0' : '2.4.4',
        userAgent: 'Chia Blockchain v.2.5.0',
      },
      schemaVersion: 2,
    };
  };

  const farmers = Array.from({ length: options.farmers }, (_, i) => hex64('farmer', i, seed));
  const difficulty = new Map<string, number>();
  const left = new Set<string>();
  for (const launcherId of farmers) {
    if (emitted >= options.events) return;
    difficulty.set(launcherId, 1 + Math.floor(rand() * 20));
    yield emit(farmerStream(launcherId), {
      type: 'FarmerRegistered',
      data: {
        launcherId,
        authenticationPublicKey: 'a'.repeat(96),
        ownerPublicKey: 'b'.repeat(96),
        payoutInstructions: hex64('payout', farmers.indexOf(launcherId), seed),
        payoutPuzzleHash: hex64('payout', farmers.indexOf(launcherId), seed),
        p2SingletonPuzzleHash: hex64('p2', farmers.indexOf(launcherId), seed),
        delayTime: 604800,
        delayPuzzleHash: hex64('delay', farmers.indexOf(launcherId), seed),
        difficulty: String(difficulty.get(launcherId)),
        protocolVersion: 1,
        registeredAt: now,
      },
    });
  }
  // Farmer area settings: a name for the leaderboard, and an own minimum payout at the generated plans' minimum (0),
  // so the plans below stay what the payout policy would plan.
  if (farmers.length >= 2 && emitted + 2 <= options.events) {
    yield emit(farmerStream(farmers[0]!), { type: 'FarmerDisplayNameSet', data: { launcherId: farmers[0]!, displayName: `Farm ${seed} & Co`, setAt: now } });
    yield emit(farmerStream(farmers[1]!), { type: 'FarmerMinimumPayoutSet', data: { launcherId: farmers[1]!, minimumPayout: '0', poolMinimumPayout: '0', setAt: now } });
  }

  const pending: Pending[] = [];
  const recentConfirmed: Pending[] = [];
  const unpaid = new Map<string, bigint>();
  const absorbedUnpaid: { coinId: string; amount: bigint }[] = [];
  const rewardsToAbsorb: { coinId: string; launcherId: string; amount: string; due: number }[] = [];
  const payoutsInFlight: { payoutId: string; stage: 'planned' | 'sent'; due: number; attempt: number; sequence: number; payments: { puzzleHash: string; amount: string }[]; bumped: boolean }[] = [];
  /** The payout's input coin: the pool wallet's, covering the payments with 1,000 mojos to spare (change, or a fee bump). */
  const inputCoin = (sequence: number, payments: readonly { amount: string }[]): PayoutCoin => {
    const parentCoinId = hex64('parent', sequence, seed);
    const puzzleHash = hex64('wallet', 0, seed);
    const amount = payments.reduce((sum, p) => sum + BigInt(p.amount), 0n) + 1000n;
    return { coinId: coinId({ parentCoinInfo: parentCoinId, puzzleHash, amount }), parentCoinId, puzzleHash, amount: amount.toString() };
  };
  /** The plan's one transaction as a wallet signed it, paying `fee` out of the spare 1,000 mojos (the rest is change). */
  const signedTransaction = (payout: (typeof payoutsInFlight)[number], fee: bigint, version: string): SignedPayoutTransaction => {
    const input = inputCoin(payout.sequence, payout.payments);
    const child = (puzzleHash: string, amount: string): PayoutCoin => ({ coinId: coinId({ parentCoinInfo: input.coinId, puzzleHash, amount: BigInt(amount) }), parentCoinId: input.coinId, puzzleHash, amount });
    return {
      index: 0,
      transactionId: hex64(`tx${payout.sequence}${version}`, 0, seed),
      spendBundle: { coinSpends: [{ coin: { parentCoinInfo: input.parentCoinId, puzzleHash: input.puzzleHash, amount: input.amount }, puzzleReveal: '80', solution: '80' }], aggregatedSignature: 'c0'.padEnd(192, '0') },
      spentCoins: [input],
      createdCoins: [...payout.payments.map((p) => child(p.puzzleHash, p.amount)), child(hex64('change', payout.sequence, seed), (1000n - fee).toString())],
      fee: fee.toString(),
    };
  };
  let partials = 0;
  let sequence = 0;
  let height = 1000;

  while (emitted < options.events) {
    now += step;
    partials += 1;
    if (partials % 20 === 0) height += 1;

    // Confirm or revert the partials whose delay has passed.
    while (pending.length > 0 && pending[0]!.due <= now && emitted < options.events) {
      const p = pending.shift()!;
      const roll = rand();
      if (left.has(p.launcherId)) {
        yield emit(partialStream(p.proofHash), {
          type: 'PartialReverted',
          data: { launcherId: p.launcherId, proofHash: p.proofHash, points: p.points, reason: 'left_pool', wasConfirmed: false, revertedAt: now },
        });
      } else if (roll < 0.03) {
        yield emit(partialStream(p.proofHash), {
          type: 'PartialReverted',
          data: { launcherId: p.launcherId, proofHash: p.proofHash, points: p.points, reason: 'signage_point_reverted', wasConfirmed: false, revertedAt: now },
        });
      } else {
        yield emit(partialStream(p.proofHash), {
          type: 'PartialConfirmed',
          data: { launcherId: p.launcherId, proofHash: p.proofHash, points: p.points, confirmedAt: now },
        });
        unpaid.set(p.launcherId, (unpaid.get(p.launcherId) ?? 0n) + BigInt(p.points));
        recentConfirmed.push(p);
        if (recentConfirmed.length > 50) recentConfirmed.shift();
      }
    }
    if (emitted >= options.events) return;

    // Now and then a reorg takes back a few recent confirms.
    if (rand() < 0.002 * churn && recentConfirmed.length > 0) {
      const depth = 1 + Math.floor(rand() * Math.min(5, recentConfirmed.length));
      for (const p of recentConfirmed.splice(recentConfirmed.length - depth, depth)) {
        if (emitted >= options.events) return;
        yield emit(partialStream(p.proofHash), {
          type: 'PartialReverted',
          data: { launcherId: p.launcherId, proofHash: p.proofHash, points: p.points, reason: 'reorg', wasConfirmed: true, revertedAt: now, forkHeight: height - 3 },
        });
      }
    }

    // A submission from a member.
    const farmerIndex = Math.floor(rand() * farmers.length);
    const launcherId = farmers[farmerIndex]!;
    if (!left.has(launcherId)) {
      const proofHash = hex64('proof', partials, seed);
      const points = String(difficulty.get(launcherId));
      const { data, schemaVersion } = submission(farmerIndex, {
        launcherId,
        proofHash,
        points,
        signagePointHash: hex64('sp', Math.floor(partials / 4), seed),
        receivedAt: now,
        plotSize: 32,
      });
      yield emit(partialStream(proofHash), { type: 'PartialSubmitted', data }, schemaVersion);
      pending.push({ launcherId, proofHash, points, due: now + confirmationDelay });
      // Now and then a partial of the same farmer was refused just before (too late, or badly signed): the refused-
      // partials log, written by a replica whose clock runs behind, so its times do not follow ledger order. Not a
      // fact: it comes on top of `options.events`, with ids of its own, so the facts are the same with or without it.
      if (partials % 20 === 0) {
        const badlySigned = partials % 40 === 0;
        yield logged(refusalStream(launcherId), {
          type: 'PartialRefused',
          data: {
            launcherId,
            harvesterId: data.harvesterId ?? hex64('harvester', farmerIndex * 3, seed),
            proofHash: badlySigned ? null : hex64('refused', partials, seed),
            signagePointHash: hex64('sp', Math.floor(partials / 4) - 1, seed),
            endOfSubSlot: false,
            errorCode: badlySigned ? 7 : 2,
            reason: badlySigned ? 'the aggregate signature does not verify' : 'the partial arrived 31.0 s after the signage point; the limit is 25 s',
            receivedAt: now - 20,
            protocolVersion: 1,
          },
        });
      }
    }
    if (emitted >= options.events) return;

    // Farmer lifecycle.
    const lifecycle = rand() / churn;
    if (lifecycle < 0.001) {
      const id = farmers[Math.floor(rand() * farmers.length)]!;
      const from = difficulty.get(id)!;
      const to = Math.max(1, from + (rand() < 0.5 ? -1 : 2));
      difficulty.set(id, to);
      yield emit(farmerStream(id), {
        type: 'DifficultyChanged',
        data: { launcherId: id, from: String(from), to: String(to), reason: 'policy', changedAt: now, graceUntil: null },
      });
    } else if (lifecycle < 0.0013) {
      const id = farmers[Math.floor(rand() * farmers.length)]!;
      const payoutInstructions = hex64('payout-updated', partials, seed);
      yield emit(farmerStream(id), { type: 'FarmerUpdated', data: { launcherId: id, payoutInstructions, payoutPuzzleHash: payoutInstructions, updatedAt: now } });
    } else if (lifecycle < 0.0016) {
      const id = farmers[Math.floor(rand() * farmers.length)]!;
      if (left.delete(id)) yield emit(farmerStream(id), { type: 'FarmerRejoinedPool', data: { launcherId: id, height, at: now } });
      else {
        left.add(id);
        yield emit(farmerStream(id), { type: 'FarmerLeftPool', data: { launcherId: id, height, at: now, reason: 'leaving' } });
      }
    }
    if (emitted >= options.events) return;

    // Rewards: detected, absorbed after a while, sometimes reorged away first.
    if (partials % rewardEvery === 0) {
      const winner = farmers[Math.floor(rand() * farmers.length)]!;
      const coinId = hex64('coin', partials, seed);
      const amount = '1750000000000';
      yield emit(rewardStream(coinId), {
        type: 'RewardDetected',
        data: { coinId, launcherId: winner, puzzleHash: hex64('p2', farmers.indexOf(winner), seed), amount, farmedHeight: height, confirmedHeight: height + 1, detectedAt: now },
      });
      rewardsToAbsorb.push({ coinId, launcherId: winner, amount, due: partials + 40 });
    }
    while (rewardsToAbsorb.length > 0 && rewardsToAbsorb[0]!.due <= partials && emitted < options.events) {
      const r = rewardsToAbsorb.shift()!;
      if (rand() < 0.1) {
        yield emit(rewardStream(r.coinId), {
          type: 'RewardReverted',
          data: { coinId: r.coinId, launcherId: r.launcherId, amount: r.amount, reason: 'reorg', forkHeight: height - 2, wasAbsorbed: false, revertedAt: now },
        });
      } else {
        yield emit(rewardStream(r.coinId), {
          type: 'RewardAbsorbed',
          data: {
            coinId: r.coinId,
            launcherId: r.launcherId,
            amount: r.amount,
            absorbTransactionId: hex64('absorb', partials, seed),
            absorbedHeight: height,
            poolCoinId: hex64('poolcoin', partials, seed),
            fee: '0',
            absorbedAt: now,
          },
        });
        absorbedUnpaid.push({ coinId: r.coinId, amount: BigInt(r.amount) });
      }
    }
    if (emitted >= options.events) return;

    // Payouts: plan on the confirmed points since the last plan, then send, then confirm or fail and retry.
    if (partials % payoutEvery === 0 && absorbedUnpaid.length > 0 && unpaid.size > 0) {
      sequence += 1;
      const payoutId = payoutStream(sequence);
      const total = absorbedUnpaid.reduce((sum, r) => sum + r.amount, 0n);
      const fee = total / 100n;
      const pot = total - fee;
      const points = [...unpaid.entries()].filter(([, p]) => p > 0n).sort(([a], [b]) => (a < b ? -1 : 1));
      const sum = points.reduce((s, [, p]) => s + p, 0n);
      const allocations = points.map(([id, p]) => ({
        launcherId: id,
        puzzleHash: hex64('payout', farmers.indexOf(id), seed),
        points: p.toString(),
        amount: ((pot * p) / sum).toString(),
      }));
      yield emit(payoutId, {
        type: 'PayoutPlanned',
        data: {
          payoutId,
          sequence,
          // Store positions are the adapter's: appendLedger fills in the position of the last event appended.
          ledgerPosition: '',
          plannedAt: now,
          scheme: {
            name: 'prop',
            feeBasisPoints: 100,
            poolFeePuzzleHash: hex64('fee', 0, seed),
            minimumPayout: '0',
            maxAdditionsPerTransaction: 500,
            blockchainFeePerTransaction: '0',
          },
          configVersion: 'bench',
          rewardCoinIds: absorbedUnpaid.map((r) => r.coinId),
          rewardTotal: total.toString(),
          poolFee: { puzzleHash: hex64('fee', 0, seed), amount: fee.toString() },
          blockchainFee: '0',
          allocations,
          carried: [],
          transactions: [
            {
              inputCoinIds: [inputCoin(sequence, allocations).coinId],
              payments: allocations.map((a) => ({ puzzleHash: a.puzzleHash, amount: a.amount })),
              fee: '0',
              // As a plan of schema 1 recorded them: the lines' coin ids come from here.
              predicted: { additions: allocations.map((a, i) => ({ puzzleHash: a.puzzleHash, amount: a.amount, coinId: hex64(`add${sequence}`, i, seed) })), change: null },
            },
          ],
        },
      });
      absorbedUnpaid.length = 0;
      unpaid.clear();
      payoutsInFlight.push({ payoutId, stage: 'planned', due: partials + 10, attempt: 1, sequence, payments: allocations.map((a) => ({ puzzleHash: a.puzzleHash, amount: a.amount })), bumped: false });
    }
    for (const payout of payoutsInFlight) {
      if (payout.due > partials || emitted >= options.events) continue;
      if (payout.stage === 'planned') {
        // Signed once, before the first send; a retry pushes the same recorded bundle again.
        if (payout.attempt === 1) yield emit(payout.payoutId, { type: 'PayoutSigned', data: { payoutId: payout.payoutId, transactions: [signedTransaction(payout, 0n, 'signed')], signedAt: now } });
        yield emit(payout.payoutId, { type: 'PayoutSent', data: { payoutId: payout.payoutId, transactionIds: [hex64('tx', partials, seed)], sentAt: now } });
        payout.stage = 'sent';
        payout.due = partials + 30;
      } else if (payout.sequence % 4 === 2) {
        // Stuck: the operator gives up on it (`poolctl payouts resolve --decision abandon`); nothing of it landed.
        yield emit(payout.payoutId, {
          type: 'PayoutResolved',
          data: { payoutId: payout.payoutId, decision: 'abandon', landedTransactions: [], reason: 'stuck in the mempool', resolvedAt: now, settled: { launcherIds: [], poolFee: '0', blockchainFee: '0' } },
        });
        payout.due = Number.POSITIVE_INFINITY;
      } else if (!payout.bumped && rand() < 0.2) {
        // Waited too long in a full mempool: signed again with a higher fee, the same coins and payments.
        yield emit(payout.payoutId, {
          type: 'PayoutFeeBumped',
          data: { payoutId: payout.payoutId, transactions: [signedTransaction(payout, 500n, 'bumped')], reason: 'unconfirmed for 32 blocks', bumpedHeight: height, bumpedAt: now },
        });
        payout.bumped = true;
        payout.due = partials + 10;
      } else if (rand() < 0.2 && payout.attempt < 3) {
        yield emit(payout.payoutId, {
          type: 'PayoutFailed',
          data: { payoutId: payout.payoutId, reason: 'transaction not confirmed in time', attempt: payout.attempt, willRetry: true, failedAt: now },
        });
        payout.attempt += 1;
        payout.stage = 'planned';
        payout.due = partials + 5;
      } else {
        yield emit(payout.payoutId, { type: 'PayoutConfirmed', data: { payoutId: payout.payoutId, confirmedHeight: height, confirmedAt: now } });
        payout.due = Number.POSITIVE_INFINITY;
      }
    }
    for (let i = payoutsInFlight.length - 1; i >= 0; i--) if (payoutsInFlight[i]!.due === Number.POSITIVE_INFINITY) payoutsInFlight.splice(i, 1);
  }
}

/**
 * Appends generated events in ledger order. Without `chunk`, each event goes to its own stream (the real stream
 * layout); with `chunk`, runs of that many events share one append to a `bench-<n>` stream, which is how the
 * benchmark loads a million events in reasonable time (projections read $all and never the stream name).
 * Returns the number of events appended.
 */
export async function appendLedger(store: EventStore, events: Iterable<GeneratedEvent>, options: { chunk?: number } = {}): Promise<number> {
  let last: GlobalPosition | undefined;
  let appended = 0;
  let pending: GeneratedEvent[] = [];
  let chunks = 0;
  const flush = async (stream: string, group: GeneratedEvent[]): Promise<void> => {
    if (group.length === 0) return;
    const result = await store.append(
      stream,
      group.map((g) => ({ id: g.id, type: g.event.type, ...(g.schemaVersion === undefined ? {} : { schemaVersion: g.schemaVersion }), data: g.event.data })),
      { expectedRevision: 'any' },
    );
    last = result.position;
    appended += group.length;
  };
  for (const generated of events) {
    if (generated.event.type === 'PayoutPlanned' && generated.event.data.ledgerPosition === '') {
      generated.event.data.ledgerPosition = last ?? '';
    }
    if (options.chunk === undefined) {
      await flush(generated.stream, [generated]);
      continue;
    }
    pending.push(generated);
    if (pending.length >= options.chunk) {
      await flush(`bench-${chunks++}`, pending);
      pending = [];
    }
  }
  await flush(`bench-${chunks++}`, pending);
  return appended;
}
