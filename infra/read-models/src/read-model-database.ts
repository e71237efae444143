import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DataSource, type EntityManager } from 'typeorm';
import { ProjectionGeneration } from './projection-generation.entity';

export type Dialect = 'sqlite' | 'postgres';

/**
 * The read-model database: SQLite (a file separate from the event store, written only by the projector)
 * or PostgreSQL. Projections write through `SqlExecutor`, which hides the one dialect difference that
 * matters to them: how parameters are written.
 */
export class ReadModelDatabase {
  private constructor(
    readonly dataSource: DataSource,
    readonly dialect: Dialect,
  ) {}

  /** `sqlite:./data/read-models.db`, `sqlite::memory:` or `postgres://…[?schema=name]`. */
  static async open(url: string): Promise<ReadModelDatabase> {
    let dataSource: DataSource;
    let dialect: Dialect;
    if (url.startsWith('sqlite:')) {
      const path = url.slice('sqlite:'.length);
      const database = path === ':memory:' ? path : resolve(path);
      if (database !== ':memory:') mkdirSync(dirname(database), { recursive: true });
      dialect = 'sqlite';
      dataSource = new DataSource({
        type: 'better-sqlite3',
        database,
        entities: [ProjectionGeneration],
        prepareDatabase: (db: { pragma(sql: string): unknown }) => {
          db.pragma('journal_mode = WAL');
          db.pragma('synchronous = NORMAL'); // read models are rebuildable from the ledger
          db.pragma('busy_timeout = 10000');
          // The default 2 MiB page cache makes every insert into a rebuilt table with random keys (proof hashes,
          // launcher ids) re-read index pages through the WAL index: rebuilds write hundreds of MiB.
          db.pragma('cache_size = -262144');
          db.pragma('temp_store = MEMORY');
        },
      });
    } else if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
      const parsed = new URL(url);
      const schema = parsed.searchParams.get('schema') ?? undefined;
      parsed.searchParams.delete('schema');
      dialect = 'postgres';
      dataSource = new DataSource({
        type: 'postgres',
        url: parsed.toString(),
        schema,
        entities: [ProjectionGeneration],
        extra: { max: 4, options: schema ? `-c search_path="${schema}"` : undefined },
      });
      if (schema) await ensurePostgresSchema(parsed.toString(), schema);
    } else {
      throw new Error(`read-model URL ${JSON.stringify(url)} is not sqlite: or postgres://`);
    }
    await dataSource.initialize();
    const database = new ReadModelDatabase(dataSource, dialect);
    await database.ensureSchema();
    return database;
  }

  private async ensureSchema(): Promise<void> {
    await this.dataSource.query(`
      CREATE TABLE IF NOT EXISTS projection_generations (
        name varchar(100) NOT NULL,
        generation integer NOT NULL,
        version integer NOT NULL,
        status varchar(16) NOT NULL,
        position varchar(64),
        "updatedAt" bigint NOT NULL,
        PRIMARY KEY (name, generation)
      )`);
  }

  executor(manager: EntityManager = this.dataSource.manager): SqlExecutor {
    return new SqlExecutor(manager, this.dialect);
  }

  transaction<T>(work: (sql: SqlExecutor) => Promise<T>): Promise<T> {
    return this.dataSource.transaction((manager) => work(this.executor(manager)));
  }

  async close(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
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
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  } finally {
    await client.end();
  }
}
