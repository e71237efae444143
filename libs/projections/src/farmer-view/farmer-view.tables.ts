import type { Columns, TableSpec } from '@pool/read-models';
import { metaTable } from '@pool/read-models';

/**
 * The payout window's tables, written by the farmer_view projection through points-window.ts:
 *   points_window       (launcher_id, window_sequence) PK, confirmed_points, reverted_points (unpaid reverts),
 *                       net_points, partials_confirmed, partials_reverted
 *   farmer_balances     launcher_id PK, confirmed_points (net, all time), window_points (unpaid confirmed points:
 *                       the PROP basis of the next plan), reverted_after_payout, last_payout_sequence,
 *                       last_paid_points, carried_mojos, paid_mojos (confirmed payouts), payouts_planned
 *   window_partials     proof_hash PK, launcher_id, points, position, window_sequence: confirms not yet paid
 *   window_allocations  (payout_id, launcher_id) PK, sequence, amount, status ('planned' | 'sent' |
 *                       'confirmed' | 'abandoned')
 *   window_returns      (position, launcher_id) PK, amount: allocations abandoned payouts returned since the last
 *                       plan's position (the fold's `returns`: a plan computed before them adds them back)
 */
export const POINTS_WINDOW_TABLES: readonly TableSpec[] = [
  {
    name: 'points_window',
    columns: `launcher_id varchar(64) NOT NULL, window_sequence integer NOT NULL,
      confirmed_points bigint NOT NULL, reverted_points bigint NOT NULL, net_points bigint NOT NULL,
      partials_confirmed integer NOT NULL, partials_reverted integer NOT NULL`,
    primaryKey: ['launcher_id', 'window_sequence'],
  },
  {
    name: 'farmer_balances',
    columns: `launcher_id varchar(64) NOT NULL, confirmed_points bigint NOT NULL, window_points bigint NOT NULL,
      reverted_after_payout bigint NOT NULL, last_payout_sequence integer, last_paid_points bigint NOT NULL,
      carried_mojos bigint NOT NULL, paid_mojos bigint NOT NULL, payouts_planned integer NOT NULL`,
    primaryKey: ['launcher_id'],
  },
  {
    name: 'window_partials',
    columns: `proof_hash varchar(64) NOT NULL, launcher_id varchar(64) NOT NULL, points bigint NOT NULL,
      position varchar(64) NOT NULL, window_sequence integer NOT NULL`,
    primaryKey: ['proof_hash'],
    // Store positions are fixed-width digit strings (PostgreSQL adapter: two of them joined by ':'), so SQL
    // string order is store order under any collation that sorts digits in their natural order.
    foldIndexes: [['position']],
  },
  {
    name: 'window_allocations',
    columns: `payout_id varchar(64) NOT NULL, launcher_id varchar(64) NOT NULL, sequence integer NOT NULL,
      amount bigint NOT NULL, status varchar(10) NOT NULL`,
    primaryKey: ['payout_id', 'launcher_id'],
  },
  {
    name: 'window_returns',
    columns: `position varchar(64) NOT NULL, launcher_id varchar(64) NOT NULL, amount bigint NOT NULL`,
    primaryKey: ['position', 'launcher_id'],
  },
];


/** Meta columns the window fold keeps in its projection's meta row. */
export const WINDOW_META: Columns = { open_window: 'int', prop_cutoff: 'text' };
export const WINDOW_META_COLUMNS = 'open_window integer, prop_cutoff varchar(64)';

export const WINDOW: Columns = {
  launcher_id: 'text',
  window_sequence: 'int',
  confirmed_points: 'big',
  reverted_points: 'big',
  net_points: 'big',
  partials_confirmed: 'int',
  partials_reverted: 'int',
};

export const BALANCE: Columns = {
  launcher_id: 'text',
  confirmed_points: 'big',
  window_points: 'big',
  reverted_after_payout: 'big',
  last_payout_sequence: 'int',
  last_paid_points: 'big',
  carried_mojos: 'big',
  paid_mojos: 'big',
  payouts_planned: 'int',
};

export const PARTIAL: Columns = { proof_hash: 'text', launcher_id: 'text', points: 'big', position: 'text', window_sequence: 'int' };
export const ALLOCATION: Columns = { payout_id: 'text', launcher_id: 'text', sequence: 'int', amount: 'big', status: 'text' };
export const RETURN: Columns = { position: 'text', launcher_id: 'text', amount: 'big' };

/**
 * farmer_view: one row per farmer, what the farmer page and the farmers list read.
 *
 * Tables (read through the view with the plain name):
 *   farmer_view    launcher_id PK, difficulty, membership ('member' | 'left'), left_at, left_reason,
 *                  payout_instructions, payout_puzzle_hash, protocol_version, registered_at, updated_at,
 *                  pending_points, confirmed_points, reverted_points, window_points, last_payout_sequence,
 *                  last_partial_at, partials_24h_submitted, partials_24h_confirmed, partials_24h_reverted,
 *                  points_24h, estimated_space, display_name (FarmerDisplayNameSet; null: none), minimum_payout (the
 *                  farmer's own, FarmerMinimumPayoutSet; null: the pool's)
 *   farmer_hourly  (launcher_id, hour) PK, submitted, confirmed, reverted, points, confirmed_points,
 *                  reverted_points: per farmer per ledger hour, kept for the retention window (charts, 24 h)
 *   farmer_view_meta  id PK (always 1), position, ledger_time, open_window, prop_cutoff: redelivery guard,
 *                  the ledger clock and the window fold's state
 *   plus points_window, farmer_balances, window_partials, window_allocations, window_returns (points-window.ts):
 *   the domain's payout window fold keeps farmer_view.window_points and farmer_balances.window_points equal.
 *
 * window_points: confirmed points not yet paid by a PayoutPlanned (the payout window's PROP basis).
 * pending_points, confirmed_points, reverted_points, last_partial_at: the domain's foldFarmerPoints, added per batch.
 * partials_24h_* and points_24h: events in the 24 ledger hours ending with the hour of the newest event time
 * seen (submissions by received time, confirms and reverts by their own times); points_24h counts submitted
 * points. estimated_space: from points_24h over the time the farmer has farmed of those 24 hours: since its
 * registration when that is under a day (at least ten minutes), else the day (libs/domain views/space-estimate.ts).
 */
export const FARMER_VIEW_TABLES: readonly TableSpec[] = [
  {
    name: 'farmer_view',
    columns: `launcher_id varchar(64) NOT NULL,
      difficulty bigint,
      membership varchar(8) NOT NULL,
      left_at bigint, left_reason varchar(32),
      payout_instructions varchar(128), payout_puzzle_hash varchar(64), protocol_version integer,
      registered_at bigint, updated_at bigint,
      pending_points bigint NOT NULL, confirmed_points bigint NOT NULL, reverted_points bigint NOT NULL,
      window_points bigint NOT NULL, last_payout_sequence integer,
      last_partial_at bigint,
      partials_24h_submitted integer NOT NULL, partials_24h_confirmed integer NOT NULL, partials_24h_reverted integer NOT NULL,
      points_24h bigint NOT NULL, estimated_space bigint NOT NULL,
      display_name varchar(128), minimum_payout bigint`,
    primaryKey: ['launcher_id'],
    // Farmers registered within the last day are recomputed with every batch.
    foldIndexes: [['registered_at']],
  },
  {
    name: 'farmer_hourly',
    columns: `launcher_id varchar(64) NOT NULL, hour bigint NOT NULL,
      submitted integer NOT NULL, confirmed integer NOT NULL, reverted integer NOT NULL,
      points bigint NOT NULL, confirmed_points bigint NOT NULL, reverted_points bigint NOT NULL`,
    primaryKey: ['launcher_id', 'hour'],
  },
  ...POINTS_WINDOW_TABLES,
  metaTable('farmer_view_meta', WINDOW_META_COLUMNS),
];

export const FARMER: Columns = {
  launcher_id: 'text',
  difficulty: 'big',
  membership: 'text',
  left_at: 'int',
  left_reason: 'text',
  payout_instructions: 'text',
  payout_puzzle_hash: 'text',
  protocol_version: 'int',
  registered_at: 'int',
  updated_at: 'int',
  pending_points: 'big',
  confirmed_points: 'big',
  reverted_points: 'big',
  window_points: 'big',
  last_payout_sequence: 'int',
  last_partial_at: 'int',
  partials_24h_submitted: 'int',
  partials_24h_confirmed: 'int',
  partials_24h_reverted: 'int',
  points_24h: 'big',
  estimated_space: 'big',
  display_name: 'text',
  minimum_payout: 'big',
};

export const HOURLY: Columns = {
  launcher_id: 'text',
  hour: 'int',
  submitted: 'int',
  confirmed: 'int',
  reverted: 'int',
  points: 'big',
  confirmed_points: 'big',
  reverted_points: 'big',
};
