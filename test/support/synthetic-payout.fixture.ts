import { randomUUID } from 'node:crypto';
import { auditLedger, buildPayoutTransactions, payoutStream, planPayout, snapshotBooks, type AuditReport, type PayoutCoin, type PayoutPlanned, type PayoutSchemeConfig } from '@pool/domain';
import { type EventStore, type GlobalPosition } from '@pool/event-sourcing';
import { readWholeStore } from '@pool/poolctl';
import { asWalletCoins } from './payout-signing.fixture';
import { appendAbsorbedRewardFixture, syntheticLedger, syntheticSchemes } from './synthetic-ledger';

/**
 * Appends a synthetic ledger to a real store, batch by batch, as the pool would have recorded it. `followers` (the
 * worker's sealer, its books closer) catch up after each batch, as they do while a pool runs. Returns how many events
 * were appended, the followers' included.
 */
export async function writeSyntheticLedgerFixture(
  store: EventStore,
  options: Parameters<typeof syntheticLedger>[0],
  followers: readonly { catchUp(): Promise<number> }[] = [],
): Promise<number> {
  let last: GlobalPosition | undefined;
  let appended = 0;
  for (const batch of syntheticLedger(options)) {
    const events = batch.events(last).map((e) => ({ id: randomUUID(), ...e }));
    last = (await store.append(batch.stream, events, { expectedRevision: 'any' })).position;
    appended += events.length;
    for (const follower of followers) appended += await follower.catchUp();
  }
  return appended;
}

/**
 * The store's next payout, planned honestly (a reward absorbed in `rewardStream` first, then the plan computed from the
 * ledger as the audit replays it) on wallet `coins` whose ids hash, so its signing can be checked. Not recorded.
 */
export async function planNextPayoutFixture(
  store: EventStore,
  options: { rewardStream: string; coins: readonly PayoutCoin[]; configVersion: string; scheme?: PayoutSchemeConfig },
): Promise<PayoutPlanned['data']> {
  await appendAbsorbedRewardFixture(store, options.rewardStream);
  const { ledger } = await auditLedger(readWholeStore(store));
  const scheme = options.scheme ?? syntheticSchemes()[0]!;
  const draft = planPayout(ledger, scheme, 1_800_000_100)!;
  const sequence = ledger.lastPayoutSequence + 1;
  return {
    ...draft,
    payoutId: payoutStream(sequence),
    sequence,
    ledgerPosition: (await store.headPosition())!,
    plannedAt: 1_800_000_100,
    configVersion: options.configVersion,
    transactions: buildPayoutTransactions(draft, asWalletCoins(options.coins), scheme.maxAdditionsPerTransaction),
  };
}

/**
 * An audit report as two audits of one ledger are compared: the ledger object aside (an audit that starts from a
 * closing holds only the partials since it), the farmers' books in its place.
 */
export function comparableAuditReport(report: AuditReport): Omit<AuditReport, 'ledger'> & { farmers: unknown } {
  const { ledger, ...rest } = report;
  return { ...rest, farmers: snapshotBooks(ledger, [], null).farmers };
}
