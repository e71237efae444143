import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DataSource, type DataSourceOptions, type EntityManager } from 'typeorm';
import { ProjectionGeneration } from './projection-generation.entity';
import { IMAGES_SCHEMA } from './closing-images';

export type Dialect = 'sqlite' | 'postgres';

/**
 * The read-model database: SQLite (a file separate from the event store, written only by the projector)
 * or PostgreSQL. Projections write through `SqlExecutor`, which hides the one dialect difference that
 * matters to them: how parameters are written.
 */
export class ReadModelDatabase {
  private source: DataSource;
  /** Set when a reopen after a failed transaction could not open the database: the next transaction tries again first. */
  private reopenPending = false;
  private reopening?: Promise<void>;

  private constructor(
    source: DataSource,
    readonly dialect: Dialect,
    private readonly options: DataSourceOptions,
  ) {
    this.source = source;
  }

  /** The connection (pool) in use now: a failed transaction replaces it, so never keep it beyond one call. */
  get dataSource(): DataSource {
    return this.source;
  }

  /** `sqlite:./data/read-models.db`, `sqlite::memory:` or `postgres://…[?schema=name]`. */
  static async open(url: string): Promise<ReadModelDatabase> {
    let options: DataSourceOptions;
    let dialect: Dialect;
    if (url.startsWith('sqlite:')) {
      const path = url.slice('sqlite:'.length);
      const database = path === ':memory:' ? path : resolve(path);
      if (database !== ':memory:') mkdirSync(dirname(database), { recursive: true });
      dialect = 'sqlite';
      options = {
        type: 'better-sqlite3',
        database,
        entities: [ProjectionGeneration],
        // TypeORM keeps the last 100 prepared statements by default, first in first out. The statement texts vary with
        // how many keys a batch loads and rows it writes: a rebuild prepared its hot upserts again and again.
        statementCacheSize: 1_000,
        prepareDatabase: (db: { pragma(sql: string): unknown }) => {
          db.pragma('journal_mode = WAL');
          db.pragma('synchronous = NORMAL'); // read models are rebuildable from the ledger
          db.pragma('busy_timeout = 10000');
          // The default 2 MiB page cache makes every insert into a rebuilt table with random keys (proof hashes,
          // launcher ids) re-read index pages through the WAL index: rebuilds write hundreds of MiB.
          db.pragma('cache_size = -262144');
          db.pragma('temp_store = MEMORY');
        },
      };
    } else if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
      const parsed = new URL(url);
      const schema = parsed.searchParams.get('schema') ?? undefined;
      parsed.searchParams.delete('schema');
      dialect = 'postgres';
      options = {
        type: 'postgres',
        url: parsed.toString(),
        schema,
        entities: [ProjectionGeneration],
        extra: { max: 4, options: schema ? `-c search_path="${schema}"` : undefined },
      };
      if (schema) await ensurePostgresSchema(parsed.toString(), schema);
    } else {
      throw new Error(`read-model URL ${JSON.stringify(url)} is not sqlite: or postgres://`);
    }
    const dataSource = new DataSource(options);
    await dataSource.initialize();
    const database = new ReadModelDatabase(dataSource, dialect, options);
    await database.ensureSchema();
    return database;
  }

  private async ensureSchema(): Promise<void> {
    await this.createTablesIfMissing([
      `CREATE TABLE IF NOT EXISTS projection_generations (
        name varchar(100) NOT NULL,
        generation integer NOT NULL,
        version integer NOT NULL,
        status varchar(16) NOT NULL,
        position varchar(64),
        "updatedAt" bigint NOT NULL,
        PRIMARY KEY (name, generation)
      )`,
      IMAGES_SCHEMA,
    ]);
  }

  /**
   * Runs `CREATE ... IF NOT EXISTS` statements. Several processes start at once on a new database (api replicas,
   * workers, the projector), and two PostgreSQL sessions creating the same table race on the catalog: one fails with
   * a duplicate key in pg_type although the table then exists. So on PostgreSQL they run one process at a time,
   * under a transaction-scoped advisory lock; SQLite serialises schema changes on its file lock anyway.
   */
  async createTablesIfMissing(statements: readonly string[]): Promise<void> {
    if (this.dialect !== 'postgres') {
      for (const statement of statements) await this.source.query(statement);
      return;
    }
    await this.source.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('chia-pool-ledger:read-models-ddl'))`);
      for (const statement of statements) await manager.query(statement);
    });
  }

  executor(manager: EntityManager = this.source.manager): SqlExecutor {
    return new SqlExecutor(manager, this.dialect);
  }

  /**
   * `work` in one transaction. A failed transaction is rolled back for certain and the connection replaced
   * before the error reaches the caller: after SQLITE_FULL (a full disk) SQLite may already have rolled the
   * transaction back itself, TypeORM's ROLLBACK then fails and its single SQLite query runner stays marked "in
   * a transaction", so every later transaction became a savepoint inside one that never commits: the file
   * stayed write-locked for every other process, checkpoints were never saved, and readers on this connection
   * saw rows that were never stored. A fresh connection has none of that state.
   */
  async transaction<T>(work: (sql: SqlExecutor) => Promise<T>): Promise<T> {
    if (this.reopenPending) await this.reopen(this.source);
    const source = this.source;
    try {
      return await source.transaction((manager) => work(this.executor(manager)));
    } catch (error) {
      await this.recover(source);
      throw error;
    }
  }

  /** Ends whatever the failed transaction left open on `source`, then replaces it (once, however many failed on it). */
  private async recover(source: DataSource): Promise<void> {
    if (this.dialect === 'sqlite') rollBackNative(source);
    // A private in-memory database lives only as long as its one connection: it is reset, never replaced.
    if (this.options.type === 'better-sqlite3' && this.options.database === ':memory:') return;
    await this.reopen(source).catch(() => undefined); // retried by the next transaction; the caller reports its own error
  }

  private reopen(failed: DataSource): Promise<void> {
    if (this.source !== failed) return this.reopening ?? Promise.resolve();
    this.reopening ??= (async () => {
      try {
        const fresh = new DataSource(this.options);
        await fresh.initialize();
        this.source = fresh;
        this.reopenPending = false;
        await failed.destroy().catch(() => undefined); // a closed connection has nothing left to give back
      } catch (error) {
        // The old connection (rolled back) keeps serving reads until a reopen succeeds.
        this.reopenPending = true;
        throw error;
      } finally {
        this.reopening = undefined;
      }
    })();
    return this.reopening;
  }

  async close(): Promise<void> {
    await this.reopening?.catch(() => undefined);
    if (this.source.isInitialized) await this.source.destroy();
  }
}

/** The better-sqlite3 handle under TypeORM: the one place that knows for certain whether a transaction is open. */
interface NativeSqlite {
  open: boolean;
  inTransaction: boolean;
  exec(sql: string): unknown;
}

/** TypeORM's one query runner per SQLite connection, and its idea of the transaction it is in. */
interface SqliteQueryRunnerState {
  isTransactionActive: boolean;
  transactionDepth: number;
}

/**
 * Rolls back a transaction still open on the SQLite connection, so its write lock is released at once, and tells
 * TypeORM's query runner so: otherwise its next transaction would open as a savepoint of the one just ended.
 */
function rollBackNative(source: DataSource): void {
  const driver = source.driver as unknown as { databaseConnection?: NativeSqlite; queryRunner?: SqliteQueryRunnerState };
  const native = driver.databaseConnection;
  try {
    if (native?.open && native.inTransaction) native.exec('ROLLBACK');
  } catch {
    // Closing the connection (the reopen) rolls it back as well.
  }
  const runner = driver.queryRunner;
  if (runner && native?.open && !native.inTransaction) {
    runner.isTransactionActive = false;
    runner.transactionDepth = 0;
  }
}

/** Raw SQL with `?` placeholders on both dialects, inside whatever transaction the manager belongs to. */
export class SqlExecutor {
  constructor(
    readonly manager: EntityManager,
    readonly dialect: Dialect,
  ) {}

  query<T = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    return this.manager.query(this.dialect === 'postgres' ? numberPlaceholders(sql) : sql, params as unknown[]);
  }
}

/** `?` → `$1, $2, …` outside quoted strings and identifiers. */
export function numberPlaceholders(sql: string): string {
  let n = 0;
  let quote: string | undefined;
  let out = '';
  for (const ch of sql) {
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
    } else if (ch === '?') {
      out += `$${++n}`;
      continue;
    }
    out += ch;
  }
  return out;
}

async function ensurePostgresSchema(url: string, schema: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name ${schema}`);
  const { Client } = await import('pg');
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    // One process at a time (see createTablesIfMissing): concurrent CREATE SCHEMA IF NOT EXISTS races on the catalog too.
    await client.query('BEGIN');
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('chia-pool-ledger:read-models-ddl'))`);
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await client.query('COMMIT');
  } finally {
    await client.end();
  }
}
