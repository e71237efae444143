import { LedgerFollower, type EventStore } from '@pool/event-sourcing';
import { applyToSagaView, emptyPayoutSagaView, farmersTotal, PAYOUT_EVENT_TYPES, type PayoutSagaView, type PayoutsControlState, poolEvents, unresolvedSagaPayouts } from '@pool/domain';
import { readPayoutsControl } from '@pool/commands';

const MOJOS_PER_XCH = 1_000_000_000_000n;

/** Mojos as XCH with every digit kept (no floating point): 1750000000000 -> "1.75". */
export function formatXch(mojos: bigint): string {
  const sign = mojos < 0n ? '-' : '';
  const abs = mojos < 0n ? -mojos : mojos;
  const fraction = (abs % MOJOS_PER_XCH).toString().padStart(12, '0').replace(/0+$/, '');
  return `${sign}${abs / MOJOS_PER_XCH}${fraction === '' ? '' : `.${fraction}`}`;
}

/** Every payout stream folded, read from the store (for the CLI and the devnet summary). */
export async function readPayoutSagaView(store: EventStore): Promise<PayoutSagaView> {
  const view = emptyPayoutSagaView();
  const follower = new LedgerFollower(store, { ...poolEvents(...PAYOUT_EVENT_TYPES), pageSize: 2000 });
  await follower.catchUp((event, recorded) => applyToSagaView(view, recorded.stream, recorded.revision, event));
  return view;
}

export interface PayoutTotals {
  planned: number;
  sent: number;
  confirmed: number;
  abandoned: number;
  /** Mojos paid to farmers by confirmed payouts. */
  paidToFarmers: bigint;
}

export function payoutTotals(view: PayoutSagaView): PayoutTotals {
  const totals: PayoutTotals = { planned: 0, sent: 0, confirmed: 0, abandoned: 0, paidToFarmers: 0n };
  for (const payout of view.payouts.values()) {
    totals.planned++;
    if (payout.sent !== null || payout.status === 'confirmed') totals.sent++;
    if (payout.status === 'confirmed') {
      totals.confirmed++;
      totals.paidToFarmers += farmersTotal(payout.planned);
    }
    if (payout.status === 'abandoned') totals.abandoned++;
  }
  return totals;
}

/** What `poolctl payouts status` prints: the switches, then one line per payout, newest last. */
export function formatPayoutsStatus(view: PayoutSagaView, control: PayoutsControlState, limit = 20): string[] {
  const switches = Object.entries(control.pausedBy).map(([by, record]) => `${by}: ${record!.reason} (since ${new Date(record!.at * 1000).toISOString()})`);
  const lines = [switches.length === 0 ? 'payouts: running' : `payouts: paused by ${switches.join('; ')}`];
  const payouts = [...view.payouts.values()].sort((a, b) => a.planned.sequence - b.planned.sequence);
  const totals = payoutTotals(view);
  lines.push(
    `payouts planned ${totals.planned}, sent ${totals.sent}, confirmed ${totals.confirmed}, abandoned ${totals.abandoned}; ` +
      `unresolved ${unresolvedSagaPayouts(view).length}; paid to farmers ${formatXch(totals.paidToFarmers)} XCH`,
  );
  if (payouts.length === 0) return lines;
  lines.push(['payout', 'status', 'farmers', 'to farmers (XCH)', 'pool fee (XCH)', 'transactions', 'failures', 'detail'].join('\t'));
  for (const payout of payouts.slice(-limit)) {
    const p = payout.planned;
    const lastFailure = payout.failures[payout.failures.length - 1];
    const detail =
      payout.status === 'confirmed'
        ? `confirmed at height ${payout.confirmed!.confirmedHeight}`
        : payout.sent !== null
          ? `sent ${payout.sent.transactionIds.join(',')}`
          : lastFailure !== undefined
            ? `attempt ${lastFailure.attempt} failed: ${lastFailure.reason}`
            : `planned at position ${p.ledgerPosition}`;
    lines.push(
      [p.payoutId, payout.status, p.allocations.length, formatXch(farmersTotal(p)), formatXch(BigInt(p.poolFee.amount)), p.transactions.length, payout.failures.length, detail].join('\t'),
    );
  }
  return lines;
}

export async function payoutsStatusLines(store: EventStore): Promise<string[]> {
  return formatPayoutsStatus(await readPayoutSagaView(store), await readPayoutsControl(store));
}
