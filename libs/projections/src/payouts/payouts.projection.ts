import { ledgerTimeOf, PAYOUT_EVENT_TYPES, type PayoutEvent, type PayoutPlanned, type PayoutResolved, type PayoutSigned, upcastPayoutPlanned } from '@pool/domain';
import type { Projection, SqlExecutor, TableSpec } from '@pool/read-models';
import { big, int, loadRows, metaTable, readMeta, unseen, upsertRows, writeMeta, type Columns, type Row } from '@pool/read-models';

/**
 * payouts: the payout saga as operators and farmers see it.
 *
 * Tables:
 *   payouts        payout_id PK, sequence, status ('planned' | 'sent' | 'confirmed' | 'failed'), ledger_position,
 *                  scheme, fee_basis_points, reward_total, pool_fee, blockchain_fee, allocated_total, recipients,
 *                  carried_total, reward_coin_ids (JSON array), transaction_ids (JSON array), attempts,
 *                  failure_reason, will_retry, planned_at, sent_at, confirmed_height, confirmed_at, failed_at.
 *                  Amounts are mojos. Index (sequence).
 *   payout_lines   (payout_id, launcher_id) PK, sequence, puzzle_hash, points, amount (mojos), coin_id (the coin
 *                  paying it, once known: from PayoutSigned, or a schema 1 plan's prediction; set when one coin
 *                  matches puzzle hash and amount), status (the payout's).
 *                  Index (launcher_id, sequence).
 *   payouts_meta   id PK (always 1), position, ledger_time
 */
export const PAYOUTS_TABLES: readonly TableSpec[] = [
  {
    name: 'payouts',
    columns: `payout_id varchar(64) NOT NULL, sequence integer NOT NULL, status varchar(10) NOT NULL,
      ledger_position varchar(64) NOT NULL, scheme varchar(16) NOT NULL, fee_basis_points integer NOT NULL,
      reward_total bigint NOT NULL, pool_fee bigint NOT NULL, blockchain_fee bigint NOT NULL,
      allocated_total bigint NOT NULL, recipients integer NOT NULL, carried_total bigint NOT NULL,
      reward_coin_ids text NOT NULL, transaction_ids text, attempts integer NOT NULL,
      failure_reason text, will_retry integer,
      planned_at bigint NOT NULL, sent_at bigint, confirmed_height bigint, confirmed_at bigint, failed_at bigint`,
    primaryKey: ['payout_id'],
    indexes: [['sequence']],
  },
  {
    name: 'payout_lines',
    columns: `payout_id varchar(64) NOT NULL, launcher_id varchar(64) NOT NULL, sequence integer NOT NULL,
      puzzle_hash varchar(64) NOT NULL, points bigint NOT NULL, amount bigint NOT NULL, coin_id varchar(64),
      status varchar(10) NOT NULL`,
    primaryKey: ['payout_id', 'launcher_id'],
    indexes: [['launcher_id', 'sequence']],
  },
  metaTable('payouts_meta'),
];

const PAYOUT: Columns = {
  payout_id: 'text',
  sequence: 'int',
  status: 'text',
  ledger_position: 'text',
  scheme: 'text',
  fee_basis_points: 'int',
  reward_total: 'big',
  pool_fee: 'big',
  blockchain_fee: 'big',
  allocated_total: 'big',
  recipients: 'int',
  carried_total: 'big',
  reward_coin_ids: 'text',
  transaction_ids: 'text',
  attempts: 'int',
  failure_reason: 'text',
  will_retry: 'int',
  planned_at: 'int',
  sent_at: 'int',
  confirmed_height: 'int',
  confirmed_at: 'int',
  failed_at: 'int',
};

const LINE: Columns = {
  payout_id: 'text',
  launcher_id: 'text',
  sequence: 'int',
  puzzle_hash: 'text',
  points: 'big',
  amount: 'big',
  coin_id: 'text',
  status: 'text',
};

interface PayingCoin {
  coinId: string;
  puzzleHash: string;
  amount: string;
}

/**
 * The rule matching coins to what they pay: same puzzle hash and amount, each coin once, in the coins' order. Indexed
 * by both, since a payout pays hundreds of farmers (a search of every coin for each allocation was quadratic).
 */
function coinMatcher(coins: readonly PayingCoin[]): { take(puzzleHash: string, amount: string): PayingCoin | undefined } {
  const unused = new Map<string, PayingCoin[]>();
  for (const coin of coins) {
    const key = `${coin.puzzleHash}|${coin.amount}`;
    const same = unused.get(key);
    if (same) same.push(coin);
    else unused.set(key, [coin]);
  }
  return { take: (puzzleHash, amount) => unused.get(`${puzzleHash}|${amount}`)?.shift() };
}

/** The coin paying each allocation's farmer (its first allocation's, should a farmer be allocated twice). */
function coinsPaying(allocations: readonly { launcherId: string; puzzleHash: string; amount: string }[], coins: readonly PayingCoin[]): Map<string, string> {
  const matcher = coinMatcher(coins);
  const paying = new Map<string, string>();
  for (const a of allocations) {
    if (paying.has(a.launcherId)) continue;
    const coin = matcher.take(a.puzzleHash, a.amount);
    if (coin !== undefined) paying.set(a.launcherId, coin.coinId);
  }
  return paying;
}

/** Lines of a plan; a farmer allocated twice in one plan (it should not be) gets one line with the sums. */
function linesOf(plan: PayoutPlanned['data']): Row[] {
  const matcher = coinMatcher(plan.transactions.flatMap((t) => t.predicted?.additions ?? []));
  const lines = new Map<string, Row>();
  for (const a of plan.allocations) {
    // The expected coin paying this line (every allocation takes its coin, a farmer's second one too).
    const coin = matcher.take(a.puzzleHash, a.amount);
    const existing = lines.get(a.launcherId);
    if (existing) {
      existing.points = big(existing.points) + BigInt(a.points);
      existing.amount = big(existing.amount) + BigInt(a.amount);
      continue;
    }
    lines.set(a.launcherId, {
      payout_id: plan.payoutId,
      launcher_id: a.launcherId,
      sequence: plan.sequence,
      puzzle_hash: a.puzzleHash,
      points: BigInt(a.points),
      amount: BigInt(a.amount),
      coin_id: coin?.coinId ?? null,
      status: 'planned',
    });
  }
  return [...lines.values()];
}


/** The signed bundles name the coin paying each line (the plan only said what to pay). */
async function setPayingCoins(sql: SqlExecutor, linesTable: string, signing: PayoutSigned['data'], allocations: PayoutPlanned['data']['allocations'] | undefined): Promise<void> {
  let lines = allocations?.map((a) => ({ launcherId: a.launcherId, puzzleHash: a.puzzleHash, amount: a.amount }));
  if (lines === undefined) {
    const stored = await sql.query<{ launcher_id: string; puzzle_hash: string; amount: string | number | bigint }>(`SELECT launcher_id, puzzle_hash, amount FROM ${linesTable} WHERE payout_id = ?`, [signing.payoutId]);
    lines = stored.map((r) => ({ launcherId: r.launcher_id, puzzleHash: r.puzzle_hash, amount: big(r.amount).toString() }));
  }
  const paying = coinsPaying(lines, signing.transactions.flatMap((t) => t.createdCoins));
  for (const [launcherId, coinId] of paying) await sql.query(`UPDATE ${linesTable} SET coin_id = ? WHERE payout_id = ? AND launcher_id = ?`, [coinId, signing.payoutId, launcherId]);
}

export const payoutsProjection: Projection<PayoutEvent> = {
  name: 'payouts',
  version: 1,
  rebuildWeight: 1.1,
  handles: PAYOUT_EVENT_TYPES,
  tables: PAYOUTS_TABLES,
  async apply(batch, context) {
    const meta = await readMeta(context, 'payouts_meta');
    const events = unseen(batch, meta);
    if (events.length === 0) return;
    const { sql } = context;
    const payoutsTable = context.table('payouts');
    const linesTable = context.table('payout_lines');
    const rows = await loadRows(sql, payoutsTable, PAYOUT, 'payout_id', events.map((e) => e.data.payoutId));
    const newLines: Row[] = [];
    /** Allocations of the plans in this batch, for a PayoutSigned that follows its plan in the same batch. */
    const planned = new Map<string, PayoutPlanned['data']['allocations']>();
    const signings: PayoutSigned['data'][] = [];
    const partPaid: PayoutResolved['data'][] = [];
    let clock = meta.ledgerTime;
    for (const event of events) {
      const time = ledgerTimeOf(event) ?? clock;
      clock = Math.max(clock, time);
      if (event.type === 'PayoutSigned') {
        signings.push(event.data);
        continue;
      }
      if (event.type === 'PayoutFeeBumped') {
        // The new versions are the ones pushed: their coins are the ones expected to pay each line.
        signings.push({ payoutId: event.data.payoutId, transactions: event.data.transactions, signedAt: event.data.bumpedAt });
        continue;
      }
      if (event.type === 'PayoutPlanned') {
        const plan = upcastPayoutPlanned(event.data);
        if (rows.has(plan.payoutId)) continue;
        planned.set(plan.payoutId, plan.allocations);
        const lines = linesOf(plan);
        newLines.push(...lines);
        rows.set(plan.payoutId, {
          payout_id: plan.payoutId,
          sequence: plan.sequence,
          status: 'planned',
          ledger_position: plan.ledgerPosition,
          scheme: plan.scheme.name,
          fee_basis_points: plan.scheme.feeBasisPoints,
          reward_total: BigInt(plan.rewardTotal),
          pool_fee: BigInt(plan.poolFee.amount),
          blockchain_fee: BigInt(plan.blockchainFee),
          allocated_total: plan.allocations.reduce((sum, a) => sum + BigInt(a.amount), 0n),
          recipients: lines.length,
          carried_total: plan.carried.reduce((sum, c) => sum + BigInt(c.amount), 0n),
          reward_coin_ids: JSON.stringify(plan.rewardCoinIds),
          transaction_ids: null,
          attempts: 0,
          failure_reason: null,
          will_retry: null,
          planned_at: time,
          sent_at: null,
          confirmed_height: null,
          confirmed_at: null,
          failed_at: null,
        });
        continue;
      }
      const row = rows.get(event.data.payoutId);
      // A saga event without its plan cannot be shown meaningfully; the plan always comes first in the ledger.
      if (!row) continue;
      switch (event.type) {
        case 'PayoutSent':
          Object.assign(row, { status: 'sent', transaction_ids: JSON.stringify(event.data.transactionIds), sent_at: time, attempts: int(row.attempts) + 1 });
          break;
        case 'PayoutConfirmed':
          Object.assign(row, { status: 'confirmed', confirmed_height: event.data.confirmedHeight, confirmed_at: time });
          break;
        case 'PayoutFailed':
          Object.assign(row, {
            status: 'failed',
            failure_reason: event.data.reason,
            will_retry: event.data.willRetry ? 1 : 0,
            attempts: Math.max(int(row.attempts), event.data.attempt),
            failed_at: time,
          });
          break;
        case 'PayoutResolved':
          // An operator's abandonment shows as the failure it is; paid in part names its lines' outcome below.
          Object.assign(row, {
            status: event.data.decision === 'abandon' ? 'failed' : 'part-paid',
            failure_reason: `resolved by operator (${event.data.decision}): ${event.data.reason}`,
            will_retry: 0,
            failed_at: time,
          });
          if (event.data.decision === 'paid-in-part') partPaid.push(event.data);
          break;
      }
    }
    await upsertRows(sql, payoutsTable, PAYOUT, ['payout_id'], [...rows.values()], { kind: 'replace' });
    await upsertRows(sql, linesTable, LINE, ['payout_id', 'launcher_id'], newLines, { kind: 'replace' });
    for (const signing of signings) await setPayingCoins(sql, linesTable, signing, planned.get(signing.payoutId));
    // Lines carry their payout's status so a farmer's payout history needs no join.
    for (const row of rows.values()) {
      await sql.query(`UPDATE ${linesTable} SET status = ? WHERE payout_id = ? AND status <> ?`, [row.status, row.payout_id, row.status]);
    }
    // A payout paid in part: each line is paid (confirmed) or not (failed), as the operator recorded.
    for (const resolved of partPaid) {
      await sql.query(`UPDATE ${linesTable} SET status = ? WHERE payout_id = ?`, ['failed', resolved.payoutId]);
      for (const launcherId of resolved.settled.launcherIds) {
        await sql.query(`UPDATE ${linesTable} SET status = ? WHERE payout_id = ? AND launcher_id = ?`, ['confirmed', resolved.payoutId, launcherId]);
      }
    }
    await writeMeta(context, 'payouts_meta', { ...meta, position: events[events.length - 1]!.position, ledgerTime: clock });
  },
};
