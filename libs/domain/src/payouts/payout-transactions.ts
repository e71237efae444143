import { createHash } from 'node:crypto';
import { clvmIntBytes } from '@pool/chia';
import { DomainError } from '../shared/domain-error';
import type { PayoutDraft } from './payout-plan';
import { memoHex } from './payout-commitment';
import type { PayoutCoin, PayoutTransaction, SignedPayoutTransaction } from './payout.events';

export interface WalletCoin {
  coinId: string;
  amount: bigint;
}

const strip0x = (hex: string): string => (hex.startsWith('0x') || hex.startsWith('0X') ? hex.slice(2) : hex).toLowerCase();

/**
 * The transactions that carry out a draft: what each must pay and which wallet coins it spends. Which of those coins
 * creates the payments, in what order, and where change goes are the wallet's choice: PayoutSigned records them.
 *
 * Rules:
 * - Outputs are the pool fee (when > 0) then the allocations in plan order, merged by puzzle hash (farmers who
 *   share a payout address get one coin: Chia's wallet refuses two identical outputs in one transaction).
 * - Outputs are cut into transactions of at most `maxAdditions` (the wallet's change coin is not counted).
 * - The blockchain fee is spread evenly over the transactions, floor each, the rounding added to the first.
 * - Inputs, per transaction in order: the smallest unused wallet coin that covers its outputs and fee alone, or
 *   else unused coins largest first (ties: smaller coin id) until covered. Change cannot fund a later transaction
 *   of the same run (it is not on chain yet).
 * - `mustSpend` coins (the still-unspent inputs of abandoned payouts) are the first inputs of the first
 *   transaction, whatever the outputs need: an abandoned payout whose transactions are still in some mempool
 *   and this one then spend the same coin, so at most one of them can ever land.
 * Throws DomainError('INVALID_STATE') when the wallet coins do not cover the outputs and fees.
 */
export function buildPayoutTransactions(
  draft: Pick<PayoutDraft, 'poolFee' | 'allocations' | 'blockchainFee'>,
  walletCoins: readonly WalletCoin[],
  maxAdditions: number,
  mustSpend: readonly WalletCoin[] = [],
): PayoutTransaction[] {
  if (!Number.isInteger(maxAdditions) || maxAdditions < 1) throw new RangeError('maxAdditions must be >= 1');
  const merged = new Map<string, bigint>();
  const add = (puzzleHash: string, amount: bigint): void => {
    if (amount < 0n) throw new RangeError(`negative output amount ${amount}`);
    if (amount === 0n) return;
    const key = strip0x(puzzleHash);
    merged.set(key, (merged.get(key) ?? 0n) + amount);
  };
  add(draft.poolFee.puzzleHash, BigInt(draft.poolFee.amount));
  for (const allocation of draft.allocations) add(allocation.puzzleHash, BigInt(allocation.amount));
  const outputs = [...merged];
  const blockchainFee = BigInt(draft.blockchainFee);
  if (outputs.length === 0) {
    if (blockchainFee !== 0n) throw new DomainError('INVALID_STATE', 'a payout without outputs cannot pay a blockchain fee');
    return [];
  }

  const chunks: [string, bigint][][] = [];
  for (let i = 0; i < outputs.length; i += maxAdditions) chunks.push(outputs.slice(i, i + maxAdditions));
  const count = BigInt(chunks.length);
  const feeEach = blockchainFee / count;
  const feeFirst = feeEach + (blockchainFee - feeEach * count);

  const forced = [...new Map(mustSpend.map((c) => [strip0x(c.coinId), { coinId: strip0x(c.coinId), amount: c.amount }])).values()].sort((a, b) =>
    a.coinId < b.coinId ? -1 : a.coinId > b.coinId ? 1 : 0,
  );
  const forcedIds = new Set(forced.map((c) => c.coinId));
  const coins = walletCoins
    .map((c) => ({ coinId: strip0x(c.coinId), amount: c.amount }))
    .filter((c) => !forcedIds.has(c.coinId))
    .sort((a, b) => (a.amount > b.amount ? -1 : a.amount < b.amount ? 1 : a.coinId < b.coinId ? -1 : 1));
  const used = new Array<boolean>(coins.length).fill(false);

  return chunks.map((chunk, index) => {
    const fee = index === 0 ? feeFirst : feeEach;
    let need = fee;
    for (const [, amount] of chunk) need += amount;
    const inputs: WalletCoin[] = index === 0 ? [...forced] : [];
    let covered = inputs.reduce((sum, c) => sum + c.amount, 0n);
    // The smallest unused coin that covers the rest alone; otherwise the largest unused ones until covered.
    let single = -1;
    for (let i = 0; i < coins.length && covered < need; i++) {
      if (!used[i] && coins[i]!.amount >= need - covered && (single < 0 || coins[i]!.amount < coins[single]!.amount)) single = i;
    }
    for (let i = 0; i < coins.length && covered < need; i++) {
      if (used[i] || coins[i]!.amount === 0n || (single >= 0 && i !== single)) continue;
      used[i] = true;
      inputs.push(coins[i]!);
      covered += coins[i]!.amount;
    }
    if (covered < need) {
      throw new DomainError('INVALID_STATE', `wallet coins do not cover payout transaction ${index + 1} of ${chunks.length}: need ${need} mojos, ${covered} left`);
    }
    return { inputCoinIds: inputs.map((c) => c.coinId), payments: chunk.map(([puzzleHash, amount]) => ({ puzzleHash, amount: amount.toString() })), fee: fee.toString() };
  });
}

const HEX32 = /^(0x)?[0-9a-fA-F]{64}$/;

/**
 * Coin ids of the children of one parent: the same bytes as libs/chia's coinId (a spec checks they agree), with
 * the parent decoded once. The audit checks every expected coin of every payout, up to a million of them, and
 * coinId's generic hex handling is most of that cost.
 */
export function childCoinIds(parentCoinId: string): (puzzleHash: string, amount: bigint) => string {
  if (!HEX32.test(parentCoinId)) throw new RangeError(`parent coin id ${parentCoinId} is not 32 bytes of hex`);
  const parent = Buffer.from(strip0x(parentCoinId), 'hex');
  return (puzzleHash, amount) => {
    if (!HEX32.test(puzzleHash)) throw new RangeError(`puzzle hash ${puzzleHash} is not 32 bytes of hex`);
    if (amount < 0n || amount >= 1n << 64n) throw new RangeError('coin amount must be a uint64');
    return createHash('sha256').update(parent).update(Buffer.from(strip0x(puzzleHash), 'hex')).update(clvmIntBytes(amount)).digest('hex');
  };
}

/** Recomputes the coin ids a schema 1 plan predicted (parent: the first input): the first that does not hash, or null. */
export function checkPredictedCoinIds(transaction: PayoutTransaction): string | null {
  const predicted = transaction.predicted;
  if (predicted === undefined) return null;
  const parent = transaction.inputCoinIds[0];
  const all = predicted.change === null ? predicted.additions : [...predicted.additions, predicted.change];
  if (parent === undefined) return all.length === 0 ? null : 'transaction has additions but no input coin';
  let childId: (puzzleHash: string, amount: bigint) => string;
  try {
    childId = childCoinIds(parent);
  } catch (error) {
    return `inputCoinIds[0]: ${(error as Error).message}`;
  }
  for (const [i, a] of all.entries()) {
    const label = i < predicted.additions.length ? `additions[${i}]` : 'change';
    let expected: string;
    try {
      expected = childId(a.puzzleHash, BigInt(a.amount));
    } catch (error) {
      return `${label}: ${(error as Error).message}`;
    }
    if (expected !== strip0x(a.coinId)) return `${label}.coinId expected ${expected} recorded ${a.coinId}`;
  }
  return null;
}

/** The coin ids a transaction of a schema 1 plan was expected to create (none for a plan of schema 2). */
export function predictedCoinIds(transaction: PayoutTransaction): string[] {
  const predicted = transaction.predicted;
  if (predicted === undefined) return [];
  return [...predicted.additions.map((a) => a.coinId), ...(predicted.change === null ? [] : [predicted.change.coinId])];
}

const mojosOf = (value: string, label: string): bigint => {
  if (!/^\d+$/.test(String(value))) throw new RangeError(`${label} is not a non-negative integer (${String(value)})`);
  return BigInt(value);
};

/** Checks that a recorded coin's id is the hash of what it records. */
function coinProblem(coin: PayoutCoin, label: string): string | null {
  try {
    const expected = childCoinIds(coin.parentCoinId)(coin.puzzleHash, mojosOf(coin.amount, `${label}.amount`));
    return expected === strip0x(coin.coinId) ? null : `${label}.coinId expected ${expected} recorded ${coin.coinId}`;
  } catch (error) {
    return `${label}: ${(error as Error).message}`;
  }
}

/**
 * Whether a signed transaction does what its planned transaction says, from what PayoutSigned recorded of it:
 * - it spends exactly the planned inputs, and its bundle spends exactly the coins it records as spent;
 * - every created coin's id hashes from its parent (one of the spent coins), puzzle hash and amount;
 * - each planned payment is made by exactly one created coin of exactly that amount and puzzle hash, and no other
 *   created coin goes to a farmer's puzzle hash (change may go anywhere else, the pool fee's own puzzle hash
 *   included: it is the pool's);
 * - inputs = created coins + fee, and the fee is at least the planned one;
 * - with a `commitment` memo (the payout's, payout-commitment.ts): one of the planned payments carries it.
 * Returns the first problem, or null. Pure: the saga runs it before recording, the decider before accepting, the
 * audit on every recorded signing, so a wallet that builds something else is caught, never trusted.
 */
export function checkSignedTransaction(planned: PayoutTransaction, signed: SignedPayoutTransaction, poolFeePuzzleHash: string, commitment?: string): string | null {
  try {
    const spent = new Map<string, bigint>();
    for (const [i, coin] of signed.spentCoins.entries()) {
      const problem = coinProblem(coin, `spentCoins[${i}]`);
      if (problem !== null) return problem;
      spent.set(strip0x(coin.coinId), BigInt(coin.amount));
    }
    const allowed = new Set(planned.inputCoinIds.map(strip0x));
    for (const id of spent.keys()) if (!allowed.has(id)) return `spends coin ${id}, which the plan does not allow`;
    for (const id of allowed) if (!spent.has(id)) return `does not spend planned input ${id}`;
    const bundleCoins = signed.spendBundle.coinSpends.map((s) => childCoinIds(s.coin.parentCoinInfo)(s.coin.puzzleHash, mojosOf(s.coin.amount, 'spendBundle coin amount')));
    if (bundleCoins.length !== spent.size || bundleCoins.some((id) => !spent.has(id))) return 'its spend bundle spends other coins than it records';

    const created = new Set<string>();
    const memo = commitment === undefined ? undefined : memoHex(commitment);
    let committed = false;
    let createdTotal = 0n;
    const atPayee = new Map<string, bigint[]>();
    const payees = new Map(planned.payments.map((p) => [strip0x(p.puzzleHash), mojosOf(p.amount, 'payment amount')]));
    const poolOwn = strip0x(poolFeePuzzleHash);
    for (const [i, coin] of signed.createdCoins.entries()) {
      const problem = coinProblem(coin, `createdCoins[${i}]`);
      if (problem !== null) return problem;
      const id = strip0x(coin.coinId);
      if (!spent.has(strip0x(coin.parentCoinId))) return `createdCoins[${i}] has parent ${coin.parentCoinId}, which it does not spend`;
      if (created.has(id)) return `creates coin ${id} twice`;
      created.add(id);
      const amount = BigInt(coin.amount);
      createdTotal += amount;
      const puzzleHash = strip0x(coin.puzzleHash);
      if (payees.has(puzzleHash)) atPayee.set(puzzleHash, [...(atPayee.get(puzzleHash) ?? []), amount]);
      if (memo !== undefined && payees.get(puzzleHash) === amount && coin.memos?.includes(memo) === true) committed = true;
    }
    if (memo !== undefined && !committed) return `makes no planned payment carrying the payout's commitment memo "${commitment}"`;
    for (const [puzzleHash, amount] of payees) {
      const coins = atPayee.get(puzzleHash) ?? [];
      const exact = coins.filter((c) => c === amount).length;
      if (exact === 0) return `pays ${coins.length === 0 ? 'nothing' : coins.join(' + ')} to ${puzzleHash}, the plan pays it ${amount}`;
      if (puzzleHash !== poolOwn && coins.length > 1) return `pays ${coins.join(' + ')} to ${puzzleHash}, the plan pays it ${amount}`;
    }
    let spentTotal = 0n;
    for (const amount of spent.values()) spentTotal += amount;
    const fee = mojosOf(signed.fee, 'fee');
    if (spentTotal !== createdTotal + fee) return `spends ${spentTotal} mojos but creates ${createdTotal} and pays a fee of ${fee}`;
    const plannedFee = mojosOf(planned.fee, 'planned fee');
    if (fee < plannedFee) return `pays a fee of ${fee}, the plan ${plannedFee}`;
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

/** The coin ids a signed transaction creates. */
export function createdCoinIds(signed: Pick<SignedPayoutTransaction, 'createdCoins'>): string[] {
  return signed.createdCoins.map((c) => strip0x(c.coinId));
}
