import { type Hex, type SpendBundle } from '@pool/chia';
import { type ValidatedBundle } from './spend-validator';

/**
 * The devnet mempool's rules, after Chia's (chia/full_node/mempool.py and mempool_manager.py), in the few numbers a
 * pool's payouts meet: what a transaction costs, which one a block takes first, when a full mempool refuses or evicts,
 * when a spend of the same coins may replace a waiting one, and what fee the mempool's state asks for.
 */

/** One waiting transaction: its cost and fee, and `seq`, the order it arrived in (the older wins a tie). */
export interface MempoolEntry {
  name: Hex;
  cost: bigint;
  fee: bigint;
  seq: number;
  /** Coin ids it spends. */
  spends: readonly Hex[];
}

/** Chia's COST_PER_BYTE: every byte of a block's generator costs this much. */
export const COST_PER_BYTE = 12_000n;
/** Chia's ConditionCost: each CREATE_COIN, and each AGG_SIG_* condition. */
export const CREATE_COIN_COST = 1_800_000n;
export const AGG_SIG_COST = 1_200_000n;
/** MEMPOOL_MIN_FEE_INCREASE: a replacement must pay at least this many mojos more than what it replaces. */
export const MEMPOOL_MIN_FEE_INCREASE = 10_000_000n;
/** nonzero_fee_minimum_fpc: once the mempool is full, a transaction below this fee per cost is not taken. */
export const NONZERO_FEE_MINIMUM_FPC = 5n;
/** Chia's MAX_BLOCK_COST_CLVM, and the mempool holds MEMPOOL_BLOCK_BUFFER (10) blocks of it. */
export const MAX_BLOCK_COST_CLVM = 11_000_000_000n;
export const MEMPOOL_BLOCK_BUFFER = 10n;

/**
 * A bundle's cost as a node counts it: running its puzzles, its bytes (puzzle reveals and solutions as serialized),
 * and its conditions (each coin created, each signature checked). The devnet's generator is not compressed, so a
 * bundle costs a little more in bytes than it would in a real block; the order of costs between bundles is what
 * matters here.
 */
export function bundleCost(bundle: SpendBundle, validated: Pick<ValidatedBundle, 'executionCost' | 'additions' | 'signatures'>): bigint {
  let bytes = 0n;
  for (const spend of bundle.coinSpends) bytes += BigInt((spend.puzzleReveal.length + spend.solution.length) / 2);
  return validated.executionCost + bytes * COST_PER_BYTE + BigInt(validated.additions.length) * CREATE_COIN_COST + BigInt(validated.signatures.length) * AGG_SIG_COST;
}

/** a before b when a pays more per unit of cost; at an equal rate, the one that arrived first (Chia: fee_per_cost DESC, seq ASC). */
export function byPriority(a: Pick<MempoolEntry, 'cost' | 'fee' | 'seq'>, b: Pick<MempoolEntry, 'cost' | 'fee' | 'seq'>): number {
  const rate = compareRates(b, a);
  return rate !== 0 ? rate : a.seq - b.seq;
}

/** Compares fee / cost exactly (cross-multiplied): negative when a pays less per cost than b. */
export function compareRates(a: Pick<MempoolEntry, 'cost' | 'fee'>, b: Pick<MempoolEntry, 'cost' | 'fee'>): number {
  const left = a.fee * b.cost;
  const right = b.fee * a.cost;
  return left < right ? -1 : left > right ? 1 : 0;
}

/**
 * Why a new bundle may not replace the waiting ones it conflicts with, or null when it may (Chia's `can_replace`):
 * it must spend every coin they spend (so nothing they spend is dropped from the mempool by someone else's bundle),
 * pay more per unit of cost than they do together, and pay at least MEMPOOL_MIN_FEE_INCREASE more in total. The
 * devnet has no time-locked payouts, so Chia's rule that a replacement keeps the same time locks is not checked.
 */
export function replacementRefusal(conflicting: readonly MempoolEntry[], candidate: Pick<MempoolEntry, 'cost' | 'fee' | 'spends'>): string | null {
  const spends = new Set(candidate.spends);
  let fee = 0n;
  let cost = 0n;
  for (const item of conflicting) {
    const dropped = item.spends.find((coin) => !spends.has(coin));
    if (dropped !== undefined) return `it does not spend coin ${dropped}, which the bundle it would replace spends`;
    fee += item.fee;
    cost += item.cost;
  }
  if (compareRates(candidate, { fee, cost }) <= 0) return `its fee per cost (${candidate.fee}/${candidate.cost}) is not above that of the bundles it would replace (${fee}/${cost})`;
  if (candidate.fee - fee < MEMPOOL_MIN_FEE_INCREASE) return `its fee ${candidate.fee} is not at least ${MEMPOOL_MIN_FEE_INCREASE} mojos above the ${fee} it would replace`;
  return null;
}

/**
 * Room for a bundle of `candidate.cost` in a mempool holding at most `maxTotalCost`: the names to evict (lowest fee per
 * cost first, the newest first among equals) or, when even evicting would need to drop something that pays as much
 * per cost as the candidate, the reason it is refused (Chia: `at_full_capacity`, `get_min_fee_rate`, `add_to_pool`).
 */
export function makeRoom(items: readonly MempoolEntry[], candidate: Pick<MempoolEntry, 'cost' | 'fee'>, maxTotalCost: bigint): { evict: Hex[] } | { refused: string } {
  let total = items.reduce((sum, item) => sum + item.cost, 0n);
  if (total + candidate.cost <= maxTotalCost) return { evict: [] };
  if (candidate.cost > maxTotalCost) return { refused: `its cost ${candidate.cost} exceeds the mempool's ${maxTotalCost}` };
  if (candidate.fee < NONZERO_FEE_MINIMUM_FPC * candidate.cost) return { refused: `the mempool is full and its fee per cost is below ${NONZERO_FEE_MINIMUM_FPC}` };
  const evict: Hex[] = [];
  for (const item of [...items].sort(byPriority).reverse()) {
    if (total + candidate.cost <= maxTotalCost) break;
    if (compareRates(candidate, item) <= 0) return { refused: 'the mempool is full of transactions paying at least as much per cost' };
    evict.push(item.name);
    total -= item.cost;
  }
  return { evict };
}

/**
 * What a block takes: the highest fee per cost first, skipping what no longer fits and going on with smaller ones, as
 * Chia's block builder does, up to `blockMaxCost`.
 */
export function selectForBlock<T extends MempoolEntry>(items: readonly T[], blockMaxCost: bigint): T[] {
  const chosen: T[] = [];
  let cost = 0n;
  for (const item of [...items].sort(byPriority)) {
    if (cost + item.cost > blockMaxCost) continue;
    chosen.push(item);
    cost += item.cost;
  }
  return chosen;
}

/**
 * The fee a transaction of `cost` needs to be taken within `blocks` blocks, judged from what waits now: the blocks
 * take the best payers first, so it must pay more per cost than the last transaction those blocks would still take
 * before it; with room to spare, nothing. When the mempool is full it must also be let in (above the rate of what
 * it would evict, and at least NONZERO_FEE_MINIMUM_FPC). Chia's node estimates from the fee rates it saw confirmed
 * over time; the devnet has no such history, and its mempool is the whole market.
 */
export function feeToBeIncluded(items: readonly MempoolEntry[], cost: bigint, blocks: number, limits: { blockMaxCost: bigint; maxTotalCost: bigint }): bigint {
  const room = BigInt(Math.max(1, blocks)) * limits.blockMaxCost;
  let ahead = 0n;
  let fee = 0n;
  for (const item of [...items].sort(byPriority)) {
    if (ahead + item.cost + cost <= room) {
      ahead += item.cost;
      continue;
    }
    // The first one that would not leave room: pay one mojo more per its rate than it does.
    fee = (item.fee * cost) / item.cost + 1n;
    break;
  }
  const total = items.reduce((sum, item) => sum + item.cost, 0n);
  if (total + cost > limits.maxTotalCost) {
    const minimum = NONZERO_FEE_MINIMUM_FPC * cost;
    if (fee < minimum) fee = minimum;
    const admission = [...items].sort(byPriority).reverse();
    let left = total;
    for (const item of admission) {
      const needed = (item.fee * cost) / item.cost + 1n;
      if (needed > fee) fee = needed;
      left -= item.cost;
      if (left + cost <= limits.maxTotalCost) break;
    }
  }
  return fee;
}
