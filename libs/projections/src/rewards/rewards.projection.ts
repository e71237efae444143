import { ledgerTimeOf, REWARD_EVENT_TYPES, type RewardEvent } from '@pool/domain';
import type { Projection, TableSpec } from '@pool/read-models';
import { loadRows, metaTable, readMeta, unseen, upsertRows, writeMeta, type Columns, type Row } from '@pool/read-models';

/**
 * rewards: one row per pool reward coin.
 *
 * Tables:
 *   rewards       coin_id PK, launcher_id, puzzle_hash, amount (mojos), status ('detected' | 'absorbed' | 'reverted'),
 *                 farmed_height, confirmed_height, absorbed_height, absorb_transaction_id, pool_coin_id,
 *                 absorb_fee (mojos), fork_height, detected_at, absorbed_at, reverted_at. Index (launcher_id), (farmed_height).
 *   rewards_meta  id PK (always 1), position, ledger_time
 */
export const REWARDS_TABLES: readonly TableSpec[] = [
  {
    name: 'rewards',
    columns: `coin_id varchar(64) NOT NULL, launcher_id varchar(64) NOT NULL, puzzle_hash varchar(64),
      amount bigint NOT NULL, status varchar(10) NOT NULL,
      farmed_height bigint, confirmed_height bigint, absorbed_height bigint,
      absorb_transaction_id varchar(64), pool_coin_id varchar(64), absorb_fee bigint, fork_height bigint,
      detected_at bigint, absorbed_at bigint, reverted_at bigint`,
    primaryKey: ['coin_id'],
    indexes: [['launcher_id'], ['farmed_height']],
  },
  metaTable('rewards_meta'),
];

const REWARD: Columns = {
  coin_id: 'text',
  launcher_id: 'text',
  puzzle_hash: 'text',
  amount: 'big',
  status: 'text',
  farmed_height: 'int',
  confirmed_height: 'int',
  absorbed_height: 'int',
  absorb_transaction_id: 'text',
  pool_coin_id: 'text',
  absorb_fee: 'big',
  fork_height: 'int',
  detected_at: 'int',
  absorbed_at: 'int',
  reverted_at: 'int',
};

export const rewardsProjection: Projection<RewardEvent> = {
  name: 'rewards',
  version: 1,
  rebuildWeight: 0.1,
  handles: REWARD_EVENT_TYPES,
  tables: REWARDS_TABLES,
  async apply(batch, context) {
    const meta = await readMeta(context, 'rewards_meta');
    const events = unseen(batch, meta);
    if (events.length === 0) return;
    const table = context.table('rewards');
    const rows = await loadRows(context.sql, table, REWARD, 'coin_id', events.map((e) => e.data.coinId));
    let clock = meta.ledgerTime;
    for (const event of events) {
      const time = ledgerTimeOf(event) ?? clock;
      clock = Math.max(clock, time);
      const { coinId } = event.data;
      const row: Row = rows.get(coinId) ?? {
        coin_id: coinId,
        launcher_id: event.data.launcherId,
        puzzle_hash: null,
        amount: BigInt(event.data.amount),
        status: 'detected',
        farmed_height: null,
        confirmed_height: null,
        absorbed_height: null,
        absorb_transaction_id: null,
        pool_coin_id: null,
        absorb_fee: null,
        fork_height: null,
        detected_at: null,
        absorbed_at: null,
        reverted_at: null,
      };
      rows.set(coinId, row);
      switch (event.type) {
        case 'RewardDetected':
          // A coin the chain brings back after a reorg is detected afresh: the earlier absorb and revert no longer hold.
          Object.assign(row, {
            launcher_id: event.data.launcherId,
            puzzle_hash: event.data.puzzleHash,
            amount: BigInt(event.data.amount),
            status: 'detected',
            farmed_height: event.data.farmedHeight,
            confirmed_height: event.data.confirmedHeight,
            absorbed_height: null,
            absorb_transaction_id: null,
            pool_coin_id: null,
            absorb_fee: null,
            fork_height: null,
            detected_at: time,
            absorbed_at: null,
            reverted_at: null,
          });
          break;
        case 'RewardAbsorbed':
          Object.assign(row, {
            status: 'absorbed',
            absorbed_height: event.data.absorbedHeight,
            absorb_transaction_id: event.data.absorbTransactionId,
            pool_coin_id: event.data.poolCoinId,
            absorb_fee: BigInt(event.data.fee),
            absorbed_at: time,
          });
          break;
        case 'RewardReverted':
          Object.assign(row, { status: 'reverted', fork_height: event.data.forkHeight, reverted_at: time });
          break;
      }
    }
    await upsertRows(context.sql, table, REWARD, ['coin_id'], [...rows.values()], { kind: 'replace' });
    await writeMeta(context, 'rewards_meta', { ...meta, position: events[events.length - 1]!.position, ledgerTime: clock });
  },
};
