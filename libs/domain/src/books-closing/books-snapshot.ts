import { createHash } from 'node:crypto';
import { canonicalLedgerJson } from '../ledger-seals/canonical-json';
import { addSettled, createPayoutLedger, isSettled, noneSettled, type LedgerReward, type PayoutLedger, type SettledPayouts } from '../payouts/payout-ledger';
import type { PayoutSchemeConfig } from '../payouts/payout.events';
import type { PauseRecord, PauseSource } from '../payouts/payouts-control.decider';
import type { LedgerPayout } from '../payouts/payout-window.fold';

/**
 * Version of the snapshot's shape; a change of what it holds is a new format, read beside the old ones
 * (upcastBooksSnapshot). 2: settled payouts as sums (`settled`), not listed one by one with their allocations.
 */
export const BOOKS_SNAPSHOT_FORMAT = 2;

type SnapshotPayout = { payoutId: string; sequence: number; status: LedgerPayout['status']; poolFee: string; blockchainFee: string; allocations: { launcherId: string; amount: string }[] };

/**
 * The payout ledger's state (payouts/payout-ledger.ts) as the ledger records it in a BooksClosed: money as decimal
 * strings, every map as a list in the map's own order (the fold iterates them in that order, so a restored ledger
 * plans exactly as the original), and only the tail of the confirmed partials (`partials.keptAfter`): the full list
 * grows with every partial ever confirmed, and only PPLNS windows and reverts read back into it.
 */
export interface BooksSnapshot {
  format: number;
  farmers: {
    launcherId: string;
    puzzleHash: string | null;
    member: boolean;
    pointsSinceLastPayout: string;
    carried: string;
    revertedAfterPayout: string;
    paid: string;
    /** The farmer's own minimum payout (FarmerMinimumPayoutSet), mojos; absent while it has set none. */
    minimumPayout?: string;
  }[];
  unpaid: { proofHash: string; launcherId: string; points: string; position: string; window: number }[];
  propCutoff: string | null;
  openWindow: number;
  lastPayoutSequence: number;
  /** The payouts not settled yet: planned, sent or abandoned (an abandoned payout can still land). */
  payouts: SnapshotPayout[];
  /** Every settled payout's allocations and fees, summed (PayoutLedger.settled). */
  settled: { count: number; allocated: string; poolFees: string; blockchainFees: string };
  returns: { position: string; launcherId: string; amount: string }[];
  returnedFunds: string;
  rewards: { coinId: string; launcherId: string; amount: string; state: LedgerReward['state'] }[];
  rewardDeficit: string;
  /** Rewards detected and not absorbed yet (coin id, amount): the audit checks their absorb against the detection. */
  pendingDetections: { coinId: string; amount: string }[];
  /** The payout switches that are on. */
  pausedBy: Partial<Record<PauseSource, PauseRecord>>;
  partials: {
    /** Every confirmed partial after this position is listed; null: every one since the ledger's start. */
    keptAfter: string | null;
    confirmed: { proofHash: string; launcherId: string; points: string; confirmedAt: number; position: string; reverted: boolean }[];
  };
}

/**
 * Format 1, which the closings of ledgers written before format 2 hold: every payout ever planned is listed, settled
 * ones with their allocations, so each closing grew with the payouts behind it.
 */
export type BooksSnapshotFormat1 = Omit<BooksSnapshot, 'format' | 'settled'> & { format: 1 };

/** A snapshot as a BooksClosed records it: in the format of the version that closed the books. */
export type RecordedBooksSnapshot = BooksSnapshot | BooksSnapshotFormat1;

/**
 * A recorded snapshot in today's format. Format 1's settled payouts become their sums: what a restored ledger holds
 * of them, and all a later event can read. A format 1 closing is audited for that (each plan's allocations are
 * audited at the plan itself). Throws a RangeError when a settled payout's amount is not an integer (tampered).
 */
export function upcastBooksSnapshot(snapshot: RecordedBooksSnapshot): BooksSnapshot {
  if (snapshot.format !== 1 || !Array.isArray(snapshot.payouts)) return snapshot as BooksSnapshot;
  const { format: _format, payouts, ...rest } = snapshot;
  const settled = noneSettled();
  const held: SnapshotPayout[] = [];
  const mojos = (amount: unknown, payoutId: string): bigint => {
    if (typeof amount !== 'string' || !/^-?[0-9]+$/.test(amount)) throw new RangeError(`books snapshot format 1: payout ${payoutId} holds ${JSON.stringify(amount)}, not an amount in mojos`);
    return BigInt(amount);
  };
  for (const p of payouts) {
    if (!isSettled(p.status)) held.push(p);
    else addSettled(settled, { allocations: p.allocations.map((a) => ({ launcherId: a.launcherId, amount: mojos(a.amount, p.payoutId) })), poolFee: mojos(p.poolFee, p.payoutId), blockchainFee: mojos(p.blockchainFee, p.payoutId) });
  }
  return { format: BOOKS_SNAPSHOT_FORMAT, ...rest, payouts: held, settled: settledInSnapshot(settled) };
}

const settledInSnapshot = (settled: SettledPayouts): BooksSnapshot['settled'] => ({
  count: settled.count,
  allocated: settled.allocated.toString(),
  poolFees: settled.poolFees.toString(),
  blockchainFees: settled.blockchainFees.toString(),
});

/** The money state of `ledger` as a snapshot, keeping the confirmed partials after `keptAfter` (null: all). */
export function snapshotBooks(ledger: PayoutLedger, pendingDetections: Iterable<{ coinId: string; amount: string }>, keptAfter: string | null): BooksSnapshot {
  const s = (n: bigint): string => n.toString();
  let first = ledger.partials.length;
  while (first > 0 && (keptAfter === null || ledger.partials.position(first - 1) > keptAfter)) first--;
  return {
    format: BOOKS_SNAPSHOT_FORMAT,
    farmers: [...ledger.farmers.values()].map((f) => ({
      launcherId: f.launcherId,
      puzzleHash: f.puzzleHash,
      member: f.member,
      pointsSinceLastPayout: s(f.pointsSinceLastPayout),
      carried: s(f.carried),
      revertedAfterPayout: s(f.revertedAfterPayout),
      paid: s(f.paid),
      ...(f.minimumPayout === null ? {} : { minimumPayout: s(f.minimumPayout) }),
    })),
    unpaid: [...ledger.unpaid.values()].map((c) => ({ proofHash: c.proofHash, launcherId: c.launcherId, points: s(c.points), position: c.position, window: c.window })),
    propCutoff: ledger.propCutoff ?? null,
    openWindow: ledger.openWindow,
    lastPayoutSequence: ledger.lastPayoutSequence,
    payouts: [...ledger.payouts.values()].map((p) => ({
      payoutId: p.payoutId,
      sequence: p.sequence,
      status: p.status,
      poolFee: s(p.poolFee),
      blockchainFee: s(p.blockchainFee),
      allocations: p.allocations.map((a) => ({ launcherId: a.launcherId, amount: s(a.amount) })),
    })),
    settled: settledInSnapshot(ledger.settled),
    returns: ledger.returns.map((r) => ({ position: r.position, launcherId: r.launcherId, amount: s(r.amount) })),
    returnedFunds: s(ledger.returnedFunds),
    rewards: [...ledger.rewards.values()].map((r) => ({ coinId: r.coinId, launcherId: r.launcherId, amount: s(r.amount), state: r.state })),
    rewardDeficit: s(ledger.rewardDeficit),
    pendingDetections: [...pendingDetections].filter((d) => !ledger.rewards.has(d.coinId)).sort((a, b) => (a.coinId < b.coinId ? -1 : a.coinId > b.coinId ? 1 : 0)),
    pausedBy: ledger.control.pausedBy,
    partials: {
      keptAfter: first === 0 ? (ledger.partialsKeptAfter ?? null) : ledger.partials.position(first - 1),
      confirmed: ledger.partials.slice(first).map((p) => ({ proofHash: p.proofHash, launcherId: p.launcherId, points: s(p.points), confirmedAt: p.confirmedAt, position: p.position, reverted: p.reverted })),
    },
  };
}

/** SHA-256 (hex) of the snapshot's canonical JSON: the closing's name for it. */
export function booksDigest(snapshot: RecordedBooksSnapshot): string {
  return createHash('sha256').update(canonicalLedgerJson(snapshot), 'utf8').digest('hex');
}

/**
 * A payout ledger standing at `closedPosition` as the snapshot says: folding the events after it gives what folding
 * the whole ledger gives (payouts/payout-ledger.ts; a PPLNS window reaching before the kept partials is the one
 * thing it cannot answer: see pplnsWindowReach). The pause history is not kept, only the switches.
 */
export function restoreBooks(recorded: RecordedBooksSnapshot, closedPosition: string): PayoutLedger {
  const snapshot = upcastBooksSnapshot(recorded);
  if (snapshot.format !== BOOKS_SNAPSHOT_FORMAT) throw new RangeError(`books snapshot format ${String(snapshot.format)} is not one this version reads (1 to ${BOOKS_SNAPSHOT_FORMAT})`);
  const ledger = createPayoutLedger();
  ledger.position = closedPosition;
  for (const f of snapshot.farmers) {
    const entry = ledger.newFarmer(f.launcherId);
    Object.assign(entry, {
      puzzleHash: f.puzzleHash,
      member: f.member,
      pointsSinceLastPayout: BigInt(f.pointsSinceLastPayout),
      carried: BigInt(f.carried),
      revertedAfterPayout: BigInt(f.revertedAfterPayout),
      paid: BigInt(f.paid),
      minimumPayout: f.minimumPayout === undefined ? null : BigInt(f.minimumPayout),
    });
    ledger.farmers.set(f.launcherId, entry);
  }
  for (const c of snapshot.unpaid) ledger.unpaid.set(c.proofHash, { ...c, points: BigInt(c.points) });
  ledger.propCutoff = snapshot.propCutoff ?? undefined;
  ledger.openWindow = snapshot.openWindow;
  ledger.lastPayoutSequence = snapshot.lastPayoutSequence;
  for (const p of snapshot.payouts) {
    const allocations = p.allocations.map((a) => ({ launcherId: a.launcherId, amount: BigInt(a.amount) }));
    ledger.payouts.set(p.payoutId, { payoutId: p.payoutId, sequence: p.sequence, status: p.status, poolFee: BigInt(p.poolFee), blockchainFee: BigInt(p.blockchainFee), allocations });
  }
  const { settled } = snapshot;
  ledger.settled = { count: settled.count, allocated: BigInt(settled.allocated), poolFees: BigInt(settled.poolFees), blockchainFees: BigInt(settled.blockchainFees) };
  ledger.returns = snapshot.returns.map((r) => ({ ...r, amount: BigInt(r.amount) }));
  ledger.returnedFunds = BigInt(snapshot.returnedFunds);
  for (const r of snapshot.rewards) ledger.rewards.set(r.coinId, { ...r, amount: BigInt(r.amount) });
  ledger.rewardDeficit = BigInt(snapshot.rewardDeficit);
  ledger.control = { paused: Object.keys(snapshot.pausedBy).length > 0, pausedBy: { ...snapshot.pausedBy }, history: [] };
  if (snapshot.partials.keptAfter !== null) ledger.partialsKeptAfter = snapshot.partials.keptAfter;
  for (const p of snapshot.partials.confirmed) ledger.partials.push({ ...p, points: BigInt(p.points) });
  return ledger;
}

/**
 * How far back the PPLNS walk of planPayout's schemePoints goes at `now` (the same stopping rules, read without
 * counting): the lowest index of `ledger.partials` it looks at, and whether it stopped there on its own (`complete`)
 * or ran off the start of the list. On a ledger restored from a closing, a walk that runs off the start would have
 * gone on into partials the closing did not keep: that plan cannot be recomputed from the closing.
 */
export function pplnsWindowReach(ledger: Pick<PayoutLedger, 'partials'>, scheme: PayoutSchemeConfig, now: number): { index: number; complete: boolean } {
  const partials = ledger.partials;
  if (scheme.name !== 'pplns') return { index: partials.length, complete: true };
  if (scheme.windowSeconds !== undefined) {
    const start = now - scheme.windowSeconds;
    for (let i = partials.length - 1; i >= 0; i--) if (partials.confirmedAt(i) <= start) return { index: i, complete: true };
    return { index: 0, complete: false };
  }
  let remaining = BigInt(scheme.windowPoints ?? '0');
  if (remaining <= 0n) return { index: partials.length, complete: true };
  for (let i = partials.length - 1; i >= 0; i--) {
    if (partials.reverted(i) || partials.confirmedAt(i) > now) continue;
    const points = partials.points(i);
    remaining -= points < remaining ? points : remaining;
    if (remaining === 0n) return { index: i, complete: true };
  }
  return { index: 0, complete: false };
}

/**
 * Which confirmed partials a closing keeps (the closer's choice; the audit checks the list, not the choice): those
 * from the first unpaid confirm on, and those the latest plan's PPLNS window reached, walked again from today's end
 * at that plan's time (a later plan of the same scheme starts later). A closing that keeps too few is never wrong,
 * only unable to vouch for a later plan whose window reaches further back (the audit names that plan).
 */
export function partialsToKeep(ledger: PayoutLedger, lastPlan: { scheme: PayoutSchemeConfig; plannedAt: number } | undefined): string | null {
  const from = firstPartialToKeep(ledger, lastPlan);
  return from === 0 ? (ledger.partialsKeptAfter ?? null) : ledger.partials.position(from - 1);
}

/** The index in `ledger.partials` of the first partial partialsToKeep keeps (the audit prunes its ledger there too). */
export function firstPartialToKeep(ledger: PayoutLedger, lastPlan: { scheme: PayoutSchemeConfig; plannedAt: number } | undefined): number {
  let from = ledger.partials.length;
  const [firstUnpaid] = ledger.unpaid.values();
  if (firstUnpaid !== undefined) from = Math.min(from, ledger.partials.indexOf(firstUnpaid.proofHash) ?? 0);
  if (lastPlan !== undefined) from = Math.min(from, pplnsWindowReach(ledger, lastPlan.scheme, lastPlan.plannedAt).index);
  return from;
}

/** The first place two snapshots differ, as a path ("farmers[3].carried: 5 here, 6 recorded"); null when equal. */
export function firstSnapshotDifference(expected: unknown, recorded: unknown, path = 'snapshot'): string | null {
  if (typeof expected !== 'object' || expected === null || typeof recorded !== 'object' || recorded === null) {
    return canonicalLedgerJson(expected) === canonicalLedgerJson(recorded ?? null) ? null : `${path}: ${canonicalLedgerJson(expected)} recomputed, ${canonicalLedgerJson(recorded ?? null)} recorded`;
  }
  if (Array.isArray(expected) || Array.isArray(recorded)) {
    if (!Array.isArray(expected) || !Array.isArray(recorded)) return `${path}: a list on one side only`;
    for (let i = 0; i < Math.min(expected.length, recorded.length); i++) {
      const d = firstSnapshotDifference(expected[i], recorded[i], `${path}[${i}]`);
      if (d !== null) return d;
    }
    return expected.length === recorded.length ? null : `${path}: ${expected.length} entries recomputed, ${recorded.length} recorded`;
  }
  const keys = [...new Set([...Object.keys(expected), ...Object.keys(recorded)])].sort();
  for (const key of keys) {
    const d = firstSnapshotDifference((expected as Record<string, unknown>)[key] ?? null, (recorded as Record<string, unknown>)[key] ?? null, `${path}.${key}`);
    if (d !== null) return d;
  }
  return null;
}
