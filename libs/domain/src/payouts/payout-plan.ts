import { effectiveMinimumPayout } from '../farmers/farmer-settings';
import type { PayoutLedger } from './payout-ledger';
import { undistributedRewards } from './payout-ledger';
import type { PayoutPlanned, PayoutSchemeConfig } from './payout.events';

/** What planPayout decides; the saga adds ids, the ledger position, the time, the config version and transactions. */
export type PayoutDraft = Omit<PayoutPlanned['data'], 'payoutId' | 'sequence' | 'ledgerPosition' | 'plannedAt' | 'configVersion' | 'transactions'> & {
  returnedFunds: string;
  deficitRecovered: string;
};

const BASIS_POINTS = 10_000n;

/** Points each farmer is paid for under the scheme, from the ledger as it stands. */
export function schemePoints(ledger: PayoutLedger, scheme: PayoutSchemeConfig, now: number): Map<string, bigint> {
  const points = new Map<string, bigint>();
  if (scheme.name === 'prop') {
    for (const entry of ledger.farmers.values()) if (entry.pointsSinceLastPayout > 0n) points.set(entry.launcherId, entry.pointsSinceLastPayout);
    return points;
  }
  const add = (launcherId: string, value: bigint): void => {
    points.set(launcherId, (points.get(launcherId) ?? 0n) + value);
  };
  if (scheme.windowSeconds !== undefined) {
    // The window is a tail of the ledger: walk back from the newest confirmed partial and stop at the first one
    // confirmed at or before its start. Ledger order, not clock order, decides membership, so one early-stamped
    // partial cannot make the walk scan the whole history.
    const start = now - scheme.windowSeconds;
    const partials = ledger.partials;
    for (let i = partials.length - 1; i >= 0; i--) {
      const confirmedAt = partials.confirmedAt(i);
      if (confirmedAt <= start) break;
      if (!partials.reverted(i) && confirmedAt <= now) add(partials.launcherId(i), partials.points(i));
    }
    return points;
  }
  // Last N points in ledger order; the partial at the edge counts only for the part that fits.
  let remaining = BigInt(scheme.windowPoints!);
  const partials = ledger.partials;
  for (let i = partials.length - 1; i >= 0 && remaining > 0n; i--) {
    if (partials.reverted(i) || partials.confirmedAt(i) > now) continue;
    const points = partials.points(i);
    const counted = points < remaining ? points : remaining;
    add(partials.launcherId(i), counted);
    remaining -= counted;
  }
  return points;
}

/**
 * floor(pot * points / total) each; the mojos that flooring leaves (fewer than the number of farmers) go one
 * each to the largest fractional remainders (pot * points mod total), ties to the smaller launcher id.
 */
export function splitByPoints(pot: bigint, points: ReadonlyMap<string, bigint>): Map<string, bigint> {
  let total = 0n;
  for (const value of points.values()) total += value;
  const shares = new Map<string, bigint>();
  if (total === 0n || pot === 0n) {
    for (const launcherId of points.keys()) shares.set(launcherId, 0n);
    return shares;
  }
  const fractions: { launcherId: string; fraction: bigint }[] = [];
  let given = 0n;
  for (const [launcherId, value] of points) {
    const product = pot * value;
    const share = product / total;
    shares.set(launcherId, share);
    given += share;
    fractions.push({ launcherId, fraction: product % total });
  }
  let left = pot - given;
  if (left > 0n) {
    fractions.sort((a, b) => (a.fraction > b.fraction ? -1 : a.fraction < b.fraction ? 1 : a.launcherId < b.launcherId ? -1 : 1));
    for (let i = 0; left > 0n; i++, left--) {
      const launcherId = fractions[i]!.launcherId;
      shares.set(launcherId, shares.get(launcherId)! + 1n);
    }
  }
  return shares;
}

interface Selection {
  /** Every farmer's balance after this run's share: carried + share. */
  owed: Map<string, bigint>;
  allocations: { launcherId: string; puzzleHash: string; amount: bigint }[];
}

/**
 * Who is paid from `pot` and how much: farmers whose balance reaches the minimum payout (the pool's, or the farmer's
 * own when it is higher: FarmerMinimumPayoutSet; below it the balance is carried) and who have a payout puzzle hash, largest balance first (ties: smaller launcher id), at most maxRecipientsPerRun of them, each at
 * most maxPerRecipient, until maxTotalPerRun is used up (the one that crosses it gets what is left). Whatever
 * a cap holds back stays in the balance.
 */
function select(ledger: PayoutLedger, scheme: PayoutSchemeConfig, pot: bigint, points: ReadonlyMap<string, bigint>, maxRecipients = scheme.maxRecipientsPerRun): Selection {
  const shares = splitByPoints(pot, points);
  const owed = new Map<string, bigint>();
  for (const [launcherId, share] of shares) owed.set(launcherId, share + (ledger.farmers.get(launcherId)?.carried ?? 0n));
  for (const entry of ledger.farmers.values()) if (entry.carried !== 0n && !owed.has(entry.launcherId)) owed.set(entry.launcherId, entry.carried);

  const poolMinimum = BigInt(scheme.minimumPayout);
  const eligible: { launcherId: string; puzzleHash: string; owed: bigint }[] = [];
  for (const [launcherId, amount] of owed) {
    const farmer = ledger.farmers.get(launcherId);
    const puzzleHash = farmer?.puzzleHash ?? null;
    if (amount > 0n && amount >= effectiveMinimumPayout(poolMinimum, farmer?.minimumPayout) && puzzleHash !== null) eligible.push({ launcherId, puzzleHash, owed: amount });
  }
  eligible.sort((a, b) => (a.owed > b.owed ? -1 : a.owed < b.owed ? 1 : a.launcherId < b.launcherId ? -1 : 1));

  const perRecipient = scheme.maxPerRecipient === undefined ? undefined : BigInt(scheme.maxPerRecipient);
  let totalLeft = scheme.maxTotalPerRun === undefined ? undefined : BigInt(scheme.maxTotalPerRun);
  const allocations: Selection['allocations'] = [];
  for (const candidate of eligible) {
    if (maxRecipients !== undefined && allocations.length >= maxRecipients) break;
    if (totalLeft !== undefined && totalLeft === 0n) break;
    let amount = candidate.owed;
    if (perRecipient !== undefined && amount > perRecipient) amount = perRecipient;
    if (totalLeft !== undefined && amount > totalLeft) amount = totalLeft;
    if (amount === 0n) break;
    if (totalLeft !== undefined) totalLeft -= amount;
    allocations.push({ launcherId: candidate.launcherId, puzzleHash: candidate.puzzleHash, amount });
  }
  return { owed, allocations };
}

export function validateScheme(scheme: PayoutSchemeConfig): void {
  const fail = (what: string): never => {
    throw new RangeError(`payout scheme: ${what}`);
  };
  if (scheme.name !== 'prop' && scheme.name !== 'pplns') fail(`unknown scheme ${String(scheme.name)}`);
  if (scheme.name === 'pplns' && (scheme.windowSeconds === undefined) === (scheme.windowPoints === undefined)) {
    fail('pplns needs exactly one of windowSeconds and windowPoints');
  }
  if (scheme.windowSeconds !== undefined && !(Number.isInteger(scheme.windowSeconds) && scheme.windowSeconds > 0)) fail('windowSeconds must be a positive integer');
  if (scheme.windowPoints !== undefined && !(BigInt(scheme.windowPoints) > 0n)) fail('windowPoints must be positive');
  if (!Number.isInteger(scheme.feeBasisPoints) || scheme.feeBasisPoints < 0 || scheme.feeBasisPoints > 10_000) fail('feeBasisPoints must be 0..10000');
  if (!Number.isInteger(scheme.maxAdditionsPerTransaction) || scheme.maxAdditionsPerTransaction < 1) fail('maxAdditionsPerTransaction must be >= 1');
  if (scheme.maxRecipientsPerRun !== undefined && !(Number.isInteger(scheme.maxRecipientsPerRun) && scheme.maxRecipientsPerRun >= 1)) fail('maxRecipientsPerRun must be >= 1');
  for (const [name, value] of [
    ['minimumPayout', scheme.minimumPayout],
    ['blockchainFeePerTransaction', scheme.blockchainFeePerTransaction],
    ['maxTotalPerRun', scheme.maxTotalPerRun],
    ['maxPerRecipient', scheme.maxPerRecipient],
  ] as const) {
    if (value !== undefined && !/^\d+$/.test(value)) fail(`${name} must be a non-negative integer string of mojos`);
  }
}

/**
 * The next payout, or null when nothing is payable (paused, nobody reaches the minimum, or the blockchain fee
 * would eat what is paid). Pure: `now` only bounds PPLNS time windows.
 *
 * Money rules, in order (every division rounds down and says where the rest goes):
 * 1. distributable D = undistributed absorbed rewards + returnedFunds - reward deficit (returnedFunds is
 *    negative after a late landing and then counts as a deficit too).
 * 2. When D > 0 and the scheme has points to share it by, a share run:
 *    pool fee = floor(D * feeBasisPoints / 10000); the rounding stays with the farmers. Farmers' pot G = D - fee.
 * 3. Blockchain fee = transactions * blockchainFeePerTransaction, where transactions =
 *    ceil((recipients + 1 if the pool fee is paid) / maxAdditionsPerTransaction) and recipients are those
 *    chosen from G before the fee. Recipients are then chosen again from G - fee (never more of them than
 *    the first time); if that leaves fewer
 *    transactions, the same fee is spread over them (each pays at least the per-transaction fee) rather than
 *    re-choosing in a loop that need not settle.
 * 4. Shares of G - fee by points (splitByPoints); balance = carried + share; recipients by `select`;
 *    each recipient's allocation is its balance up to the caps; every other balance is carried.
 * 5. Otherwise (no points, nothing to distribute, or a share run that pays nobody) a balances-only run when D >= 0
 *    (the pool is not short): it distributes nothing new (no reward, no returned funds, no deficit, no pool fee)
 *    and pays the carried balances that reach the minimum, under the same caps. So a balance returned by an
 *    abandoned payout, or held back by a cap, is paid without waiting for new points. Its blockchain fee comes out
 *    of the balances it pays, split by amount (splitByPoints: floor each, the rest one mojo each to the largest
 *    remainders), so an allocation can fall below the minimum by at most its share of that fee. A balance whose fee
 *    share would take all of it waits for a later run (the smallest balances drop out until none would).
 * So: sum(allocations) + (carried after - carried before) + pool fee + blockchain fee == D (0 in a balances-only
 * run), exactly.
 */
export function planPayout(ledger: PayoutLedger, scheme: PayoutSchemeConfig, now: number): PayoutDraft | null {
  validateScheme(scheme);
  if (ledger.paused) return null;
  const rewards = undistributedRewards(ledger);
  let rewardTotal = 0n;
  for (const reward of rewards) rewardTotal += reward.amount;
  const distributable = rewardTotal + ledger.returnedFunds - ledger.rewardDeficit;
  if (distributable > 0n) {
    const points = schemePoints(ledger, scheme, now);
    const draft = points.size === 0 ? null : shareRun(ledger, scheme, points, rewards, rewardTotal, distributable);
    if (draft !== null) return draft;
  }
  return distributable >= 0n ? balancesOnlyRun(ledger, scheme) : null;
}

const transactionCount = (outputs: number, maxAdditionsPerTransaction: number): bigint => {
  const max = BigInt(maxAdditionsPerTransaction);
  return (BigInt(outputs) + max - 1n) / max;
};

function carriedAfter(selection: Selection, paid: ReadonlyMap<string, bigint>): { launcherId: string; amount: string }[] {
  const carried: { launcherId: string; amount: string }[] = [];
  for (const [launcherId, owed] of selection.owed) {
    const left = owed - (paid.get(launcherId) ?? 0n);
    if (left !== 0n) carried.push({ launcherId, amount: left.toString() });
  }
  return carried.sort((a, b) => (a.launcherId < b.launcherId ? -1 : 1));
}

function shareRun(
  ledger: PayoutLedger,
  scheme: PayoutSchemeConfig,
  points: ReadonlyMap<string, bigint>,
  rewards: readonly { coinId: string }[],
  rewardTotal: bigint,
  distributable: bigint,
): PayoutDraft | null {
  const poolFee = (distributable * BigInt(scheme.feeBasisPoints)) / BASIS_POINTS;
  const pot = distributable - poolFee;
  const feePerTransaction = BigInt(scheme.blockchainFeePerTransaction);
  const transactions = (recipients: number): bigint => transactionCount(recipients + (poolFee > 0n ? 1 : 0), scheme.maxAdditionsPerTransaction);

  let selection = select(ledger, scheme, pot, points);
  const blockchainFee = transactions(selection.allocations.length) * feePerTransaction;
  if (blockchainFee >= pot) return null;
  // Capped at the first count: under maxTotalPerRun smaller balances could let more recipients fit, and the
  // fee was priced for the first count's transactions.
  if (blockchainFee > 0n) selection = select(ledger, scheme, pot - blockchainFee, points, selection.allocations.length);
  if (selection.allocations.length === 0) return null;

  return {
    scheme,
    rewardCoinIds: rewards.map((r) => r.coinId),
    rewardTotal: rewardTotal.toString(),
    poolFee: { puzzleHash: scheme.poolFeePuzzleHash, amount: poolFee.toString() },
    blockchainFee: blockchainFee.toString(),
    allocations: selection.allocations.map((a) => ({
      launcherId: a.launcherId,
      puzzleHash: a.puzzleHash,
      points: (points.get(a.launcherId) ?? 0n).toString(),
      amount: a.amount.toString(),
    })),
    carried: carriedAfter(selection, new Map(selection.allocations.map((a) => [a.launcherId, a.amount]))),
    returnedFunds: ledger.returnedFunds.toString(),
    deficitRecovered: ledger.rewardDeficit.toString(),
  };
}

function balancesOnlyRun(ledger: PayoutLedger, scheme: PayoutSchemeConfig): PayoutDraft | null {
  // A balance its fee share would swallow whole is not paid this run: the smallest balances drop out (selection is
  // largest first) until every recipient receives something.
  let limit = scheme.maxRecipientsPerRun;
  for (;;) {
    const selection = select(ledger, scheme, 0n, new Map(), limit);
    if (selection.allocations.length === 0) return null;
    let total = 0n;
    for (const a of selection.allocations) total += a.amount;
    const blockchainFee = transactionCount(selection.allocations.length, scheme.maxAdditionsPerTransaction) * BigInt(scheme.blockchainFeePerTransaction);
    if (blockchainFee >= total) return null;
    const feeShares = splitByPoints(blockchainFee, new Map(selection.allocations.map((a) => [a.launcherId, a.amount])));
    if (selection.allocations.some((a) => a.amount <= feeShares.get(a.launcherId)!)) {
      limit = selection.allocations.length - 1;
      continue;
    }
    return balancesOnlyDraft(scheme, selection, blockchainFee, feeShares);
  }
}

function balancesOnlyDraft(scheme: PayoutSchemeConfig, selection: Selection, blockchainFee: bigint, feeShares: ReadonlyMap<string, bigint>): PayoutDraft {
  return {
    scheme,
    rewardCoinIds: [],
    rewardTotal: '0',
    poolFee: { puzzleHash: scheme.poolFeePuzzleHash, amount: '0' },
    blockchainFee: blockchainFee.toString(),
    allocations: selection.allocations.map((a) => ({
      launcherId: a.launcherId,
      puzzleHash: a.puzzleHash,
      points: '0',
      amount: (a.amount - feeShares.get(a.launcherId)!).toString(),
    })),
    // The fee share is spent from the balance as surely as the allocation is.
    carried: carriedAfter(selection, new Map(selection.allocations.map((a) => [a.launcherId, a.amount]))),
    returnedFunds: '0',
    deficitRecovered: '0',
  };
}

/** The distributable amount a plan accounts for, and what it accounts for it with (equal in a sound plan). */
export function payoutBalance(
  plan: Pick<PayoutDraft, 'rewardTotal' | 'poolFee' | 'blockchainFee' | 'allocations' | 'carried'> & { returnedFunds?: string; deficitRecovered?: string },
  carriedBefore: bigint,
): { distributable: bigint; accounted: bigint } {
  const distributable = BigInt(plan.rewardTotal) + BigInt(plan.returnedFunds ?? '0') - BigInt(plan.deficitRecovered ?? '0');
  let accounted = BigInt(plan.poolFee.amount) + BigInt(plan.blockchainFee) - carriedBefore;
  for (const a of plan.allocations) accounted += BigInt(a.amount);
  for (const c of plan.carried) accounted += BigInt(c.amount);
  return { distributable, accounted };
}

/** Sum of every farmer's carried balance. */
export function totalCarried(ledger: PayoutLedger): bigint {
  let total = 0n;
  for (const entry of ledger.farmers.values()) total += entry.carried;
  return total;
}
