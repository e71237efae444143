import { canonicalLedgerJson } from './canonical-json';
import { encodeLedgerRecord, LEDGER_ENCODING_VERSION, type LedgerRecord } from './ledger-encoding';

/** What an export's first line says it is (docs/ledger-encoding.md, "Export"). */
export const LEDGER_EXPORT_FORMAT = 'chia-pool-ledger export';

export interface LedgerExportHeader {
  format: typeof LEDGER_EXPORT_FORMAT;
  encoding: number;
}

/** The header line: canonical JSON like every other line, so an export is one encoding throughout. */
export function ledgerExportHeaderLine(): string {
  return canonicalLedgerJson({ encoding: LEDGER_ENCODING_VERSION, format: LEDGER_EXPORT_FORMAT });
}

/**
 * The lines of an export (each without its newline): the header, then every event of `pages` in order as its
 * canonical line, up to and including `until` when given. Streams: one page in memory at a time.
 */
export async function* ledgerExportLines(pages: AsyncIterable<readonly LedgerRecord[]>, until?: string): AsyncGenerator<string> {
  yield ledgerExportHeaderLine();
  for await (const page of pages) {
    for (const record of page) {
      if (until !== undefined && record.position > until) return;
      yield encodeLedgerRecord(record);
    }
  }
}

/** An export that is not one: names the line. */
export class LedgerExportError extends Error {
  override readonly name = 'LedgerExportError';
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** One event line back into its record; the line's own spelling does not matter (the seals hash its canonical form). */
export function parseLedgerExportLine(line: string, lineNumber: number): LedgerRecord {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new LedgerExportError(`line ${lineNumber}: not JSON (${(error as Error).message})`);
  }
  if (!isObject(value)) throw new LedgerExportError(`line ${lineNumber}: not an event object`);
  const { position, stream, id, type, schemaVersion, data } = value;
  if (typeof position !== 'string' || typeof stream !== 'string' || typeof id !== 'string' || typeof type !== 'string' || !Number.isSafeInteger(schemaVersion)) {
    throw new LedgerExportError(`line ${lineNumber}: an event needs position, stream, id and type (strings) and schemaVersion (an integer)`);
  }
  return { position, stream, id, type, schemaVersion: schemaVersion as number, data };
}

/**
 * The records of an export's lines, in pages (the audit's input), after checking the header. Empty lines (a final
 * newline) are skipped.
 */
export async function* readLedgerExport(lines: AsyncIterable<string>, pageSize = 1000): AsyncGenerator<LedgerRecord[]> {
  let lineNumber = 0;
  let headerSeen = false;
  let page: LedgerRecord[] = [];
  for await (const line of lines) {
    lineNumber++;
    if (line.trim() === '') continue;
    if (!headerSeen) {
      checkHeader(line, lineNumber);
      headerSeen = true;
      continue;
    }
    page.push(parseLedgerExportLine(line, lineNumber));
    if (page.length >= pageSize) {
      yield page;
      page = [];
    }
  }
  if (!headerSeen) throw new LedgerExportError('the export is empty (not even a header line)');
  if (page.length > 0) yield page;
}

function checkHeader(line: string, lineNumber: number): void {
  let header: unknown;
  try {
    header = JSON.parse(line);
  } catch {
    header = undefined;
  }
  if (!isObject(header) || header.format !== LEDGER_EXPORT_FORMAT) throw new LedgerExportError(`line ${lineNumber}: not an export header (expected ${ledgerExportHeaderLine()})`);
  if (header.encoding !== LEDGER_ENCODING_VERSION) {
    throw new LedgerExportError(`line ${lineNumber}: encoding ${String(header.encoding)}; this version reads encoding ${LEDGER_ENCODING_VERSION}`);
  }
}
