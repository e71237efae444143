import { Program } from 'clvm-lib';
import type { Coin, CoinRecord, CoinSpend, Hex } from '../chain';
import { normalizeHex } from './bytes-hex';
import { runProgram } from './clvm-run';
import { coinId } from './coin-id';

const CREATE_COIN = 51n;

/** A block's cost limit: no spend the chain could include costs more. */
const MAX_BLOCK_COST = 11_000_000_000n;

/** A coin a spend creates, with the memos its CREATE_COIN carries (hex; empty when none). */
export interface CreatedCoin {
  coin: Coin;
  memos: Hex[];
}

/**
 * The memos of a CREATE_COIN (its optional fourth argument): the atoms of the list there, as a node reads them
 * (chia_rs keeps a proper list's atoms; anything else in that place carries no memo).
 */
function memosOf(list: Program | undefined): Hex[] {
  if (list === undefined || !list.isCons) return [];
  const memos: Hex[] = [];
  for (let rest = list; rest.isCons; rest = rest.rest) if (rest.first.isAtom) memos.push(Buffer.from(rest.first.atom).toString('hex'));
  return memos;
}

/**
 * Every coin one spend creates, read by running its puzzle with its solution as a node's mempool runs them (signatures
 * are not checked: that is the node's affair). What the spender says it made is never needed: these are the coins the
 * chain creates, whoever built the spend.
 */
export function createdCoinsOfSpend(spend: CoinSpend): CreatedCoin[] {
  const parent = coinId(spend.coin);
  const output = runProgram(Program.deserializeHex(normalizeHex(spend.puzzleReveal)), Program.deserializeHex(normalizeHex(spend.solution)), { maxCost: MAX_BLOCK_COST }).value;
  const created: CreatedCoin[] = [];
  for (const condition of output.toList()) {
    if (!condition.isCons || !condition.first.isAtom || condition.first.toBigInt() !== CREATE_COIN) continue;
    const [, puzzleHash, amount, memoList] = condition.toList(false);
    if (puzzleHash === undefined || amount === undefined || !puzzleHash.isAtom || puzzleHash.atom.length !== 32 || !amount.isAtom) {
      throw new Error(`a CREATE_COIN of coin ${parent} is malformed`);
    }
    created.push({ coin: { parentCoinInfo: parent, puzzleHash: Buffer.from(puzzleHash.atom).toString('hex'), amount: amount.toBigInt() }, memos: memosOf(memoList) });
  }
  return created;
}

/** The node calls a coin needs to have its memos read back. */
export type CoinMemoNode = { getCoinRecordByName(name: Hex): Promise<CoinRecord | null>; getPuzzleAndSolution(coinId: Hex, height: number): Promise<CoinSpend> };

/**
 * A coin as the chain holds it, with the memos it was created with: its parent's spend, asked of the node at the
 * height the coin was confirmed (the block that spent the parent) and run. Null when the node knows no such coin.
 */
export async function coinWithMemos(node: CoinMemoNode, id: Hex): Promise<{ record: CoinRecord; memos: Hex[] } | null> {
  const wanted = normalizeHex(id);
  const record = await node.getCoinRecordByName(wanted);
  if (record === null) return null;
  const spend = await node.getPuzzleAndSolution(normalizeHex(record.coin.parentCoinInfo), record.confirmedBlockIndex);
  const created = createdCoinsOfSpend(spend).find((c) => coinId(c.coin) === wanted);
  if (created === undefined) throw new Error(`the spend of coin ${record.coin.parentCoinInfo} does not create coin ${wanted}, which the node says it is the parent of`);
  return { record, memos: created.memos };
}
