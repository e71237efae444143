import { type NotificationKind } from './notification-targets';

/**
 * One thing to tell one farmer. `key` names the fact it tells (the same for every target and every attempt): it is
 * the deduplication key a receiver gets with each delivery, so a delivery repeated after a crash can be dropped.
 * Everything in it comes from the public ledger (no personal data); the target adds where it goes.
 */
export interface Notification {
  key: string;
  launcherId: string;
  kind: NotificationKind;
  /** Unix seconds of the fact (the pool clock). */
  occurredAt: number;
  /** Facts for machines (the generic webhook's `data`): amounts in mojos as decimal strings. */
  data: Record<string, string | number | null>;
}

const MOJOS_PER_XCH = 1_000_000_000_000n;

/** Mojos as XCH with every significant digit and no float: 1750000000000 -> "1.75". */
export function xch(mojos: string | bigint): string {
  const value = BigInt(mojos);
  const sign = value < 0n ? '-' : '';
  const abs = value < 0n ? -value : value;
  const fraction = (abs % MOJOS_PER_XCH).toString().padStart(12, '0').replace(/0+$/, '');
  return `${sign}${abs / MOJOS_PER_XCH}${fraction === '' ? '' : `.${fraction}`}`;
}

const short = (id: string): string => (id.length > 16 ? `${id.slice(0, 8)}…${id.slice(-6)}` : id);

/** A title and plain-text body, the same words for every transport. */
export function render(notification: Notification, poolName: string): { title: string; text: string } {
  const d = notification.data;
  const farmer = `farmer ${short(notification.launcherId)}`;
  switch (notification.kind) {
    case 'payout-sent':
      return {
        title: `${poolName}: payout of ${xch(String(d.amount))} XCH sent`,
        text: `${poolName} sent ${xch(String(d.amount))} XCH to ${farmer} (payout ${d.payoutId}).\nTransaction: ${d.transactionId ?? 'unknown'}\nIt is confirmed once the next blocks bury it.`,
      };
    case 'payout-confirmed':
      return {
        title: `${poolName}: payout of ${xch(String(d.amount))} XCH confirmed`,
        text: `The payout of ${xch(String(d.amount))} XCH to ${farmer} (payout ${d.payoutId}) is confirmed at height ${d.confirmedHeight}.\nTransaction: ${d.transactionId ?? 'unknown'}`,
      };
    case 'block-won':
      return {
        title: `${poolName}: ${farmer} won block ${d.farmedHeight}`,
        text: `${farmer} won block ${d.farmedHeight}: a pool reward of ${xch(String(d.amount))} XCH (coin ${d.coinId}).`,
      };
    case 'payout-address-changed':
      return {
        title: `${poolName}: the payout address of ${farmer} changed`,
        text: `The payout address of ${farmer} is now ${d.payoutInstructions}.\nIf you did not change it, someone holding your plot NFT's owner key did: move your plot NFT to safety.`,
      };
    case 'farmer-offline':
      return {
        title: `${poolName}: ${farmer} is offline`,
        text: `${poolName} has had no partial from ${farmer} for ${Math.round(Number(d.silentSeconds) / 60)} minutes (last one at ${new Date(Number(d.lastPartialAt) * 1000).toISOString()}). Check your farmer and harvesters.`,
      };
    case 'left-pool':
      return {
        title: `${poolName}: ${farmer} left the pool`,
        text: `${farmer} left ${poolName} at height ${d.height} (${d.reason}).`,
      };
  }
}
