import { Inject, Injectable, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { READ_MODELS } from '@pool/runtime';
import { dayOf, hourOf, SECONDS_PER_DAY, SECONDS_PER_HOUR } from '@pool/domain';
import { type ReadModelDatabase } from '@pool/read-models';
import { decodeCursor, DEFAULT_LIMIT, pageOf, rowsAfter, type CursorPage } from './paging';
import { partialStatusInWords, revertReasonInWords } from './plain-words';
import { sharePercent } from './pool-effort';
import type { BlocksQueryDto, LeaderboardQueryDto, PartialsQueryDto, PayoutsQueryDto } from './read-api.dto';

type Raw = Record<string, unknown>;

/** Bigint columns as decimal strings: SQLite hands integers past 2^53 back rounded otherwise. */
const text = (column: string, alias = column.replace(/^\w+\./, '')): string => `CAST(${column} AS TEXT) AS ${alias}`;
const sumText = (column: string, alias: string): string => `CAST(COALESCE(SUM(${column}), 0) AS TEXT) AS ${alias}`;
const str = (value: unknown): string => (value === null || value === undefined ? '0' : String(value));
const num = (value: unknown): number => (value === null || value === undefined ? 0 : Number(value));
const numOrNull = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));
const strOrNull = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));
const jsonList = (value: unknown): string[] => (typeof value === 'string' && value !== '' ? (JSON.parse(value) as string[]) : []);

/** Seconds of ledger time the luck figure looks back over. */
export const LUCK_WINDOW_SECONDS = 7 * SECONDS_PER_DAY;

/**
 * The read API's SQL, over the projections' views only (farmer_view, farmer_hourly, farmer_balances,
 * window_allocations, partial_history, partial_daily, pool_stats_hourly, rewards, payouts, payout_lines): the
 * names with no generation suffix, so a rebuild's switch is invisible here. Nothing reads the write side.
 */
@Injectable()
export class ReadModelQueries {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModelDatabase) {}

  private async query(sql: string, params: readonly unknown[] = []): Promise<Raw[]> {
    try {
      return await this.readModels.executor().query<Raw>(sql, params);
    } catch (error) {
      // Before the projector's first pass the views do not exist yet: say so instead of a bare 500.
      if (/no such table|does not exist/i.test((error as Error).message)) {
        throw new ServiceUnavailableException('the read models are not built yet: the projector has not run its first pass');
      }
      throw error;
    }
  }

  /** Newest ledger time (unix seconds) the projections have seen; 0 before any event. */
  async ledgerTime(): Promise<number> {
    const rows = await this.query(
      `SELECT max(t) AS t FROM (SELECT ledger_time AS t FROM pool_stats_meta UNION ALL SELECT ledger_time FROM farmer_view_meta
        UNION ALL SELECT ledger_time FROM rewards_meta UNION ALL SELECT ledger_time FROM payouts_meta) m`,
    );
    return num(rows[0]?.t);
  }

  async poolFigures(ledgerTime: number): Promise<PoolFigures> {
    const since24h = hourOf(ledgerTime) - 23 * SECONDS_PER_HOUR;
    const luckSince = ledgerTime - LUCK_WINDOW_SECONDS;
    const [farmers, hourly, blocks, lastBlock, luckPoints, payouts] = await Promise.all([
      this.query(
        `SELECT count(*) AS farmers,
           SUM(CASE WHEN membership = 'member' THEN 1 ELSE 0 END) AS members,
           SUM(CASE WHEN partials_24h_submitted > 0 THEN 1 ELSE 0 END) AS active,
           ${sumText('estimated_space', 'space')}, ${sumText('points_24h', 'points_24h')}
         FROM farmer_view`,
      ),
      this.query(
        `SELECT COALESCE(SUM(partials_submitted), 0) AS submitted, COALESCE(SUM(partials_confirmed), 0) AS confirmed,
           COALESCE(SUM(partials_reverted), 0) AS reverted, ${sumText('points_confirmed', 'points_confirmed')}
         FROM pool_stats_hourly WHERE hour >= ?`,
        [since24h],
      ),
      this.query(
        `SELECT count(*) AS won, SUM(CASE WHEN detected_at >= ? THEN 1 ELSE 0 END) AS recent,
           ${sumText("CASE WHEN status = 'absorbed' THEN amount ELSE 0 END", 'absorbed')}
         FROM rewards WHERE status <> 'reverted'`,
        [luckSince],
      ),
      this.query(
        `SELECT coin_id, farmed_height, detected_at FROM rewards WHERE status <> 'reverted'
         ORDER BY COALESCE(detected_at, 0) DESC, coin_id DESC LIMIT 1`,
      ),
      this.query(`SELECT ${sumText('points_submitted', 'points')} FROM pool_stats_hourly WHERE hour >= ?`, [hourOf(luckSince)]),
      this.query(
        `SELECT count(*) AS payouts, ${sumText("CASE WHEN status = 'confirmed' THEN allocated_total ELSE 0 END", 'paid')} FROM payouts`,
      ),
    ]);
    const last = lastBlock[0];
    const pointsSinceLastBlock = await this.pointsSince(last ? numOrNull(last.detected_at) : null);
    return {
      farmers: { total: num(farmers[0]?.farmers), members: num(farmers[0]?.members), active24h: num(farmers[0]?.active) },
      estimatedSpace: str(farmers[0]?.space),
      points24h: str(farmers[0]?.points_24h),
      partials24h: { submitted: num(hourly[0]?.submitted), confirmed: num(hourly[0]?.confirmed), reverted: num(hourly[0]?.reverted) },
      pointsConfirmed24h: str(hourly[0]?.points_confirmed),
      blocksWon: num(blocks[0]?.won),
      blocksInLuckWindow: num(blocks[0]?.recent),
      rewardsAbsorbed: str(blocks[0]?.absorbed),
      lastBlock: last ? { coinId: String(last.coin_id), farmedHeight: numOrNull(last.farmed_height), detectedAt: numOrNull(last.detected_at) } : null,
      pointsSinceLastBlock,
      pointsInLuckWindow: BigInt(str(luckPoints[0]?.points)),
      payouts: num(payouts[0]?.payouts),
      paidToFarmers: str(payouts[0]?.paid),
    };
  }

  /**
   * Points received after `time` (all of them when null). Exact from partial_history while `time` is inside its
   * retention window; older than that, from the hourly totals of the hours after the one `time` falls in.
   */
  private async pointsSince(time: number | null): Promise<bigint> {
    if (time === null) {
      const [row] = await this.query(`SELECT ${sumText('points_submitted', 'points')} FROM pool_stats_hourly`);
      return BigInt(str(row?.points));
    }
    const [oldest] = await this.query('SELECT min(received_at) AS oldest FROM partial_history');
    if (oldest?.oldest !== null && oldest?.oldest !== undefined && num(oldest.oldest) <= time) {
      const [row] = await this.query(`SELECT ${sumText('points', 'points')} FROM partial_history WHERE received_at > ?`, [time]);
      return BigInt(str(row?.points));
    }
    const [row] = await this.query(`SELECT ${sumText('points_submitted', 'points')} FROM pool_stats_hourly WHERE hour > ?`, [hourOf(time)]);
    return BigInt(str(row?.points));
  }

  async poolHourly(hours: number): Promise<object[]> {
    const rows = await this.query(
      `SELECT hour, partials_submitted, partials_confirmed, partials_reverted, ${text('points_submitted')}, ${text('points_confirmed')},
         ${text('points_reverted')}, farmers_online, ${text('estimated_space')}
       FROM pool_stats_hourly ORDER BY hour DESC LIMIT ?`,
      [hours],
    );
    return rows.reverse().map((r) => ({
      hour: num(r.hour),
      partials: { submitted: num(r.partials_submitted), confirmed: num(r.partials_confirmed), reverted: num(r.partials_reverted) },
      points: { submitted: str(r.points_submitted), confirmed: str(r.points_confirmed), reverted: str(r.points_reverted) },
      farmersOnline: num(r.farmers_online),
      estimatedSpace: str(r.estimated_space),
    }));
  }

  async blocks(query: BlocksQueryDto): Promise<CursorPage<object>> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const after = decodeCursor(query.cursor, ['n', 's']);
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.status) {
      where.push('status = ?');
      params.push(query.status);
    }
    if (after) {
      const { condition, params: values } = rowsAfter('COALESCE(farmed_height, 0)', 'coin_id', after);
      where.push(condition);
      params.push(...values);
    }
    const rows = await this.query(
      `SELECT coin_id, launcher_id, puzzle_hash, ${text('amount')}, status, farmed_height, confirmed_height, absorbed_height,
         absorb_transaction_id, pool_coin_id, ${text('absorb_fee')}, fork_height, detected_at, absorbed_at, reverted_at
       FROM rewards ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY COALESCE(farmed_height, 0) DESC, coin_id DESC LIMIT ?`,
      [...params, limit + 1],
    );
    return pageOf(rows, limit, blockOf, (r) => [num(r.farmed_height), String(r.coin_id)]);
  }

  async payouts(query: PayoutsQueryDto): Promise<CursorPage<object>> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const after = decodeCursor(query.cursor, ['n']);
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.status) {
      where.push('status = ?');
      params.push(query.status);
    }
    if (after) {
      where.push('sequence < ?');
      params.push(after[0]);
    }
    const rows = await this.query(`${PAYOUT_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY sequence DESC LIMIT ?`, [...params, limit + 1]);
    return pageOf(rows, limit, payoutOf, (r) => [num(r.sequence)]);
  }

  async payout(payoutId: string): Promise<object> {
    const [row] = await this.query(`${PAYOUT_SELECT} WHERE payout_id = ?`, [payoutId]);
    if (!row) throw new NotFoundException(`no payout ${payoutId}`);
    const lines = await this.query(
      `SELECT launcher_id, puzzle_hash, ${text('points')}, ${text('amount')}, coin_id, status FROM payout_lines WHERE payout_id = ?
       ORDER BY payout_lines.amount DESC, launcher_id`,
      [payoutId],
    );
    const payout = payoutOf(row);
    return {
      ...payout,
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

  async leaderboard(query: LeaderboardQueryDto): Promise<object> {
    const sort = query.sort ?? 'points_24h';
    const limit = query.limit ?? DEFAULT_LIMIT;
    const page = query.page ?? 1;
    const offset = (page - 1) * limit;
    const [totals] = await this.query(`SELECT count(*) AS n, ${sumText(sort, 'total')} FROM farmer_view`);
    // ORDER BY names the table's column: the bare name would sort by the text cast of the same name (SQLite).
    const rows = await this.query(
      `SELECT launcher_id, membership, difficulty, ${text('points_24h')}, ${text('confirmed_points')}, ${text('window_points')},
         ${text('estimated_space')}, partials_24h_submitted, last_partial_at
       FROM farmer_view ORDER BY farmer_view.${sort} DESC, launcher_id ASC LIMIT ? OFFSET ?`,
      [limit, offset],
    );
    const total = BigInt(str(totals?.total));
    return {
      sort,
      page,
      limit,
      total: num(totals?.n),
      items: rows.map((r, i) => ({
        rank: offset + i + 1,
        launcherId: String(r.launcher_id),
        membership: String(r.membership),
        difficulty: strOrNull(r.difficulty),
        points24h: str(r.points_24h),
        confirmedPoints: str(r.confirmed_points),
        windowPoints: str(r.window_points),
        estimatedSpace: str(r.estimated_space),
        partials24h: num(r.partials_24h_submitted),
        lastPartialAt: numOrNull(r.last_partial_at),
        share: sharePercent(BigInt(str(r[sort])), total),
      })),
    };
  }

  /** farmer_view's row, or a 404 when the projections have never seen the launcher. */
  async farmerRow(launcherId: string): Promise<Raw> {
    const [row] = await this.query(
      `SELECT launcher_id, ${text('difficulty')}, membership, left_at, left_reason, payout_instructions, payout_puzzle_hash, protocol_version,
         registered_at, updated_at, ${text('pending_points')}, ${text('confirmed_points')}, ${text('reverted_points')}, ${text('window_points')},
         last_payout_sequence, last_partial_at, partials_24h_submitted, partials_24h_confirmed, partials_24h_reverted, ${text('points_24h')},
         ${text('estimated_space')}
       FROM farmer_view WHERE launcher_id = ?`,
      [launcherId],
    );
    if (!row) throw new NotFoundException(`no farmer with launcher id ${launcherId} is known to the pool`);
    return row;
  }

  async farmer(launcherId: string): Promise<object> {
    const row = await this.farmerRow(launcherId);
    const [balances, inFlight, history, allTime, recent] = await Promise.all([
      this.query(
        `SELECT ${text('carried_mojos')}, ${text('paid_mojos')}, ${text('reverted_after_payout')}, last_payout_sequence, ${text('last_paid_points')},
           payouts_planned FROM farmer_balances WHERE launcher_id = ?`,
        [launcherId],
      ),
      this.query(`SELECT ${sumText('amount', 'amount')} FROM window_allocations WHERE launcher_id = ? AND status IN ('planned', 'sent')`, [launcherId]),
      this.query(
        `SELECT l.payout_id, l.sequence, ${text('l.points')}, ${text('l.amount')}, l.coin_id, l.status, p.planned_at, p.confirmed_at,
           p.confirmed_height, p.transaction_ids
         FROM payout_lines l JOIN payouts p ON p.payout_id = l.payout_id WHERE l.launcher_id = ? ORDER BY l.sequence DESC LIMIT 20`,
        [launcherId],
      ),
      this.query(
        `SELECT COALESCE(SUM(submitted), 0) AS submitted, COALESCE(SUM(confirmed), 0) AS confirmed, COALESCE(SUM(reverted), 0) AS reverted,
           ${sumText('submitted_points', 'submitted_points')}, ${sumText('points', 'confirmed_points')}, ${sumText('reverted_points', 'reverted_points')}
         FROM partial_daily WHERE launcher_id = ?`,
        [launcherId],
      ),
      this.query(
        `SELECT status, reason, count(*) AS n, ${sumText('points', 'points')} FROM partial_history WHERE launcher_id = ? GROUP BY status, reason
         ORDER BY status, reason`,
        [launcherId],
      ),
    ]);
    const b = balances[0];
    const a = allTime[0];
    return {
      launcherId,
      membership: String(row.membership),
      leftAt: numOrNull(row.left_at),
      leftReason: strOrNull(row.left_reason),
      difficulty: strOrNull(row.difficulty),
      payoutInstructions: strOrNull(row.payout_instructions),
      payoutPuzzleHash: strOrNull(row.payout_puzzle_hash),
      protocolVersion: numOrNull(row.protocol_version),
      registeredAt: numOrNull(row.registered_at),
      lastPartialAt: numOrNull(row.last_partial_at),
      points: {
        pending: str(row.pending_points),
        confirmed: str(row.confirmed_points),
        reverted: str(row.reverted_points),
        inWindow: str(row.window_points),
        last24h: str(row.points_24h),
      },
      estimatedSpace: str(row.estimated_space),
      balance: {
        carried: str(b?.carried_mojos),
        inFlight: str(inFlight[0]?.amount),
        paid: str(b?.paid_mojos),
        revertedAfterPayout: str(b?.reverted_after_payout),
        lastPayoutSequence: numOrNull(b?.last_payout_sequence),
        payoutsPlanned: num(b?.payouts_planned),
      },
      payoutHistory: history.map((h) => ({
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
      })),
      partials: {
        last24h: { submitted: num(row.partials_24h_submitted), confirmed: num(row.partials_24h_confirmed), reverted: num(row.partials_24h_reverted) },
        allTime: {
          submitted: num(a?.submitted),
          confirmed: num(a?.confirmed),
          reverted: num(a?.reverted),
          points: { submitted: str(a?.submitted_points), confirmed: str(a?.confirmed_points), reverted: str(a?.reverted_points) },
        },
        // Within the retention window: every result, reverts split by reason, each explained.
        byResult: recent.map((r) => ({
          status: String(r.status),
          reason: strOrNull(r.reason),
          explanation: r.status === 'reverted' ? revertReasonInWords(strOrNull(r.reason)) : partialStatusInWords(String(r.status)),
          count: num(r.n),
          points: str(r.points),
        })),
      },
    };
  }

  async partials(launcherId: string, query: PartialsQueryDto): Promise<CursorPage<object>> {
    await this.farmerRow(launcherId);
    const limit = query.limit ?? DEFAULT_LIMIT;
    const after = decodeCursor(query.cursor, ['n', 's']);
    const where = ['launcher_id = ?'];
    const params: unknown[] = [launcherId];
    if (query.status) {
      where.push('status = ?');
      params.push(query.status);
    }
    if (after) {
      const { condition, params: values } = rowsAfter('received_at', 'proof_hash', after);
      where.push(condition);
      params.push(...values);
    }
    const rows = await this.query(
      `SELECT proof_hash, ${text('points')}, status, reason, fork_height, was_confirmed, signage_point_hash, plot_size, received_at,
         confirmed_at, reverted_at
       FROM partial_history WHERE ${where.join(' AND ')} ORDER BY received_at DESC, proof_hash DESC LIMIT ?`,
      [...params, limit + 1],
    );
    return pageOf(
      rows,
      limit,
      (r) => ({
        proofHash: String(r.proof_hash),
        points: str(r.points),
        status: String(r.status),
        reason: strOrNull(r.reason),
        explanation: r.status === 'reverted' ? revertReasonInWords(strOrNull(r.reason)) : partialStatusInWords(String(r.status)),
        forkHeight: numOrNull(r.fork_height),
        wasConfirmed: r.was_confirmed === null || r.was_confirmed === undefined ? null : num(r.was_confirmed) === 1,
        signagePointHash: strOrNull(r.signage_point_hash),
        plotSize: numOrNull(r.plot_size),
        receivedAt: num(r.received_at),
        confirmedAt: numOrNull(r.confirmed_at),
        revertedAt: numOrNull(r.reverted_at),
      }),
      (r) => [num(r.received_at), String(r.proof_hash)],
    );
  }

  /** Points and partials over time: per ledger hour (retention window) or per day (all history). */
  async farmerTimeline(launcherId: string, resolution: 'hour' | 'day'): Promise<object> {
    await this.farmerRow(launcherId);
    if (resolution === 'hour') {
      const rows = await this.query(
        `SELECT hour, submitted, confirmed, reverted, ${text('points')}, ${text('confirmed_points')}, ${text('reverted_points')}
         FROM farmer_hourly WHERE launcher_id = ? ORDER BY hour`,
        [launcherId],
      );
      return {
        launcherId,
        resolution,
        buckets: rows.map((r) => ({
          start: num(r.hour),
          partials: { submitted: num(r.submitted), confirmed: num(r.confirmed), reverted: num(r.reverted) },
          points: { submitted: str(r.points), confirmed: str(r.confirmed_points), reverted: str(r.reverted_points) },
        })),
      };
    }
    const rows = await this.dailyRows(launcherId);
    return {
      launcherId,
      resolution,
      buckets: rows.map((r) => ({
        start: num(r.day),
        partials: { submitted: num(r.submitted), confirmed: num(r.confirmed), reverted: num(r.reverted) },
        points: { submitted: str(r.submitted_points), confirmed: str(r.points), reverted: str(r.reverted_points) },
      })),
    };
  }

  private dailyRows(launcherId: string): Promise<Raw[]> {
    return this.query(
      `SELECT day, submitted, confirmed, reverted, ${text('points')}, ${text('submitted_points')}, ${text('reverted_points')}
       FROM partial_daily WHERE launcher_id = ? ORDER BY day`,
      [launcherId],
    );
  }

  /**
   * One row per UTC day with activity: partials and points from partial_daily (each event on the day of its own
   * time), payouts from payout_lines on the day they were planned.
   */
  async farmerHistoryDays(launcherId: string): Promise<HistoryDay[]> {
    await this.farmerRow(launcherId);
    const [daily, lines] = await Promise.all([
      this.dailyRows(launcherId),
      this.query(
        `SELECT p.planned_at, ${text('l.points')}, ${text('l.amount')}, l.status FROM payout_lines l JOIN payouts p ON p.payout_id = l.payout_id
         WHERE l.launcher_id = ?`,
        [launcherId],
      ),
    ]);
    const days = new Map<number, HistoryDay>();
    const day = (start: number): HistoryDay => {
      let d = days.get(start);
      if (!d) {
        d = { day: start, submitted: 0, confirmed: 0, reverted: 0, submittedPoints: 0n, confirmedPoints: 0n, revertedPoints: 0n, payouts: 0, payoutPoints: 0n, allocated: 0n, paid: 0n };
        days.set(start, d);
      }
      return d;
    };
    for (const r of daily) {
      Object.assign(day(num(r.day)), {
        submitted: num(r.submitted),
        confirmed: num(r.confirmed),
        reverted: num(r.reverted),
        submittedPoints: BigInt(str(r.submitted_points)),
        confirmedPoints: BigInt(str(r.points)),
        revertedPoints: BigInt(str(r.reverted_points)),
      });
    }
    for (const l of lines) {
      const d = day(dayOf(num(l.planned_at)));
      d.payouts += 1;
      d.payoutPoints += BigInt(str(l.points));
      d.allocated += BigInt(str(l.amount));
      if (l.status === 'confirmed') d.paid += BigInt(str(l.amount));
    }
    return [...days.values()].sort((x, y) => x.day - y.day);
  }
}

export interface HistoryDay {
  day: number;
  submitted: number;
  confirmed: number;
  reverted: number;
  submittedPoints: bigint;
  confirmedPoints: bigint;
  revertedPoints: bigint;
  payouts: number;
  payoutPoints: bigint;
  allocated: bigint;
  paid: bigint;
}

export interface PoolFigures {
  farmers: { total: number; members: number; active24h: number };
  estimatedSpace: string;
  points24h: string;
  partials24h: { submitted: number; confirmed: number; reverted: number };
  pointsConfirmed24h: string;
  blocksWon: number;
  blocksInLuckWindow: number;
  rewardsAbsorbed: string;
  lastBlock: { coinId: string; farmedHeight: number | null; detectedAt: number | null } | null;
  pointsSinceLastBlock: bigint;
  pointsInLuckWindow: bigint;
  payouts: number;
  paidToFarmers: string;
}

const PAYOUT_SELECT = `SELECT payout_id, sequence, status, ledger_position, scheme, fee_basis_points, ${text('reward_total')}, ${text('pool_fee')},
  ${text('blockchain_fee')}, ${text('allocated_total')}, recipients, ${text('carried_total')}, reward_coin_ids, transaction_ids, attempts,
  failure_reason, will_retry, planned_at, sent_at, confirmed_height, confirmed_at, failed_at FROM payouts`;

function payoutOf(r: Raw): object {
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
    willRetry: r.will_retry === null || r.will_retry === undefined ? null : num(r.will_retry) === 1,
    plannedAt: num(r.planned_at),
    sentAt: numOrNull(r.sent_at),
    confirmedHeight: numOrNull(r.confirmed_height),
    confirmedAt: numOrNull(r.confirmed_at),
    failedAt: numOrNull(r.failed_at),
  };
}

function blockOf(r: Raw): object {
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
