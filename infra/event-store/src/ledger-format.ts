/**
 * The row formats of the SQL ledgers (SQLite, PostgreSQL). A ledger keeps the format it was created in, so that a
 * stream's rows are always looked up in the spelling they were stored in; readers read both.
 * - 1: every ledger created before format 2: stream names, data and metadata as text and JSON.
 * - 2: stream names ending in a 32-byte id as bytes (hex-tailed-names.ts), data and metadata as packed JSON
 *   (packed-json.ts), no es_streams table (a stream's revision is its last row's), and each adapter's own details
 *   (sqlite/ledger-row-format.ts, postgres/postgres-event-store.ts).
 */
export type LedgerFormat = 1 | 2;

/** The format new ledgers are created in. */
export const NEWEST_LEDGER_FORMAT: LedgerFormat = 2;
