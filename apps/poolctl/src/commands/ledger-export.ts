import { createReadStream, createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import type { Command } from 'commander';
import { ledgerExportLines, readLedgerExport, type LedgerRecord } from '@pool/domain';
import { LedgerFollower, type EventStore, type RecordedEvent } from '@pool/event-sourcing';
import { configFrom, withLedger } from './connections';
import { parseLimit } from './ledger.command';

const PAGE = 5000;

/** Every event of the store in global order, page by page, as recorded (no type filter, nothing decoded). */
export function wholeLedger(store: EventStore, pageSize = PAGE): AsyncGenerator<readonly RecordedEvent[]> {
  return new LedgerFollower<RecordedEvent>(store, { decode: (recorded) => recorded, pageSize }).pages();
}

export interface LedgerExportOptions {
  /** Last position included (a store position, fixed width). */
  until?: string;
  /** Newline-delimited JSON as is, instead of gzip. */
  plain?: boolean;
}

/**
 * Writes the export (docs/ledger-encoding.md): the header line, then each event's canonical line, gzip unless
 * `plain`. Streams page by page; returns how many events it wrote and the last one's position.
 */
export async function writeLedgerExport(store: EventStore, out: Writable, options: LedgerExportOptions = {}): Promise<{ events: number; lastPosition: string | null }> {
  const written = { events: 0, lastPosition: null as string | null };
  const until = options.until;
  // Stops reading the store at `until` (the lines keep the store's order, so nothing after it can follow).
  const upToLimit = async function* (pages: AsyncIterable<readonly RecordedEvent[]>): AsyncGenerator<readonly LedgerRecord[]> {
    for await (const page of pages) {
      const kept = until === undefined ? page : page.filter((record) => record.position <= until);
      if (kept.length > 0) {
        written.events += kept.length;
        written.lastPosition = kept[kept.length - 1]!.position;
        yield kept;
      }
      if (kept.length < page.length) return;
    }
  };
  const text = (async function* () {
    for await (const line of ledgerExportLines(upToLimit(wholeLedger(store)))) yield `${line}\n`;
  })();
  const source = Readable.from(text);
  await (options.plain === true ? pipeline(source, out) : pipeline(source, createGzip(), out));
  return written;
}

/** An export file's lines, gunzipped when it starts with gzip's magic bytes (so `--plain` files read the same). */
export async function readExportFile(path: string): Promise<AsyncIterable<string>> {
  const handle = await open(path, 'r');
  let gzipped: boolean;
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    gzipped = bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } finally {
    await handle.close();
  }
  const file = createReadStream(path);
  const input = gzipped ? file.pipe(createGunzip()) : file;
  if (gzipped) file.on('error', (error) => input.destroy(error));
  return createInterface({ input, crlfDelay: Infinity });
}

/** The records of an export file, in pages: what `poolctl audit --export` reads instead of a store. */
export async function exportRecords(path: string): Promise<AsyncGenerator<LedgerRecord[]>> {
  return readLedgerExport(await readExportFile(path));
}

/** `poolctl ledger export`: the ledger in its canonical encoding, for an audit with no database and no network. */
export function registerLedgerExportCommand(ledger: Command): void {
  ledger
    .command('export')
    .description('write the ledger in its canonical encoding with its seals (docs/ledger-encoding.md): gzip, or NDJSON with --plain')
    .option('--to <file>', 'write to this file (default: standard output)')
    .option('--until <position>', 'stop after this store position (as printed by `poolctl audit` and `ledger show`)')
    .option('--plain', 'newline-delimited JSON instead of gzip')
    .option('--store <url>', 'event store URL (default: --event-store, POOL_EVENT_STORE_URL or the config)')
    .action(async (options: { to?: string; until?: string; plain?: boolean; store?: string }, command: Command) => {
      const limit = parseLimit(options.until);
      if (limit.kind === 'time') throw new Error(`--until ${options.until}: a store position, not a time (an export ends at a position)`);
      const url = options.store ?? configFrom(command).eventStoreUrl;
      await withLedger(url, async (store) => {
        const out = options.to === undefined ? process.stdout : createWriteStream(options.to);
        const written = await writeLedgerExport(store, out, { ...(limit.kind === 'position' ? { until: limit.position } : {}), plain: options.plain === true });
        const summary = `exported ${written.events} events through position ${written.lastPosition ?? '-'}${options.to === undefined ? '' : ` to ${options.to}`}`;
        // On standard output the export itself is the output: the summary goes to standard error.
        if (options.to === undefined) process.stderr.write(`${summary}\n`);
        else console.log(summary);
      });
    });
}
