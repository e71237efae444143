import { type ReadModelDatabase, type SqlExecutor } from '@pool/read-models';
import { type Notification } from './notification';
import { returned } from './notification-tables';
import { type NotificationKind } from './notification-targets';

/** A queued delivery of one notification to one target. */
export interface OutboxRow {
  key: string;
  targetId: string;
  notification: Notification;
  attempts: number;
}

interface Row {
  dedup_key: string;
  target_id: string;
  payload: string;
  attempts: string | number;
}

/**
 * The notification_outbox table (notification-tables.ts). Rows are inserted in the transaction that moves the
 * notifier's checkpoint past their fact; a row is claimed for a short while before it is sent, so a second notifier
 * (the lease moved while the first was stalled) does not send it at the same moment; `sent_at` is set after the
 * receiver took it. A crash between the two sends it again later, with the same key.
 */
export class NotificationOutbox {
  constructor(private readonly db: ReadModelDatabase) {}

  /** Queues `notification` for each of the farmer's targets that wants it (every target, for an address change). */
  async enqueue(sql: SqlExecutor, notification: Notification, now: number): Promise<number> {
    const targets = await sql.query<{ id: string; events: string }>('SELECT id, events FROM notification_targets WHERE launcher_id = ?', [notification.launcherId]);
    let queued = 0;
    for (const target of targets) {
      const events = JSON.parse(target.events) as NotificationKind[];
      if (notification.kind !== 'payout-address-changed' && !events.includes(notification.kind)) continue;
      const rows = await sql.query(
        `INSERT INTO notification_outbox (dedup_key, target_id, launcher_id, kind, payload, created_at, attempts, next_attempt_at, claimed_until, sent_at, last_error)
         VALUES (?, ?, ?, ?, ?, ?, 0, ?, NULL, NULL, NULL) ON CONFLICT (dedup_key, target_id) DO NOTHING RETURNING dedup_key`,
        [notification.key, target.id, notification.launcherId, notification.kind, JSON.stringify(notification), now, now],
      );
      queued += rows.length;
    }
    return queued;
  }

  /** Deliveries due now to targets that are not paused, oldest first. */
  async due(now: number, limit: number): Promise<OutboxRow[]> {
    const rows = await this.db.executor().query<Row>(
      `SELECT o.dedup_key, o.target_id, o.payload, o.attempts FROM notification_outbox o
       JOIN notification_targets t ON t.id = o.target_id
       WHERE o.sent_at IS NULL AND o.next_attempt_at <= ? AND (o.claimed_until IS NULL OR o.claimed_until <= ?) AND t.paused_at IS NULL
       ORDER BY o.seq LIMIT ?`,
      [now, now, limit],
    );
    return rows.map((row) => ({ key: row.dedup_key, targetId: row.target_id, notification: JSON.parse(row.payload) as Notification, attempts: Number(row.attempts) }));
  }

  /** Takes the row for `seconds` unless another notifier took it (or it was sent) meanwhile. */
  async claim(row: OutboxRow, now: number, seconds: number): Promise<boolean> {
    const claimed = returned(await this.db.executor().query(
      `UPDATE notification_outbox SET claimed_until = ? WHERE dedup_key = ? AND target_id = ? AND sent_at IS NULL AND (claimed_until IS NULL OR claimed_until <= ?) RETURNING dedup_key`,
      [now + seconds, row.key, row.targetId, now],
    ));
    return claimed.length === 1;
  }

  async markSent(row: OutboxRow, now: number): Promise<void> {
    await this.db.executor().query('UPDATE notification_outbox SET sent_at = ?, attempts = attempts + 1, claimed_until = NULL, last_error = NULL WHERE dedup_key = ? AND target_id = ?', [
      now,
      row.key,
      row.targetId,
    ]);
  }

  async markFailed(row: OutboxRow, error: string, retryAt: number): Promise<void> {
    await this.db
      .executor()
      .query('UPDATE notification_outbox SET attempts = attempts + 1, next_attempt_at = ?, claimed_until = NULL, last_error = ? WHERE dedup_key = ? AND target_id = ?', [
        retryAt,
        error.slice(0, 500),
        row.key,
        row.targetId,
      ]);
  }

  /** Forgets deliveries sent before `before` (they are kept a while so a re-read ledger cannot queue them again). */
  async prune(before: number): Promise<number> {
    return returned(await this.db.executor().query('DELETE FROM notification_outbox WHERE sent_at IS NOT NULL AND sent_at < ? RETURNING dedup_key', [before])).length;
  }

  /** Delivered and waiting counts, for logs and tests. */
  async counts(): Promise<{ sent: number; waiting: number }> {
    const [row] = await this.db.executor().query<{ sent: string | number; waiting: string | number }>(
      'SELECT SUM(CASE WHEN sent_at IS NULL THEN 0 ELSE 1 END) AS sent, SUM(CASE WHEN sent_at IS NULL THEN 1 ELSE 0 END) AS waiting FROM notification_outbox',
    );
    return { sent: Number(row?.sent ?? 0), waiting: Number(row?.waiting ?? 0) };
  }
}
