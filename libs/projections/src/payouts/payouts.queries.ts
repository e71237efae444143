import type { ReadModelDatabase } from '@pool/read-models';
import { pageOf, whereClause, type CursorPage, type KeysetRequest } from '../read-support/paging';
import { flagOrNull, jsonList, num, numOrNull, readRows, str, strOrNull, sumText, text, type ReadRow } from '../read-support/read-rows';

/** One payout as the read API shows it. Amounts are decimal strings of mojos; times unix seconds of ledger time. */
export interface PayoutView {
  payoutId: string;
  sequence: number;
  status: string;
  ledgerPosition: string;
  scheme: string;
  feeBasisPoints: number;
  rewardTotal: string;
  poolFee: string;
  blockchainFee: string;
  allocatedTotal: string;
  carriedTotal: string;
  recipients: number;
  rewardCoinIds: string[];
  transactionIds: string[];
  attempts: number;
  failureReason: string | null;
  willRetry: boolean | null;
  plannedAt: number;
  sentAt: number | null;
  confirmedHeight: number | null;
  confirmedAt: number | null;
  failedAt: number | null;
}

export interface PayoutLineView {
  launcherId: string;
  puzzleHash: string;
  points: string;
  amount: string;
  coinId: string | null;
  status: string;
}

export interface PayoutDetailView extends PayoutView {
  transactions: { transactionId: string }[];
  lines: PayoutLineView[];
}

/** One farmer's line of a payout, with the payout's times. */
export interface FarmerPayoutLineView {
  payoutId: string;
  sequence: number;
  points: string;
  amount: string;
  coinId: string | null;
  status: string;
  plannedAt: number | null;
  confirmedAt: number | null;
  confirmedHeight: number | null;
  transactionIds: string[];
}

export interface PayoutsRequest extends KeysetRequest {
  status?: string;
}

const PAYOUT_SELECT = `SELECT payout_id, sequence, status, ledger_position, scheme, fee_basis_points, ${text('reward_total')}, ${text('pool_fee')},
  ${text('blockchain_fee')}, ${text('allocated_total')}, recipients, ${text('carried_total')}, reward_coin_ids, transaction_ids, attempts,
  failure_reason, will_retry, planned_at, sent_at, confirmed_height, confirmed_at, failed_at FROM payouts`;

/** Payouts, newest (highest sequence) first, keyset paged. */
export async function payoutsPage(readModels: ReadModelDatabase, request: PayoutsRequest): Promise<CursorPage<PayoutView>> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (request.status) {
    where.push('status = ?');
    params.push(request.status);
  }
  if (request.after) {
    where.push('sequence < ?');
    params.push(request.after[0]);
  }
  const rows = await readRows(readModels, `${PAYOUT_SELECT} ${whereClause(where)} ORDER BY sequence DESC LIMIT ?`, [...params, request.limit + 1]);
  return pageOf(rows, request.limit, payoutOf, (r) => [num(r.sequence)]);
}

/** One payout with its transactions and one line per farmer paid, largest first; undefined for an unknown id. */
export async function payoutDetail(readModels: ReadModelDatabase, payoutId: string): Promise<PayoutDetailView | undefined> {
  const [row] = await readRows(readModels, `${PAYOUT_SELECT} WHERE payout_id = ?`, [payoutId]);
  if (!row) return undefined;
  const lines = await readRows(
    readModels,
    `SELECT launcher_id, puzzle_hash, ${text('points')}, ${text('amount')}, coin_id, status FROM payout_lines WHERE payout_id = ?
     ORDER BY payout_lines.amount DESC, launcher_id`,
    [payoutId],
  );
  return {
    ...payoutOf(row),
    transactions: jsonList(row.transaction_ids).map((transactionId) => ({ transactionId })),
    lines: lines.map((l) => ({
      launcherId: String(l.launcher_id),
      puzzleHash: String(l.puzzle_hash),
      points: str(l.points),
      amount: str(l.amount),
      coinId: strOrNull(l.coin_id),
      status: String(l.status),
    })),
  };
}

/** How many payouts there are, and the mojos of the confirmed ones. */
export async function payoutFigures(readModels: ReadModelDatabase): Promise<{ count: number; paidToFarmers: string }> {
  const [row] = await readRows(
    readModels,
    `SELECT count(*) AS payouts, ${sumText("CASE WHEN status = 'confirmed' THEN allocated_total ELSE 0 END", 'paid')} FROM payouts`,
  );
  return { count: num(row?.payouts), paidToFarmers: str(row?.paid) };
}

/** A farmer's newest payout lines (by sequence), with the payouts' times and transactions. */
export async function farmerPayoutLines(readModels: ReadModelDatabase, launcherId: string, limit: number): Promise<FarmerPayoutLineView[]> {
  const rows = await readRows(
    readModels,
    `SELECT l.payout_id, l.sequence, ${text('l.points')}, ${text('l.amount')}, l.coin_id, l.status, p.planned_at, p.confirmed_at,
       p.confirmed_height, p.transaction_ids
     FROM payout_lines l JOIN payouts p ON p.payout_id = l.payout_id WHERE l.launcher_id = ? ORDER BY l.sequence DESC LIMIT ?`,
    [launcherId, limit],
  );
  return rows.map((h) => ({
    payoutId: String(h.payout_id),
    sequence: num(h.sequence),
    points: str(h.points),
    amount: str(h.amount),
    coinId: strOrNull(h.coin_id),
    status: String(h.status),
    plannedAt: numOrNull(h.planned_at),
    confirmedAt: numOrNull(h.confirmed_at),
    confirmedHeight: numOrNull(h.confirmed_height),
    transactionIds: jsonList(h.transaction_ids),
  }));
}

/** Every payout line of a farmer with the time its payout was planned (in no particular order). */
export async function farmerPlannedLines(
  readModels: ReadModelDatabase,
  launcherId: string,
): Promise<{ plannedAt: number; points: bigint; amount: bigint; status: string }[]> {
  const rows = await readRows(
    readModels,
    `SELECT p.planned_at, ${text('l.points')}, ${text('l.amount')}, l.status FROM payout_lines l JOIN payouts p ON p.payout_id = l.payout_id
     WHERE l.launcher_id = ?`,
    [launcherId],
  );
  return rows.map((l) => ({ plannedAt: num(l.planned_at), points: BigInt(str(l.points)), amount: BigInt(str(l.amount)), status: String(l.status) }));
}

function payoutOf(r: ReadRow): PayoutView {
  return {
    payoutId: String(r.payout_id),
    sequence: num(r.sequence),
    status: String(r.status),
    ledgerPosition: String(r.ledger_position),
    scheme: String(r.scheme),
    feeBasisPoints: num(r.fee_basis_points),
    rewardTotal: str(r.reward_total),
    poolFee: str(r.pool_fee),
    blockchainFee: str(r.blockchain_fee),
    allocatedTotal: str(r.allocated_total),
    carriedTotal: str(r.carried_total),
    recipients: num(r.recipients),
    rewardCoinIds: jsonList(r.reward_coin_ids),
    transactionIds: jsonList(r.transaction_ids),
    attempts: num(r.attempts),
    failureReason: strOrNull(r.failure_reason),
    willRetry: flagOrNull(r.will_retry),
    plannedAt: num(r.planned_at),
    sentAt: numOrNull(r.sent_at),
    confirmedHeight: numOrNull(r.confirmed_height),
    confirmedAt: numOrNull(r.confirmed_at),
    failedAt: numOrNull(r.failed_at),
  };
}
