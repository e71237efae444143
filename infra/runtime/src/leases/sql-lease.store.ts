import { type ReadModelDatabase } from '@pool/read-models';

export interface LeaseGrant {
  /** Whether `holder` holds the lease now. */
  held: boolean;
  /** Who holds it (this holder, or the one that kept it). */
  holder: string | null;
  /** Bumped each time the lease changes hands: a fencing token for whoever wants one. */
  epoch: number;
}

export interface LeaseStore {
  /** Takes the lease if it is free or expired, or renews it if `holder` has it; one atomic compare-and-set. */
  acquire(name: string, holder: string, ttlMs: number): Promise<LeaseGrant>;
  /** Gives the lease up at once (a clean shutdown), if `holder` still has it. */
  release(name: string, holder: string): Promise<void>;
}

export interface SqlLeaseStoreOptions {
  /**
   * Milliseconds since the epoch. Default: the database's own clock, so api instances on hosts whose clocks
   * disagree still agree on when a lease expires. Tests inject a manual clock.
   */
  clock?: () => number;
}

/**
 * The pool-loops lease as one row in the read-models database (SQLite or PostgreSQL), taken and renewed by a
 * single upsert whose WHERE is the compare-and-set: free, expired, or already ours.
 *
 * Why here and not in the event store: a lease is renewed every few seconds for as long as the pool runs,
 * and the ledger keeps every event forever; renewals are not facts about points or money. The read-models
 * database is already shared by every api instance and the projector, and both dialects do this upsert
 * atomically (PostgreSQL row lock with READ COMMITTED re-check, SQLite's single writer).
 */
export class SqlLeaseStore implements LeaseStore {
  private ready?: Promise<void>;

  constructor(
    private readonly db: ReadModelDatabase,
    private readonly options: SqlLeaseStoreOptions = {},
  ) {}

  async acquire(name: string, holder: string, ttlMs: number): Promise<LeaseGrant> {
    if (!Number.isInteger(ttlMs) || ttlMs <= 0) throw new RangeError(`lease ttl must be a positive integer of ms, got ${ttlMs}`);
    await this.ensureTable();
    const [now, params] = this.now();
    const rows = await this.db.executor().query<{ holder: string; epoch: string | number }>(
      `INSERT INTO pool_leases (name, holder, expires_at, epoch) VALUES (?, ?, ${now} + ?, 1)
       ON CONFLICT (name) DO UPDATE SET
         holder = excluded.holder,
         expires_at = excluded.expires_at,
         epoch = pool_leases.epoch + CASE WHEN pool_leases.holder = excluded.holder THEN 0 ELSE 1 END
       WHERE pool_leases.holder = excluded.holder OR pool_leases.expires_at <= ${now}
       RETURNING holder, epoch`,
      [name, holder, ...params, ttlMs, ...params],
    );
    if (rows.length === 1 && rows[0]!.holder === holder) return { held: true, holder, epoch: Number(rows[0]!.epoch) };
    const [current] = await this.db.executor().query<{ holder: string; epoch: string | number }>('SELECT holder, epoch FROM pool_leases WHERE name = ?', [name]);
    return { held: false, holder: current?.holder ?? null, epoch: Number(current?.epoch ?? 0) };
  }

  async release(name: string, holder: string): Promise<void> {
    await this.ensureTable();
    await this.db.executor().query('UPDATE pool_leases SET expires_at = 0 WHERE name = ? AND holder = ?', [name, holder]);
  }

  /** The SQL for "now in ms" and the parameters it needs. */
  private now(): [string, unknown[]] {
    if (this.options.clock) return ['CAST(? AS bigint)', [Math.floor(this.options.clock())]];
    return this.db.dialect === 'postgres'
      ? ['CAST(extract(epoch from clock_timestamp()) * 1000 AS bigint)', []]
      : ["CAST((julianday('now') - 2440587.5) * 86400000 AS integer)", []];
  }

  private ensureTable(): Promise<void> {
    this.ready ??= this.createTable().catch((error: unknown) => {
      this.ready = undefined;
      throw error;
    });
    return this.ready;
  }

  private async createTable(): Promise<void> {
    const ddl = `CREATE TABLE IF NOT EXISTS pool_leases (
      name varchar(100) NOT NULL PRIMARY KEY,
      holder varchar(200) NOT NULL,
      expires_at bigint NOT NULL,
      epoch bigint NOT NULL
    )`;
    await this.db.createTablesIfMissing([ddl]);
  }
}
