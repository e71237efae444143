import type { Command } from 'commander';
import {
  FARMER_EVENT_TYPES,
  foldLedgerStatement,
  ledgerTimeOf,
  PARTIAL_EVENT_TYPES,
  PAYOUT_EVENT_TYPES,
  poolEvents,
  type LedgerStatement,
  type LedgerBalances,
} from '@pool/domain';
import { LedgerFollower, type EventStore, type RecordedEvent } from '@pool/event-sourcing';
import { configFrom, farmerIsKnown, openLedgerForReading, parseLauncherId, unknownFarmer } from './connections';
import { registerLedgerExportCommand } from './ledger-export';

const PAGE = 5000;

/** Where `--at` stops the statement: at a store position, or at a ledger time. */
export type LedgerLimit = { kind: 'position'; position: string } | { kind: 'time'; time: number } | { kind: 'none' };

/**
 * `--at` is a store position as printed by this command (SQLite: the sequence number, leading zeros optional;
 * PostgreSQL: `transaction:sequence`) or an ISO 8601 time (compared with each event's own ledger time).
 */
export function parseLimit(at: string | undefined): LedgerLimit {
  if (at === undefined) return { kind: 'none' };
  if (/^\d{4}-\d{2}-\d{2}/.test(at)) {
    const ms = Date.parse(at);
    if (Number.isNaN(ms)) throw new Error(`--at ${at}: not a valid ISO 8601 time`);
    return { kind: 'time', time: Math.floor(ms / 1000) };
  }
  if (/^\d+(:\d+)?$/.test(at)) {
    // Store positions are fixed-width (20 digits per part), so pad what a person typed.
    return { kind: 'position', position: at.split(':').map((part) => part.padStart(20, '0')).join(':') };
  }
  throw new Error(`--at ${at}: expected a store position (digits, or transaction:sequence) or an ISO 8601 time`);
}

/** The events a statement of `launcherId` needs (its own and every payout's), in store order, up to the limit. */
async function* eventsUpTo(store: EventStore, launcherId: string, limit: LedgerLimit): AsyncGenerator<RecordedEvent> {
  const ledger = new LedgerFollower(store, { ...poolEvents(...FARMER_EVENT_TYPES, ...PARTIAL_EVENT_TYPES, ...PAYOUT_EVENT_TYPES), pageSize: PAGE });
  for await (const page of ledger.pages()) {
    for (const event of page) {
      if (limit.kind === 'position' && event.position > limit.position) return;
      // Ledger time is the event's own; an event without one is judged by its neighbours' order only.
      if (limit.kind === 'time' && (ledgerTimeOf(event) ?? Number.NEGATIVE_INFINITY) > limit.time) continue;
      // Every plan matters (each one pays everybody's confirms up to its position); of the rest, only the farmer's.
      if (event.type.startsWith('Payout') || (event.data as { launcherId?: string }).launcherId === launcherId) yield event;
    }
  }
}

/** The statement of one farmer from the events alone (never the read models). */
export async function ledgerStatement(store: EventStore, launcherId: string, limit: LedgerLimit = { kind: 'none' }): Promise<LedgerStatement> {
  const events: RecordedEvent[] = [];
  for await (const event of eventsUpTo(store, launcherId, limit)) events.push(event);
  return foldLedgerStatement(launcherId, events);
}

const iso = (time: number | undefined): string => (time === undefined ? '-' : new Date(time * 1000).toISOString().replace('.000Z', 'Z'));
const signed = (value: bigint | undefined): string => (value === undefined ? '' : value > 0n ? `+${value}` : `${value}`);
const short = (hash: string | undefined): string => (hash === undefined ? '' : hash.length > 16 ? `${hash.slice(0, 12)}…` : hash);

function balanceColumns(b: LedgerBalances): string[] {
  return [b.pending, b.confirmed, b.unpaid, b.carried, b.paid].map(String);
}

/** Tab-separated lines: a header, one line per step with the balances after it, and a summary. */
export function formatStatement(statement: LedgerStatement, limit: LedgerLimit): string[] {
  const asOf = limit.kind === 'position' ? `position ${limit.position}` : limit.kind === 'time' ? iso(limit.time) : 'the head of the store';
  const lines = [`ledger of ${statement.launcherId} as of ${asOf} (events only)`];
  lines.push(['position', 'time', 'step', 'proof', 'points', 'mojos', 'pending', 'confirmed', 'unpaid', 'carried', 'paid', 'note'].join('\t'));
  for (const e of statement.entries) {
    lines.push([e.position, iso(e.time), e.kind, short(e.proofHash), signed(e.points), signed(e.mojos), ...balanceColumns(e.balances), e.note ?? ''].join('\t'));
  }
  const b = statement.balances;
  lines.push(
    `${statement.entries.length} steps; pending ${b.pending}, confirmed ${b.confirmed}, unpaid ${b.unpaid} points` +
      `${b.revertedAfterPayout > 0n ? ` (${b.revertedAfterPayout} reverted after payout)` : ''}; ` +
      `allocated ${b.allocated}, paid ${b.paid}, carried ${b.carried} mojos`,
  );
  return lines;
}

export function registerLedgerCommands(program: Command): void {
  const ledger = program.command('ledger').description("a farmer's history, replayed from the event store; the ledger's export");
  ledger
    .command('show <launcherId>')
    .description("print a farmer's points history (credits, confirms, reverts, payouts) with running balances")
    .option('--at <position|time>', 'stop at this store position or ISO 8601 ledger time (default: the head)')
    .option('--store <url>', 'event store URL (default: --event-store, POOL_EVENT_STORE_URL or the config)')
    .action(async (launcherId: string, options: { at?: string; store?: string }, command: Command) => {
      const id = parseLauncherId(launcherId);
      const limit = parseLimit(options.at);
      const url = options.store ?? configFrom(command).eventStoreUrl;
      const store = await openLedgerForReading(url);
      try {
        const statement = await ledgerStatement(store, id, limit);
        // Judged on the whole ledger, not up to --at: a farmer registered later is known, just not yet then.
        if (!(await farmerIsKnown(store, id, statement.entries.length > 0))) throw unknownFarmer(id, url);
        for (const line of formatStatement(statement, limit)) console.log(line);
      } finally {
        await store.close();
      }
    });
  registerLedgerExportCommand(ledger);
}
