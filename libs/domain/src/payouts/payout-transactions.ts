import { createHash } from 'node:crypto';
import { clvmIntBytes } from '@pool/chia';
import { coinId } from '@pool/chia';
import { DomainError } from '../shared/domain-error';
import type { PayoutDraft } from './payout-plan';
import type { PayoutAddition, PayoutTransaction } from './payout.events';

export interface WalletCoin {
  coinId: string;
  amount: bigint;
}

const strip0x = (hex: string): string => (hex.startsWith('0x') || hex.startsWith('0X') ? hex.slice(2) : hex).toLowerCase();

/**
 * The transactions that carry out a draft, with every coin they create known before anything is signed.
 *
 * Rules:
 * - Outputs are the pool fee (when > 0) then the allocations in plan order, merged by puzzle hash (farmers who
 *   share a payout address get one coin: two equal coins from one parent would be the same coin id).
 * - Outputs are cut into transactions of at most `maxAdditions` (the change coin is not counted).
 * - The blockchain fee is spread evenly over the transactions, floor each, the rounding added to the first.
 * - Inputs, per transaction in order: the smallest unused wallet coin that covers its outputs and fee alone, or
 *   else unused coins largest first (ties: smaller coin id) until covered; the rest comes back as change to
 *   `changePuzzleHash`. Change cannot fund a later transaction of the same run (it is not on chain yet).
 * - `mustSpend` coins (the still-unspent inputs of abandoned payouts) are the first inputs of the first
 *   transaction, whatever the outputs need: an abandoned payout whose transactions are still in some mempool
 *   and this one then spend the same coin, so at most one of them can ever land.
 * - Every addition's parent is the transaction's first input (the coin whose spend creates the outputs), so
 *   its id is sha256(parent || puzzle hash || amount).
 * Throws DomainError('INVALID_STATE') when the wallet coins do not cover the outputs and fees.
 */
export function buildPayoutTransactions(
  draft: Pick<PayoutDraft, 'poolFee' | 'allocations' | 'blockchainFee'>,
  walletCoins: readonly WalletCoin[],
  changePuzzleHash: string,
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
  const change = strip0x(changePuzzleHash);

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
    const parent = inputs[0]!.coinId;
    const addition = (puzzleHash: string, amount: bigint): PayoutAddition => ({
      puzzleHash,
      amount: amount.toString(),
      coinId: coinId({ parentCoinInfo: parent, puzzleHash, amount }),
    });
    const additions = chunk.map(([puzzleHash, amount]) => addition(puzzleHash, amount));
    const changeAddition = covered > need ? addition(change, covered - need) : null;
    const ids = new Set(additions.map((a) => a.coinId));
    if (ids.size !== additions.length || (changeAddition !== null && ids.has(changeAddition.coinId))) {
      throw new DomainError('INVALID_STATE', `payout transaction ${index + 1} would create the same coin twice`);
    }
    return { inputCoinIds: inputs.map((c) => c.coinId), additions, change: changeAddition, fee: fee.toString() };
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

/** Recomputes a recorded transaction's coin ids: the first one that does not hash correctly, or null. */
export function checkTransactionCoinIds(transaction: PayoutTransaction): string | null {
  const parent = transaction.inputCoinIds[0];
  const all = transaction.change === null ? transaction.additions : [...transaction.additions, transaction.change];
  if (parent === undefined) return all.length === 0 ? null : 'transaction has additions but no input coin';
  let childId: (puzzleHash: string, amount: bigint) => string;
  try {
    childId = childCoinIds(parent);
  } catch (error) {
    return `inputCoinIds[0]: ${(error as Error).message}`;
  }
  for (const [i, a] of all.entries()) {
    let expected: string;
    try {
      expected = childId(a.puzzleHash, BigInt(a.amount));
    } catch (error) {
      return `${i < transaction.additions.length ? `additions[${i}]` : 'change'}: ${(error as Error).message}`;
    }
    if (expected !== strip0x(a.coinId)) {
      const label = i < transaction.additions.length ? `additions[${i}]` : 'change';
      return `${label}.coinId expected ${expected} recorded ${a.coinId}`;
    }
  }
  return null;
}
