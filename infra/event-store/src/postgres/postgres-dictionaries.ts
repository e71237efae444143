import type { Pool } from 'pg';
import type { ValueDictionary } from '../packed-json';
import { RecentlyUsed } from '../recently-used';

/**
 * How many entries a store remembers in each direction (an entry is about 140 bytes), forgetting those unused longest
 * (RecentlyUsed): the launchers, harvesters and plots of the farmers partialling now, and the last signage points.
 */
const REMEMBERED = 65_536;

/**
 * A format 3 ledger's tables that store each value once and give it a number (see postgres-event-store.ts), with the SQL
 * that spells a key (hex for es_values, a name for es_event_types) as stored, and back.
 */
const NUMBERED = {
  es_values: { column: 'value', stored: (key: string) => `decode(${key}, 'hex')`, spelled: (column: string) => `encode(${column}, 'hex')` },
  es_event_types: { column: 'name', stored: (key: string) => key, spelled: (column: string) => column },
} as const;

/**
 * A format 3 PostgreSQL ledger's es_values (the hex values many events share, packed-json.ts) and es_event_types.
 *
 * Several processes append at once, so a value is given its number in a statement of its own, committed before the
 * append that points to it: an append that then fails leaves a number nobody points to, a row that harms nothing.
 * A committed number names its value for good, so both directions are remembered. A value already stored is looked up,
 * not inserted again: an insert that finds its value costs a sequence number all the same, and event types (a few
 * dozen, asked for by every process start) would use up their numbers.
 */
export class PostgresDictionaries {
  private readonly numberByHex = new RecentlyUsed<string, number>(REMEMBERED);
  private readonly hexByNumber = new RecentlyUsed<number, string>(REMEMBERED);
  private readonly typeNumbers = new Map<string, number>();
  private readonly typeNames = new Map<number, string>();

  constructor(
    private readonly pool: Pool,
    private readonly schema: string,
  ) {}

  /** A dictionary numbering `hexes` (sharedValuesIn of the events about to be packed), the new ones added to es_values. */
  async forPacking(hexes: ReadonlySet<string>): Promise<ValueDictionary> {
    const { known: numbers, missing } = recall(hexes, this.numberByHex);
    if (missing.length > 0) {
      for (const [hex, number] of await this.numbered('es_values', missing)) {
        numbers.set(hex, number);
        this.remember(hex, number);
      }
    }
    return {
      numberOf: (hex) => numbers.get(hex) ?? unlisted(hex),
      hexOf: () => {
        throw new Error('a packer never reads its dictionary');
      },
    };
  }

  /** A dictionary for unpacking rows whose data names `numbers` (sharedNumbers of each), all looked up in one query. */
  async forUnpacking(numbers: ReadonlySet<number>): Promise<ValueDictionary> {
    const { known: hexes, missing } = recall(numbers, this.hexByNumber);
    if (missing.length > 0) {
      const { rows } = await this.pool.query<{ id: string; value: Buffer }>({
        name: 'es-values-by-number',
        text: `SELECT id, value FROM "${this.schema}".es_values WHERE id = ANY($1::bigint[])`,
        values: [missing],
      });
      for (const row of rows) {
        const hex = row.value.toString('hex');
        hexes.set(Number(row.id), hex);
        this.remember(hex, Number(row.id));
      }
    }
    return {
      numberOf: () => {
        throw new Error('a reader never numbers values');
      },
      hexOf: (number) => hexes.get(number) ?? notHeld(number),
    };
  }

  /** The numbers of event types `names`, in order, the new ones added to es_event_types. */
  async typeNumbersOf(names: readonly string[]): Promise<number[]> {
    const missing = [...new Set(names.filter((name) => !this.typeNumbers.has(name)))];
    if (missing.length > 0) {
      for (const [name, number] of await this.numbered('es_event_types', missing)) {
        this.typeNumbers.set(name, number);
        this.typeNames.set(number, name);
      }
    }
    return names.map((name) => this.typeNumbers.get(name)!);
  }

  /** The names of event type numbers as rows hold them; an unknown number reloads the table (another process added it). */
  async typeNamesOf(numbers: readonly number[]): Promise<string[]> {
    if (numbers.some((number) => !this.typeNames.has(number))) {
      const { rows } = await this.pool.query<{ id: number; name: string }>(`SELECT id, name FROM "${this.schema}".es_event_types`);
      for (const row of rows) {
        this.typeNames.set(row.id, row.name);
        this.typeNumbers.set(row.name, row.id);
      }
    }
    return numbers.map((number) => this.typeNames.get(number) ?? unknownType(number));
  }

  /**
   * The numbers of `keys` in `table`, adding those it does not hold, in one statement: a key another process adds at
   * the same moment is skipped by the insert and not yet seen by the statement's lookup, so it is asked again. The
   * inserts go in key order, so two processes adding overlapping keys cannot wait for each other.
   */
  private async numbered(table: keyof typeof NUMBERED, keys: readonly string[]): Promise<Map<string, number>> {
    const { column, stored, spelled } = NUMBERED[table];
    const wanted = new Set(keys);
    const found = new Map<string, number>();
    for (let attempt = 1; ; attempt++) {
      const { rows } = await this.pool.query<{ id: string | number; key: string }>({
        name: `es-number-${table}`,
        text: `WITH wanted AS (SELECT DISTINCT ${stored('k')} AS k FROM unnest($1::text[]) AS k),
          known AS (SELECT t.id, t.${column} AS k FROM "${this.schema}".${table} t WHERE t.${column} IN (SELECT k FROM wanted)),
          added AS (INSERT INTO "${this.schema}".${table} (${column})
            SELECT k FROM wanted WHERE k NOT IN (SELECT k FROM known) ORDER BY k
            ON CONFLICT (${column}) DO NOTHING RETURNING id, ${column} AS k)
          SELECT id, ${spelled('k')} AS key FROM known UNION ALL SELECT id, ${spelled('k')} AS key FROM added`,
        values: [[...wanted].filter((key) => !found.has(key))],
      });
      for (const row of rows) found.set(row.key, Number(row.id));
      if (found.size === wanted.size) return found;
      if (attempt >= 10) throw new Error(`${table} did not give numbers to ${wanted.size - found.size} entries after ${attempt} attempts`);
    }
  }

  private remember(hex: string, number: number): void {
    this.numberByHex.set(hex, number);
    this.hexByNumber.set(number, hex);
  }
}

/** What `remembered` holds of `keys`, and the keys it does not hold. */
function recall<K, V>(keys: Iterable<K>, remembered: RecentlyUsed<K, V>): { known: Map<K, V>; missing: K[] } {
  const known = new Map<K, V>();
  const missing: K[] = [];
  for (const key of keys) {
    const value = remembered.get(key);
    if (value === undefined) missing.push(key);
    else known.set(key, value);
  }
  return { known, missing };
}

function unlisted(hex: string): never {
  throw new Error(`value ${hex} was not numbered before packing`);
}

function notHeld(number: number): never {
  throw new Error(`the ledger's data names value ${number}, which es_values does not hold`);
}

function unknownType(number: number): never {
  throw new Error(`a row names event type ${number}, which es_event_types does not hold`);
}
