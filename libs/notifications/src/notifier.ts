import { type NotificationSettings } from '@pool/config';
import { LedgerFollower, type EventStore, type GlobalPosition, type RecordedEvent } from '@pool/event-sourcing';
import { type ReadModelDatabase, type SqlExecutor } from '@pool/read-models';
import { factsOf, NOTIFIER_EVENTS, type ActivityChange, type LedgerFacts, type NotifierEvent } from './ledger-facts';
import { render, type Notification } from './notification';
import { NotificationOutbox, type OutboxRow } from './notification-outbox';
import { ensureNotificationTables, returned } from './notification-tables';
import { type NotificationTargets } from './notification-targets';
import { type Transports } from './transports/transports';

export interface NotifierOptions {
  store: EventStore;
  db: ReadModelDatabase;
  targets: NotificationTargets;
  transports: Pick<Transports, 'send'>;
  settings: Omit<NotificationSettings, 'smtp' | 'telegramApiUrl' | 'enabled'>;
  poolName: string;
  /** Unix seconds (the pool clock). */
  now(): number;
  log?(line: string): void;
  /** Events per page read from the ledger (one transaction each). */
  pageSize?: number;
  /** Deliveries tried per round. */
  batchSize?: number;
}

export interface NotifierRound {
  queued: number;
  sent: number;
  failed: number;
}

const CHECKPOINT = 'notifier';
/** How long a claimed delivery is left to the notifier that claimed it (well above a delivery's 10 s timeout). */
const CLAIM_SECONDS = 60;
/** Sent deliveries are kept this long beyond the max age, so a re-read ledger cannot queue them again. */
const KEEP_SENT_SECONDS = 7 * 86_400;

/**
 * Tells farmers what the ledger says about them. Each round: read the ledger from the checkpoint and queue the
 * notifications of each page in the transaction that moves the checkpoint (never lost, never queued twice); queue
 * "farmer offline" for farmers silent too long; then deliver what is due, retrying failures with exponential backoff
 * and pausing a target that keeps failing. Everything lives in the read-model database, so a restarted notifier, or
 * the next holder of the pool-loops lease, goes on where the last one stopped.
 */
export class Notifier {
  private readonly outbox: NotificationOutbox;
  private ready?: Promise<void>;

  constructor(private readonly options: NotifierOptions) {
    this.outbox = new NotificationOutbox(options.db);
  }

  async round(): Promise<NotifierRound> {
    this.ready ??= ensureNotificationTables(this.options.db).catch((error: unknown) => {
      this.ready = undefined;
      throw error;
    });
    await this.ready;
    const queued = (await this.readLedger()) + (await this.checkOffline());
    const { sent, failed } = await this.deliver();
    await this.outbox.prune(this.now() - this.options.settings.maxAgeSeconds - KEEP_SENT_SECONDS);
    return { queued, sent, failed };
  }

  private now(): number {
    return Math.floor(this.options.now());
  }

  /** Reads everything recorded since the checkpoint, a page per transaction; returns how many deliveries it queued. */
  async readLedger(): Promise<number> {
    const { db, store } = this.options;
    const [checkpoint] = await db.executor().query<{ position: string }>('SELECT position FROM notifier_checkpoints WHERE name = ?', [CHECKPOINT]);
    const follower = new LedgerFollower(store, { ...NOTIFIER_EVENTS, pageSize: this.options.pageSize ?? 1000, ...(checkpoint ? { after: checkpoint.position as GlobalPosition } : {}) });
    let queued = 0;
    for await (const page of follower.pages()) {
      // Payout streams are read before the transaction: it then only writes.
      const facts: LedgerFacts[] = [];
      for (const recorded of page) {
        const event = NOTIFIER_EVENTS.decode(recorded);
        if (event !== undefined) facts.push(await factsOf(event as NotifierEvent, recorded as RecordedEvent, store));
      }
      const last = page[page.length - 1]!.position;
      queued += await db.transaction(async (sql) => {
        let n = 0;
        const now = this.now();
        for (const notification of facts.flatMap((f) => f.notifications)) {
          // A fact this old is history (a notifier starting on an old ledger), not news.
          if (now - notification.occurredAt > this.options.settings.maxAgeSeconds) continue;
          n += await this.outbox.enqueue(sql, notification, now);
        }
        await recordActivity(sql, facts.flatMap((f) => f.activity));
        await sql.query('INSERT INTO notifier_checkpoints (name, position) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET position = excluded.position', [CHECKPOINT, last]);
        return n;
      });
    }
    return queued;
  }

  /** Queues "farmer offline" once per silence for farmers whose last partial is older than the configured time. */
  async checkOffline(): Promise<number> {
    const now = this.now();
    const { offlineAfterSeconds, maxAgeSeconds } = this.options.settings;
    const silent = await this.options.db
      .executor()
      .query<{ launcher_id: string; last_partial_at: string | number }>(
        'SELECT launcher_id, last_partial_at FROM notifier_farmers WHERE left_pool = 0 AND last_partial_at <= ? AND (offline_notified_for IS NULL OR offline_notified_for <> last_partial_at)',
        [now - offlineAfterSeconds],
      );
    let queued = 0;
    for (const farmer of silent) {
      const lastPartialAt = Number(farmer.last_partial_at);
      const notification: Notification = {
        key: `farmer-offline:${farmer.launcher_id}:${lastPartialAt}`,
        launcherId: farmer.launcher_id,
        kind: 'farmer-offline',
        occurredAt: lastPartialAt + offlineAfterSeconds,
        data: { lastPartialAt, silentSeconds: now - lastPartialAt },
      };
      queued += await this.options.db.transaction(async (sql) => {
        // Guarded by the partial time: a partial read meanwhile ends this silence instead.
        const marked = returned(await sql.query('UPDATE notifier_farmers SET offline_notified_for = ? WHERE launcher_id = ? AND last_partial_at = ? RETURNING launcher_id', [
          lastPartialAt,
          farmer.launcher_id,
          lastPartialAt,
        ]));
        if (marked.length === 0 || now - notification.occurredAt > maxAgeSeconds) return 0;
        return this.outbox.enqueue(sql, notification, now);
      });
    }
    return queued;
  }

  /** Sends what is due; a target that fails is not tried again in the same round. */
  async deliver(): Promise<{ sent: number; failed: number }> {
    const now = this.now();
    const due = await this.outbox.due(now, this.options.batchSize ?? 100);
    const failedTargets = new Set<string>();
    let sent = 0;
    let failed = 0;
    for (const row of due) {
      if (failedTargets.has(row.targetId)) continue;
      if (!(await this.outbox.claim(row, now, CLAIM_SECONDS))) continue;
      const outcome = await this.deliverOne(row, now);
      if (outcome === 'sent') sent++;
      else if (outcome === 'failed') {
        failed++;
        failedTargets.add(row.targetId);
      }
    }
    return { sent, failed };
  }

  private async deliverOne(row: OutboxRow, now: number): Promise<'sent' | 'failed' | 'skipped'> {
    const target = await this.options.targets.get(row.targetId);
    if (target === null || target.pausedAt !== null) return 'skipped'; // removed or paused since: it waits (or is gone)
    const { title, text } = render(row.notification, this.options.poolName);
    try {
      await this.options.transports.send({ notification: row.notification, target, title, text });
    } catch (error) {
      const message = (error as Error).message;
      const { retryBaseSeconds, retryMaxSeconds, pauseAfterFailures } = this.options.settings;
      const delay = Math.min(retryBaseSeconds * 2 ** Math.min(row.attempts, 30), retryMaxSeconds);
      await this.outbox.markFailed(row, message, now + delay);
      const paused = await this.options.targets.recordFailure(target.id, message, now, pauseAfterFailures);
      this.options.log?.(`notification ${row.key} to ${target.kind} target ${target.id} failed (attempt ${row.attempts + 1}, ${paused ? 'target paused' : `retry in ${delay} s`}): ${message}`);
      return 'failed';
    }
    await this.outbox.markSent(row, now);
    await this.options.targets.recordSuccess(target.id);
    return 'sent';
  }
}

/** Last partial time per farmer (the newest of the page, once), and whether it left the pool. */
async function recordActivity(sql: SqlExecutor, changes: readonly ActivityChange[]): Promise<void> {
  const lastPartial = new Map<string, number>();
  for (const change of changes) {
    if ('partialAt' in change) lastPartial.set(change.launcherId, Math.max(lastPartial.get(change.launcherId) ?? 0, Math.floor(change.partialAt)));
  }
  for (const [launcherId, at] of lastPartial) {
    await sql.query(
      `INSERT INTO notifier_farmers (launcher_id, last_partial_at, left_pool, offline_notified_for) VALUES (?, ?, 0, NULL)
       ON CONFLICT (launcher_id) DO UPDATE SET last_partial_at = CASE WHEN excluded.last_partial_at > notifier_farmers.last_partial_at THEN excluded.last_partial_at ELSE notifier_farmers.last_partial_at END`,
      [launcherId, at],
    );
  }
  for (const change of changes) {
    if (!('left' in change)) continue;
    // A farmer with no partial yet gets its row with a partial time of 0: never "offline" while it has none.
    await sql.query(
      `INSERT INTO notifier_farmers (launcher_id, last_partial_at, left_pool, offline_notified_for) VALUES (?, 0, ?, 0)
       ON CONFLICT (launcher_id) DO UPDATE SET left_pool = excluded.left_pool`,
      [change.launcherId, change.left ? 1 : 0],
    );
  }
}
