import type { FarmerEvent } from '../farmers/farmer.events';
import type { PartialEvent } from '../partials/partial.events';
import type { PayoutEvent } from '../payouts/payout.events';
import { ledgerTimeOf } from './ledger-time';

/**
 * A farmer's points history from the events alone (what `poolctl ledger show` prints): every credit,
 * confirm, revert and payout step, each with the running balances after it. The window rules are the payout
 * ledger's (payouts/payout-ledger.ts): a plan pays every confirm at or before its ledger position; a confirmed
 * partial reverted after that is not clawed back; carried balances are absolute per plan; an abandoned payout
 * returns its allocation to the carried balance.
 */
export type LedgerStepKind =
  | 'registered'
  | 'updated'
  | 'difficulty'
  | 'left'
  | 'rejoined'
  | 'credit'
  | 'confirm'
  | 'revert'
  | 'planned'
  | 'sent'
  | 'confirmed'
  | 'failed'
  | 'abandoned';

export interface LedgerBalances {
  /** Submitted, neither confirmed nor reverted. */
  pending: bigint;
  /** Confirmed minus reverted-after-confirm, all time. */
  confirmed: bigint;
  /** Confirmed and not yet paid by a plan: what the next PROP plan pays for. */
  unpaid: bigint;
  revertedAfterPayout: bigint;
  /** Mojos: owed and carried to the next plan; allocated by plans; paid by confirmed payouts. */
  carried: bigint;
  allocated: bigint;
  paid: bigint;
}

export interface LedgerStep {
  position: string;
  time: number | undefined;
  kind: LedgerStepKind;
  proofHash?: string;
  /** Points this step moved (signed), where it moved any. */
  points?: bigint;
  /** Mojos this step moved for the farmer (allocation, carry), where it moved any. */
  mojos?: bigint;
  note?: string;
  balances: LedgerBalances;
}

export interface LedgerStatement {
  launcherId: string;
  entries: LedgerStep[];
  balances: LedgerBalances;
  /** Last position folded (the statement is as of it). */
  position: string | undefined;
}

type LedgerStatementEvent = FarmerEvent | PartialEvent | PayoutEvent;

interface Confirm {
  position: string;
  points: bigint;
}

/** Folds `events` (in store order, each with its position) into the statement of `launcherId`. */
export function foldLedgerStatement(launcherId: string, events: Iterable<{ type: string; data: unknown; position: string }>): LedgerStatement {
  const b: LedgerBalances = { pending: 0n, confirmed: 0n, unpaid: 0n, revertedAfterPayout: 0n, carried: 0n, allocated: 0n, paid: 0n };
  const entries: LedgerStep[] = [];
  const submitted = new Map<string, bigint>();
  const unpaid = new Map<string, Confirm>();
  const payouts = new Map<string, { amount: bigint; status: 'planned' | 'sent' | 'confirmed' | 'abandoned' }>();
  let cutoff: string | undefined;
  let position: string | undefined;

  const push = (entry: Omit<LedgerStep, 'balances' | 'time'>, event: { type: string; data: unknown }): void => {
    entries.push({ ...entry, time: ledgerTimeOf(event), balances: { ...b } });
  };

  for (const recorded of events) {
    position = recorded.position;
    const event = recorded as unknown as LedgerStatementEvent & { position: string };
    const at = recorded.position;
    switch (event.type) {
      case 'FarmerRegistered':
        if (event.data.launcherId === launcherId) push({ position: at, kind: 'registered', note: `difficulty ${event.data.difficulty}` }, event);
        break;
      case 'FarmerUpdated':
        if (event.data.launcherId === launcherId) push({ position: at, kind: 'updated', note: event.data.payoutInstructions ? `payout to ${event.data.payoutInstructions}` : undefined }, event);
        break;
      case 'DifficultyChanged':
        if (event.data.launcherId === launcherId) push({ position: at, kind: 'difficulty', note: `${event.data.from} -> ${event.data.to} (${event.data.reason})` }, event);
        break;
      case 'FarmerLeftPool':
        if (event.data.launcherId === launcherId) push({ position: at, kind: 'left', note: event.data.reason }, event);
        break;
      case 'FarmerRejoinedPool':
        if (event.data.launcherId === launcherId) push({ position: at, kind: 'rejoined' }, event);
        break;
      case 'PartialSubmitted': {
        if (event.data.launcherId !== launcherId) break;
        const points = BigInt(event.data.points);
        submitted.set(event.data.proofHash, points);
        b.pending += points;
        push({ position: at, kind: 'credit', proofHash: event.data.proofHash, points }, event);
        break;
      }
      case 'PartialConfirmed': {
        if (event.data.launcherId !== launcherId || unpaid.has(event.data.proofHash)) break;
        const points = BigInt(event.data.points);
        if (submitted.has(event.data.proofHash)) b.pending -= points;
        b.confirmed += points;
        b.unpaid += points;
        unpaid.set(event.data.proofHash, { position: at, points });
        push({ position: at, kind: 'confirm', proofHash: event.data.proofHash, points }, event);
        break;
      }
      case 'PartialReverted': {
        if (event.data.launcherId !== launcherId) break;
        const points = BigInt(event.data.points);
        let note: string = event.data.reason;
        if (!event.data.wasConfirmed) {
          if (submitted.has(event.data.proofHash)) b.pending -= points;
        } else {
          b.confirmed -= points;
          const confirm = unpaid.get(event.data.proofHash);
          if (confirm) {
            unpaid.delete(event.data.proofHash);
            b.unpaid -= confirm.points;
          } else {
            b.revertedAfterPayout += points;
            note += ', already paid: not clawed back';
          }
        }
        if (event.data.forkHeight !== undefined) note += ` (fork at ${event.data.forkHeight})`;
        push({ position: at, kind: 'revert', proofHash: event.data.proofHash, points: -points, note }, event);
        break;
      }
      case 'PayoutPlanned': {
        const plan = event.data;
        if (payouts.has(plan.payoutId)) break;
        const before = b.unpaid;
        if (cutoff === undefined || plan.ledgerPosition > cutoff) {
          for (const [proof, confirm] of [...unpaid]) {
            if (confirm.position <= plan.ledgerPosition) {
              unpaid.delete(proof);
              b.unpaid -= confirm.points;
            }
          }
          cutoff = plan.ledgerPosition;
        }
        const allocation = plan.allocations.filter((a) => a.launcherId === launcherId).reduce((sum, a) => sum + BigInt(a.amount), 0n);
        const allocatedPoints = plan.allocations.filter((a) => a.launcherId === launcherId).reduce((sum, a) => sum + BigInt(a.points), 0n);
        const carried = plan.carried.filter((c) => c.launcherId === launcherId).reduce((sum, c) => sum + BigInt(c.amount), 0n);
        const listed = allocation > 0n || carried > 0n || plan.allocations.some((a) => a.launcherId === launcherId);
        if (allocation > 0n || plan.allocations.some((a) => a.launcherId === launcherId)) payouts.set(plan.payoutId, { amount: allocation, status: 'planned' });
        const carriedBefore = b.carried;
        b.carried = carried;
        b.allocated += allocation;
        if (listed || before !== b.unpaid || carriedBefore !== b.carried) {
          push(
            {
              position: at,
              kind: 'planned',
              points: b.unpaid - before,
              mojos: allocation,
              note: `payout ${plan.sequence}: ${allocatedPoints} points -> ${allocation} mojos, carried ${carried}`,
            },
            event,
          );
        }
        break;
      }
      case 'PayoutSent':
      case 'PayoutConfirmed':
      case 'PayoutFailed': {
        const payout = payouts.get(event.data.payoutId);
        if (!payout) break;
        if (event.type === 'PayoutSent' && payout.status !== 'abandoned') {
          payout.status = 'sent';
          push({ position: at, kind: 'sent', note: event.data.transactionIds.join(',') }, event);
        } else if (event.type === 'PayoutConfirmed' && payout.status !== 'abandoned' && payout.status !== 'confirmed') {
          payout.status = 'confirmed';
          b.paid += payout.amount;
          push({ position: at, kind: 'confirmed', mojos: payout.amount, note: `height ${event.data.confirmedHeight}` }, event);
        } else if (event.type === 'PayoutFailed') {
          if (event.data.willRetry) {
            if (payout.status === 'sent') payout.status = 'planned';
            push({ position: at, kind: 'failed', note: `${event.data.reason} (attempt ${event.data.attempt}, will retry)` }, event);
          } else if (payout.status !== 'abandoned' && payout.status !== 'confirmed') {
            payout.status = 'abandoned';
            b.carried += payout.amount;
            push({ position: at, kind: 'abandoned', mojos: payout.amount, note: `${event.data.reason}: allocation carried` }, event);
          }
        }
        break;
      }
    }
  }
  return { launcherId, entries, balances: { ...b }, position };
}
