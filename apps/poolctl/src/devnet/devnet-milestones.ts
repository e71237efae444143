import { type PayoutPlanned, type PoolEvent, poolEvents, type PoolEventType } from '@pool/domain';
import { LedgerFollower, type EventStore, type GlobalPosition } from '@pool/event-sourcing';
import { formatXch } from './reward-tally';

/** The steps of the pool's cycle a newcomer should see, in the order they happen. */
export const MILESTONES = ['partialAccepted', 'pointsConfirmed', 'blockWon', 'rewardAbsorbed', 'payoutSent', 'payoutConfirmed'] as const;
export type Milestone = (typeof MILESTONES)[number];

/** Real seconds from the start of the run to the first time each milestone happened. */
export type MilestoneTimes = Partial<Record<Milestone, number>>;

/** The ledger event that marks each milestone (a block won is seen by the farmers, not the ledger). */
const EVENT_OF: Record<Exclude<Milestone, 'blockWon'>, PoolEventType> = {
  partialAccepted: 'PartialSubmitted',
  pointsConfirmed: 'PartialConfirmed',
  rewardAbsorbed: 'RewardAbsorbed',
  payoutSent: 'PayoutSent',
  payoutConfirmed: 'PayoutConfirmed',
};

const short = (launcherId: string): string => `0x${launcherId.replace(/^0x/, '').slice(0, 8)}…`;

/**
 * Prints "first partial accepted after 9.1 s" and the like, once each, as the ledger records them. It reads the
 * store, not the loops' logs: what it announces is what an auditor will find. Only events appended after the
 * run started count, so a run on an existing data directory shows its own cycle.
 */
export class DevnetMilestones {
  readonly times: MilestoneTimes = {};
  /** Reads only the types of the milestones still ahead: made again, from its checkpoint, when that list shrinks. */
  private ledger: { types: string; follower: LedgerFollower<PoolEvent> } | undefined;
  /** Payout plans seen, to describe a payout when it is sent. */
  private readonly plans = new Map<string, PayoutPlanned['data']>();

  private constructor(
    private readonly store: EventStore,
    private readonly startedAtMs: number,
    private readonly log: (line: string) => void,
    private readonly clockMs: () => number,
  ) {}

  static async start(
    store: EventStore,
    startedAtMs: number,
    log: (line: string) => void,
    clockMs: () => number = Date.now,
  ): Promise<DevnetMilestones> {
    const milestones = new DevnetMilestones(store, startedAtMs, log, clockMs);
    milestones.follower(await store.headPosition());
    return milestones;
  }

  /** True once every milestone has happened. */
  get complete(): boolean {
    return MILESTONES.every((m) => this.times[m] !== undefined);
  }

  /** Called by the farmers' loop: blocks are not ledger facts until the reward collector finds their coins. */
  blockWon(height: number, launcherId: string): void {
    this.reach('blockWon', `(height ${height}, plot NFT ${short(launcherId)}; 7/8 of the reward goes to its pool contract)`);
  }

  /** Reads what the ledger recorded since the last call and announces the milestones it contains. */
  async poll(): Promise<void> {
    if (this.wantedTypes().length === 0) return;
    const head = await this.store.headPosition();
    const ledger = this.follower();
    await ledger.catchUp((event) => this.see(event));
    // Every event up to `head` has been looked at: the next poll starts past the traffic it skipped.
    ledger.skipTo(head);
  }

  /** The follower of the milestones still ahead, from the previous one's checkpoint (or `after`). */
  private follower(after?: GlobalPosition): LedgerFollower<PoolEvent> {
    const types = this.wantedTypes();
    const key = types.join(',');
    if (this.ledger?.types !== key) {
      const from = this.ledger?.follower.position ?? after;
      this.ledger = { types: key, follower: new LedgerFollower(this.store, { ...poolEvents(...types), pageSize: 500, ...(from === undefined ? {} : { after: from }) }) };
    }
    return this.ledger.follower;
  }

  private wantedTypes(): PoolEventType[] {
    const types = Object.entries(EVENT_OF)
      .filter(([milestone]) => this.times[milestone as Milestone] === undefined)
      .map(([, type]) => type);
    // A payout is described from its plan when it is sent.
    if (this.times.payoutSent === undefined) types.push('PayoutPlanned');
    return types;
  }

  private see(event: PoolEvent): void {
    switch (event.type) {
      case 'PartialSubmitted': {
        const { data } = event;
        this.reach('partialAccepted', `(plot NFT ${short(data.launcherId)}, k${data.plotSize}, ${data.points} point(s))`);
        break;
      }
      case 'PartialConfirmed': {
        const { data } = event;
        this.reach('pointsConfirmed', `(${data.points} point(s) of plot NFT ${short(data.launcherId)})`);
        break;
      }
      case 'RewardAbsorbed': {
        const { data } = event;
        this.reach('rewardAbsorbed', `(${formatXch(BigInt(data.amount))} XCH into the pool wallet at height ${data.absorbedHeight})`);
        break;
      }
      case 'PayoutPlanned': {
        const { data } = event;
        this.plans.set(data.payoutId, data);
        break;
      }
      case 'PayoutSent': {
        const { data } = event;
        const plan = this.plans.get(data.payoutId);
        const paid = plan?.allocations.reduce((sum, a) => sum + BigInt(a.amount), 0n);
        const what = plan === undefined || paid === undefined ? '' : `: ${formatXch(paid)} XCH to ${plan.allocations.length} farmer(s)`;
        this.reach('payoutSent', `(payout ${data.payoutId}${what} in ${data.transactionIds.length} transaction(s))`);
        break;
      }
      case 'PayoutConfirmed': {
        const { data } = event;
        this.reach('payoutConfirmed', `(payout ${data.payoutId} buried at height ${data.confirmedHeight})`);
        break;
      }
    }
  }

  private reach(milestone: Milestone, detail: string): void {
    if (this.times[milestone] !== undefined) return;
    const seconds = Math.max(0, (this.clockMs() - this.startedAtMs) / 1000);
    this.times[milestone] = seconds;
    this.log(`${LABEL[milestone]} after ${seconds.toFixed(1)} s ${detail}`);
    if (this.complete) this.log(`the whole cycle, from the first partial to a confirmed payout, took ${seconds.toFixed(1)} s from the start of the run`);
  }
}

const LABEL: Record<Milestone, string> = {
  partialAccepted: 'first partial accepted',
  pointsConfirmed: 'first points confirmed',
  blockWon: 'first block won by a pool farmer',
  rewardAbsorbed: 'first reward absorbed',
  payoutSent: 'first payout sent',
  payoutConfirmed: 'first payout confirmed',
};
