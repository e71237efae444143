import type { PayoutPlanned } from '../payouts/payout.events';

type PlannedData = PayoutPlanned['data'];

/** What a payout's signing, fee bumps and resolution are checked against (payout.audit.ts). */
export interface AuditedPlan {
  transactions: PlannedData['transactions'];
  poolFeePuzzleHash: string;
  /** Seen signed. */
  signed: boolean;
  /** The fee each signed transaction pays so far, by index. */
  fees: Map<number, bigint>;
  plan: Pick<PlannedData, 'allocations' | 'poolFee' | 'transactions'>;
  /** The memo its signing committed to (every fee bump carries it too); undefined: signed without one. */
  commitmentMemo?: string;
}

/**
 * Where the audit files an abandoned payout's plan, as text, until a later event of that payout needs it again. An
 * abandoned payout stays open for good (its transactions can still land) and its plan lists every farmer it pays:
 * a pool abandons few, but a long ledger's add up. A late confirmation needs none of it; a settlement in part does.
 */
export interface PlanArchive {
  filePlan(payoutId: string, plan: string): void;
  /** Removes and returns what was filed for this payout, if anything. */
  takePlan(payoutId: string): string | undefined;
}

/** The lists a filed plan leaves in the archive: the bulk of it (every farmer, every payment). */
interface FiledLists {
  transactions: PlannedData['transactions'];
  allocations: PlannedData['allocations'];
  /** fees as [index, mojos] */
  fees: [number, string][];
}

/** The audit's plans by payout id; with an archive, abandoned ones leave their lists there until asked for. */
export class AuditedPlans {
  private readonly plans = new Map<string, AuditedPlan & { filed?: true }>();

  constructor(private readonly archive: PlanArchive | undefined) {}

  has(payoutId: string): boolean {
    return this.plans.has(payoutId);
  }

  add(plan: PlannedData): void {
    const transactions = plan.transactions ?? [];
    this.plans.set(plan.payoutId, {
      transactions,
      poolFeePuzzleHash: plan.poolFee?.puzzleHash,
      signed: false,
      fees: new Map(),
      plan: { allocations: plan.allocations ?? [], poolFee: plan.poolFee ?? { puzzleHash: '', amount: '0' }, transactions },
    });
  }

  /** The payout's plan, taken back from the archive if it was filed there: the checks read it whole. */
  get(payoutId: string): AuditedPlan | undefined {
    const plan = this.plans.get(payoutId);
    if (plan?.filed !== true) return plan;
    const text = this.archive?.takePlan(payoutId);
    if (text === undefined) throw new Error(`the plan of payout ${payoutId} was filed and is not in the archive`);
    const lists = JSON.parse(text) as FiledLists;
    const { filed: _, ...kept } = plan;
    const back: AuditedPlan = {
      ...kept,
      transactions: lists.transactions,
      fees: new Map(lists.fees.map(([index, fee]) => [index, BigInt(fee)])),
      plan: { ...plan.plan, allocations: lists.allocations, transactions: lists.transactions },
    };
    this.plans.set(payoutId, back);
    return back;
  }

  /** An abandoned payout: its lists to the archive (none: they stay), what refuses its later events here. */
  fileAbandoned(payoutId: string): void {
    const plan = this.plans.get(payoutId);
    if (this.archive === undefined || plan === undefined || plan.filed === true) return;
    const lists: FiledLists = { transactions: plan.transactions, allocations: plan.plan.allocations, fees: [...plan.fees].map(([index, fee]) => [index, fee.toString()]) };
    this.archive.filePlan(payoutId, JSON.stringify(lists));
    this.plans.set(payoutId, { ...withoutLists(plan), filed: true });
  }

  /**
   * A confirmed payout, or one paid in part, takes no more signing, fee bump or resolution: each of those is refused
   * on its status before its plan is read. So its transactions and allocations (a list of every farmer paid, for each
   * of a pool's thousands of payouts) need not stay; that the plan was there and signed does, for those refusals.
   */
  settle(payoutId: string): void {
    const plan = this.plans.get(payoutId);
    if (plan === undefined) return;
    if (plan.filed === true) this.archive?.takePlan(payoutId);
    const { filed: _, ...kept } = plan;
    this.plans.set(payoutId, withoutLists(kept));
  }
}

const withoutLists = (plan: AuditedPlan): AuditedPlan => ({ ...plan, transactions: [], fees: new Map(), plan: { ...plan.plan, allocations: [], transactions: [] } });
