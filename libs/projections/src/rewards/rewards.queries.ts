import type { ReadModelDatabase } from '@pool/read-models';
import { pageOf, rowsAfter, whereClause, type CursorPage, type KeysetRequest } from '../read-support/paging';
import { num, numOrNull, readRows, str, strOrNull, sumText, text, type ReadRow } from '../read-support/read-rows';

/** One reward coin the pool won, as the read API shows it. Amounts are decimal strings of mojos. */
export interface BlockView {
  coinId: string;
  launcherId: string;
  puzzleHash: string | null;
  amount: string;
  status: string;
  farmedHeight: number | null;
  confirmedHeight: number | null;
  absorbedHeight: number | null;
  absorbTransactionId: string | null;
  poolCoinId: string | null;
  absorbFee: string | null;
  forkHeight: number | null;
  detectedAt: number | null;
  absorbedAt: number | null;
  revertedAt: number | null;
}

export interface BlocksRequest extends KeysetRequest {
  status?: string;
}

/** Blocks won, newest first (by farmed height, then coin id), keyset paged. */
export async function blocksPage(readModels: ReadModelDatabase, request: BlocksRequest): Promise<CursorPage<BlockView>> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (request.status) {
    where.push('status = ?');
    params.push(request.status);
  }
  if (request.after) {
    const { condition, params: values } = rowsAfter('COALESCE(farmed_height, 0)', 'coin_id', request.after);
    where.push(condition);
    params.push(...values);
  }
  const rows = await readRows(
    readModels,
    `SELECT coin_id, launcher_id, puzzle_hash, ${text('amount')}, status, farmed_height, confirmed_height, absorbed_height,
       absorb_transaction_id, pool_coin_id, ${text('absorb_fee')}, fork_height, detected_at, absorbed_at, reverted_at
     FROM rewards ${whereClause(where)}
     ORDER BY COALESCE(farmed_height, 0) DESC, coin_id DESC LIMIT ?`,
    [...params, request.limit + 1],
  );
  return pageOf(rows, request.limit, blockOf, (r) => [num(r.farmed_height), String(r.coin_id)]);
}

export interface LastBlockView {
  coinId: string;
  farmedHeight: number | null;
  detectedAt: number | null;
}

export interface RewardFigures {
  /** Blocks won and not reverted. */
  won: number;
  /** Of those, detected at or after `since`. */
  wonSince: number;
  /** Mojos of the absorbed rewards. */
  absorbed: string;
  last: LastBlockView | null;
}

/** The pool's blocks: how many, how many since a time, what they brought in, and the newest. */
export async function rewardFigures(readModels: ReadModelDatabase, since: number): Promise<RewardFigures> {
  const [blocks, lastBlock] = await Promise.all([
    readRows(
      readModels,
      `SELECT count(*) AS won, SUM(CASE WHEN detected_at >= ? THEN 1 ELSE 0 END) AS recent,
         ${sumText("CASE WHEN status = 'absorbed' THEN amount ELSE 0 END", 'absorbed')}
       FROM rewards WHERE status <> 'reverted'`,
      [since],
    ),
    readRows(
      readModels,
      `SELECT coin_id, farmed_height, detected_at FROM rewards WHERE status <> 'reverted'
       ORDER BY COALESCE(detected_at, 0) DESC, coin_id DESC LIMIT 1`,
    ),
  ]);
  const last = lastBlock[0];
  return {
    won: num(blocks[0]?.won),
    wonSince: num(blocks[0]?.recent),
    absorbed: str(blocks[0]?.absorbed),
    last: last ? { coinId: String(last.coin_id), farmedHeight: numOrNull(last.farmed_height), detectedAt: numOrNull(last.detected_at) } : null,
  };
}

function blockOf(r: ReadRow): BlockView {
  return {
    coinId: String(r.coin_id),
    launcherId: String(r.launcher_id),
    puzzleHash: strOrNull(r.puzzle_hash),
    amount: str(r.amount),
    status: String(r.status),
    farmedHeight: numOrNull(r.farmed_height),
    confirmedHeight: numOrNull(r.confirmed_height),
    absorbedHeight: numOrNull(r.absorbed_height),
    absorbTransactionId: strOrNull(r.absorb_transaction_id),
    poolCoinId: strOrNull(r.pool_coin_id),
    absorbFee: strOrNull(r.absorb_fee),
    forkHeight: numOrNull(r.fork_height),
    detectedAt: numOrNull(r.detected_at),
    absorbedAt: numOrNull(r.absorbed_at),
    revertedAt: numOrNull(r.reverted_at),
  };
}

/**
 * When the pool's block before this one (detected at `detectedAt`, coin `coinId`) was detected, in the order the
 * overview's "last block" uses (detection time, then coin id), reverted blocks left out; null for the first block.
 */
export async function previousBlockTime(readModels: ReadModelDatabase, detectedAt: number, coinId: string): Promise<number | null> {
  const [row] = await readRows(
    readModels,
    `SELECT detected_at FROM rewards WHERE status <> 'reverted' AND detected_at IS NOT NULL AND (detected_at < ? OR (detected_at = ? AND coin_id < ?))
     ORDER BY detected_at DESC, coin_id DESC LIMIT 1`,
    [detectedAt, detectedAt, coinId],
  );
  return numOrNull(row?.detected_at);
}
