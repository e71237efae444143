import { eventTypesOf, payoutsControlDecider, type PayoutsControlEvent, type PoolEvent, poolEvents } from '@pool/domain';
import { LedgerFollower, type EventStore } from '@pool/event-sourcing';

/** The event types the figures are folded from: rewards, payouts, the payout switches and chain reorgs. */
export const LEDGER_FIGURE_EVENT_TYPES = [...eventTypesOf('reward'), ...eventTypesOf('payout'), ...eventTypesOf('payoutsControl'), ...eventTypesOf('chain')];

type RewardState = 'detected' | 'absorbed' | 'reverted';
type PayoutState = 'planned' | 'sent' | 'confirmed' | 'abandoned';

interface PayoutRecord {
  state: PayoutState;
  plannedAt: number;
  allocated: bigint;
}

/** A figure the metrics show, with its labels. */
export interface LedgerFigures {
  rewards: Record<RewardState | 'pending', number>;
  rewardMojos: Record<RewardState | 'pending', bigint>;
  payouts: Record<'planned' | 'sent' | 'confirmed' | 'failed' | 'abandoned', number>;
  payoutMojos: Record<'planned' | 'confirmed', bigint>;
  inFlight: number;
  /** plannedAt of the oldest payout neither confirmed nor abandoned. */
  oldestInFlightPlannedAt: number | undefined;
  pausedBy: string[];
  reorgs: { shallow: number; deep: number; maxDepth: number; lastDepth: number };
}

interface FigureEvent {
  type: string;
  data: unknown;
}

/**
 * Folds rewards, payouts, pause switches and reorgs out of the ledger, incrementally: each scrape reads only the
 * events recorded since the previous one (filtered by type, so the partial traffic is never read). Nothing here
 * decides money; it only counts what the ledger says happened.
 */
export class LedgerFigureFold {
  /** Made on the first catch-up, over the store it is given. */
  private ledger: LedgerFollower<PoolEvent> | undefined;
  private readonly rewardStates = new Map<string, { state: RewardState; amount: bigint }>();
  private readonly payoutRecords = new Map<string, PayoutRecord>();
  private failedAttempts = 0;
  private control = payoutsControlDecider.initialState();
  private readonly reorgIds = new Set<string>();
  private reorgs = { shallow: 0, deep: 0, maxDepth: 0, lastDepth: 0 };
  private catchingUp: Promise<void> | undefined;

  /** Reads what is new in the store; concurrent scrapes share one read. */
  catchUp(store: EventStore, pageSize = 2000): Promise<void> {
    this.catchingUp ??= (async () => {
      this.ledger ??= new LedgerFollower(store, { ...poolEvents(...LEDGER_FIGURE_EVENT_TYPES), pageSize });
      // Taken first: every event at or before it is visible to the reads below. Starting the next scrape from it
      // (not from the last matching event) keeps a store full of partials from being rescanned on every scrape.
      const head = await store.headPosition();
      await this.ledger.catchUp((event) => this.apply(event));
      this.ledger.skipTo(head);
    })().finally(() => (this.catchingUp = undefined));
    return this.catchingUp;
  }

  apply(event: FigureEvent): void {
    const data = event.data as Record<string, unknown>;
    switch (event.type) {
      case 'RewardDetected':
        if (!this.rewardStates.has(String(data.coinId))) this.rewardStates.set(String(data.coinId), { state: 'detected', amount: BigInt(String(data.amount)) });
        break;
      case 'RewardAbsorbed':
      case 'RewardReverted': {
        const known = this.rewardStates.get(String(data.coinId));
        this.rewardStates.set(String(data.coinId), {
          state: event.type === 'RewardAbsorbed' ? 'absorbed' : 'reverted',
          amount: known?.amount ?? BigInt(String(data.amount)),
        });
        break;
      }
      case 'PayoutPlanned': {
        const allocations = (data.allocations as { amount: string }[] | undefined) ?? [];
        this.payoutRecords.set(String(data.payoutId), {
          state: 'planned',
          plannedAt: Number(data.plannedAt),
          allocated: allocations.reduce((sum, a) => sum + BigInt(a.amount), 0n),
        });
        break;
      }
      case 'PayoutSent':
      case 'PayoutConfirmed': {
        const record = this.payoutRecords.get(String(data.payoutId));
        if (record && record.state !== 'confirmed') record.state = event.type === 'PayoutSent' ? 'sent' : 'confirmed';
        break;
      }
      case 'PayoutFailed': {
        this.failedAttempts++;
        const record = this.payoutRecords.get(String(data.payoutId));
        if (record && data.willRetry === false) record.state = 'abandoned';
        break;
      }
      case 'PayoutsPaused':
      case 'PayoutsResumed':
        // The switches by the one payouts-control rule, as the saga holds them.
        this.control = payoutsControlDecider.evolve(this.control, event as PayoutsControlEvent);
        break;
      case 'ChainReorgDetected': {
        // Two instances may both report one reorg; its id makes it one fact.
        const id = String(data.reorgId ?? `${data.forkHeight}:${data.at}`);
        if (this.reorgIds.has(id)) break;
        this.reorgIds.add(id);
        const depth = Number(data.depth);
        if (data.deep === true) this.reorgs.deep++;
        else this.reorgs.shallow++;
        this.reorgs.maxDepth = Math.max(this.reorgs.maxDepth, depth);
        this.reorgs.lastDepth = depth;
        break;
      }
    }
  }

  figures(): LedgerFigures {
    const rewards = { detected: 0, absorbed: 0, reverted: 0, pending: 0 };
    const rewardMojos = { detected: 0n, absorbed: 0n, reverted: 0n, pending: 0n };
    for (const { state, amount } of this.rewardStates.values()) {
      rewards.detected++;
      rewardMojos.detected += amount;
      if (state === 'detected') {
        rewards.pending++;
        rewardMojos.pending += amount;
      } else {
        rewards[state]++;
        rewardMojos[state] += amount;
      }
    }
    const payouts = { planned: 0, sent: 0, confirmed: 0, failed: this.failedAttempts, abandoned: 0 };
    const payoutMojos = { planned: 0n, confirmed: 0n };
    let inFlight = 0;
    let oldestInFlightPlannedAt: number | undefined;
    for (const record of this.payoutRecords.values()) {
      payouts.planned++;
      payoutMojos.planned += record.allocated;
      if (record.state === 'sent') payouts.sent++;
      if (record.state === 'confirmed') {
        // A confirmed payout was sent first, even if a restart recorded PayoutConfirmed straight after the plan.
        payouts.sent++;
        payouts.confirmed++;
        payoutMojos.confirmed += record.allocated;
      }
      if (record.state === 'abandoned') payouts.abandoned++;
      if (record.state === 'planned' || record.state === 'sent') {
        inFlight++;
        oldestInFlightPlannedAt = Math.min(oldestInFlightPlannedAt ?? record.plannedAt, record.plannedAt);
      }
    }
    return {
      rewards,
      rewardMojos,
      payouts,
      payoutMojos,
      inFlight,
      oldestInFlightPlannedAt,
      pausedBy: Object.keys(this.control.pausedBy).sort(),
      reorgs: { ...this.reorgs },
    };
  }
}
