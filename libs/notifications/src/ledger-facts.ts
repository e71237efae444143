import { decodePoolEvent, poolEvents, type PoolEvent, type PoolEventOf } from '@pool/domain';
import { type EventStore, type RecordedEvent } from '@pool/event-sourcing';
import { type Notification } from './notification';

/** The ledger facts the notifier reads (the store filters by them). */
export const NOTIFIER_EVENTS = poolEvents(
  'PayoutSent',
  'PayoutConfirmed',
  'RewardDetected',
  'FarmerUpdated',
  'FarmerLeftPool',
  'FarmerRejoinedPool',
  'PartialSubmitted',
);
export type NotifierEvent = PoolEventOf<(typeof NOTIFIER_EVENTS.types)[number]>;

/** What one fact changes in the notifier's private state besides the notifications it produces. */
export type ActivityChange = { launcherId: string } & ({ partialAt: number } | { left: boolean });

export interface LedgerFacts {
  notifications: Notification[];
  activity: ActivityChange[];
}

/** One farmer's part of a payout: what the plan allocated it, and the transaction paying its address. */
interface FarmerPayment {
  amount: bigint;
  transactionId: string | null;
}

/**
 * Turns a ledger fact into what farmers are told. Payout facts name only the payout, so its stream is read for the
 * plan (amounts per farmer) and the signed transactions (their ids, the latest fee bump of each): read back from
 * the store, never kept in memory, so a restarted notifier tells the same thing.
 */
export async function factsOf(event: NotifierEvent, recorded: RecordedEvent, store: EventStore): Promise<LedgerFacts> {
  switch (event.type) {
    case 'PayoutSent':
    case 'PayoutConfirmed': {
      const payments = await payoutPayments(store, recorded.stream);
      const sent = event.type === 'PayoutSent';
      const notifications = [...payments].map(([launcherId, payment]): Notification => ({
        key: `${sent ? 'payout-sent' : 'payout-confirmed'}:${event.data.payoutId}:${launcherId}`,
        launcherId,
        kind: sent ? 'payout-sent' : 'payout-confirmed',
        occurredAt: sent ? event.data.sentAt : event.data.confirmedAt,
        data: {
          payoutId: event.data.payoutId,
          amount: payment.amount.toString(),
          transactionId: payment.transactionId,
          ...(sent ? {} : { confirmedHeight: event.data.confirmedHeight }),
        },
      }));
      return { notifications, activity: [] };
    }
    case 'RewardDetected': {
      const d = event.data;
      const data = { coinId: d.coinId, amount: d.amount, farmedHeight: d.farmedHeight, confirmedHeight: d.confirmedHeight };
      return { notifications: [{ key: `block-won:${d.coinId}`, launcherId: d.launcherId, kind: 'block-won', occurredAt: d.detectedAt, data }], activity: [] };
    }
    case 'FarmerUpdated': {
      const d = event.data;
      // The decider records the payout fields only when they change: their presence is the change.
      if (d.payoutPuzzleHash === undefined) return { notifications: [], activity: [] };
      const data = { payoutInstructions: d.payoutInstructions ?? d.payoutPuzzleHash, payoutPuzzleHash: d.payoutPuzzleHash };
      // The event id: two changes of the same farmer are two notifications, a re-read of one is the same.
      const notification: Notification = { key: `payout-address-changed:${recorded.id}`, launcherId: d.launcherId, kind: 'payout-address-changed', occurredAt: d.updatedAt, data };
      return { notifications: [notification], activity: [] };
    }
    case 'FarmerLeftPool': {
      const d = event.data;
      const notification: Notification = { key: `left-pool:${d.launcherId}:${d.height}`, launcherId: d.launcherId, kind: 'left-pool', occurredAt: d.at, data: { height: d.height, reason: d.reason } };
      return { notifications: [notification], activity: [{ launcherId: d.launcherId, left: true }] };
    }
    case 'FarmerRejoinedPool':
      return { notifications: [], activity: [{ launcherId: event.data.launcherId, left: false }] };
    case 'PartialSubmitted':
      return { notifications: [], activity: [{ launcherId: event.data.launcherId, partialAt: event.data.receivedAt }] };
  }
}

/** Each farmer's amount in a payout, with the id of the (latest version of the) transaction paying its address. */
async function payoutPayments(store: EventStore, stream: string): Promise<Map<string, FarmerPayment>> {
  const events = (await store.readStream(stream)).map((recorded) => decodePoolEvent(recorded)).filter((e): e is PoolEvent => e !== undefined);
  const planned = events.find((e): e is PoolEventOf<'PayoutPlanned'> => e.type === 'PayoutPlanned');
  const payments = new Map<string, FarmerPayment>();
  if (planned === undefined) return payments;
  const transactionIds = new Map<number, string>();
  for (const e of events) {
    if (e.type === 'PayoutSigned' || e.type === 'PayoutFeeBumped') for (const t of e.data.transactions) transactionIds.set(t.index, t.transactionId);
  }
  const indexOf = new Map<string, number>();
  planned.data.transactions.forEach((transaction, index) => transaction.payments.forEach((payment) => indexOf.set(payment.puzzleHash, index)));
  for (const allocation of planned.data.allocations) {
    if (BigInt(allocation.amount) <= 0n) continue;
    const index = indexOf.get(allocation.puzzleHash);
    const previous = payments.get(allocation.launcherId);
    payments.set(allocation.launcherId, {
      amount: (previous?.amount ?? 0n) + BigInt(allocation.amount),
      transactionId: previous?.transactionId ?? (index === undefined ? null : (transactionIds.get(index) ?? null)),
    });
  }
  return payments;
}
