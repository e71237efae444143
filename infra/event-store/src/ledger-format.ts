/**
 * The row formats of the SQL ledgers (SQLite, PostgreSQL). A ledger keeps the format it was created in, so that a
 * stream's rows are always looked up in the spelling they were stored in; readers read every format.
 * - 1: every ledger created before format 2: stream names, data and metadata as text and JSON.
 * - 2: stream names ending in a 32-byte id as bytes (hex-tailed-names.ts), data and metadata as packed JSON
 *   (packed-json.ts), no es_streams table (a stream's revision is its last row's), and each adapter's own details
 *   (sqlite/ledger-row-format.ts, postgres/postgres-event-store.ts).
 * - 3: format 2, with each event type and each hex value many events share (a launcher, a harvester, a plot, a
 *   signage point) stored once, in tables of their own, and rows and packed data pointing to them by number; packed
 *   data points to its stream's id instead of repeating it. SQLite also stores each stream name once; PostgreSQL keeps
 *   names in the rows, orders its columns without padding and keys the rows by the global order.
 */
export type LedgerFormat = 1 | 2 | 3;

/** The format each adapter creates new ledgers in. */
export const NEWEST_LEDGER_FORMAT = { sqlite: 3, postgres: 3 } as const satisfies Record<string, LedgerFormat>;
