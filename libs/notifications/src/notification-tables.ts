import { type ReadModelDatabase } from '@pool/read-models';

/**
 * The notifier's private tables in the read-model database. None is a projection: they hold personal data (where
 * to reach a farmer) and delivery state that the ledger cannot give back, so a projections rebuild never drops
 * them; each is created here if missing, on SQLite and PostgreSQL alike.
 *
 * - notification_targets: where each farmer wants to be told (notification-targets.ts).
 * - notification_outbox: one row per notification and target, written in the same transaction as the checkpoint
 *   that read its fact, so a fact is never lost and never queued twice; `sent_at` set once the receiver took it.
 * - notifier_checkpoints: how far the notifier has read the ledger.
 * - notifier_farmers: when each farmer's last partial arrived, for "farmer offline".
 */
const tables = (dialect: 'sqlite' | 'postgres'): string[] => {
  // Deliveries go out in the order they were queued (the ledger's order): a counter, in each dialect's spelling.
  const SEQUENCE = dialect === 'postgres' ? 'bigserial PRIMARY KEY' : 'integer PRIMARY KEY AUTOINCREMENT';
  return [
  `CREATE TABLE IF NOT EXISTS notification_targets (
    id varchar(36) NOT NULL PRIMARY KEY,
    launcher_id varchar(64) NOT NULL,
    kind varchar(16) NOT NULL,
    address varchar(600) NOT NULL,
    events varchar(400) NOT NULL,
    secret varchar(64),
    created_at bigint NOT NULL,
    paused_at bigint,
    failures integer NOT NULL,
    last_error varchar(600)
  )`,
  'CREATE INDEX IF NOT EXISTS notification_targets_launcher ON notification_targets (launcher_id)',
  `CREATE TABLE IF NOT EXISTS notification_outbox (
    seq ${SEQUENCE},
    dedup_key varchar(200) NOT NULL,
    target_id varchar(36) NOT NULL,
    launcher_id varchar(64) NOT NULL,
    kind varchar(32) NOT NULL,
    payload text NOT NULL,
    created_at bigint NOT NULL,
    attempts integer NOT NULL,
    next_attempt_at bigint NOT NULL,
    claimed_until bigint,
    sent_at bigint,
    last_error varchar(600),
    UNIQUE (dedup_key, target_id)
  )`,
  'CREATE INDEX IF NOT EXISTS notification_outbox_due ON notification_outbox (sent_at, next_attempt_at)',
  `CREATE TABLE IF NOT EXISTS notifier_checkpoints (
    name varchar(100) NOT NULL PRIMARY KEY,
    position varchar(64) NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS notifier_farmers (
    launcher_id varchar(64) NOT NULL PRIMARY KEY,
    last_partial_at bigint NOT NULL,
    left_pool integer NOT NULL,
    offline_notified_for bigint
  )`,
  ];
};

export async function ensureNotificationTables(db: ReadModelDatabase): Promise<void> {
  await db.createTablesIfMissing(tables(db.dialect));
}

/**
 * The rows an UPDATE or DELETE ... RETURNING gave back: TypeORM's PostgreSQL driver answers those with
 * `[rows, affectedCount]`, SQLite with the rows alone.
 */
export function returned<T>(result: unknown): T[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return result as T[];
}
