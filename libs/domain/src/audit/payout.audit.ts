import { applyToPayoutLedger, createPayoutLedger, PAYOUT_LEDGER_EVENT_TYPES, type PayoutLedger } from '../payouts/payout-ledger';
import { payoutBalance, planPayout, totalCarried, type PayoutDraft } from '../payouts/payout-plan';
import { upcastPayoutPlanned } from '../payouts/payout-planned.schema';
import { checkPredictedCoinIds, checkSignedTransaction } from '../payouts/payout-transactions';
import { feeRuleProblem } from '../payouts/payout-fees';
import { payoutSettlement } from '../payouts/payout-settlement';
import type { PayoutEvent, PayoutFeeBumped, PayoutPlanned, PayoutResolved, PayoutSigned } from '../payouts/payout.events';
import type { RewardEvent } from '../rewards/reward.events';
import { SealVerifier, type SealAuditSummary, type SealVerifierOptions } from '../ledger-seals/seal-verifier';
import type { LedgerRecord } from '../ledger-seals/ledger-encoding';
import type { BooksClosed } from '../books-closing/books-closing.events';
import { firstPartialToKeep, pplnsWindowReach, restoreBooks } from '../books-closing/books-snapshot';
import type { PartialArchive } from '../payouts/confirmed-partials';
import { ClosingChecker, type ClosingAuditSummary } from './closing.audit';
import type { LedgerSealed } from '../ledger-seals/ledger-seal.events';
import { commitmentProblem, type PayoutCommitment } from '../payouts/payout-commitment';
import { AuditedPlans, type PlanArchive } from './audited-plans';

/**
 * What the audit reads: the payout ledger's events, plus RewardDetected (one per reward coin, few), against which
 * every RewardAbsorbed and RewardReverted amount is checked, so a changed reward amount is named where it is even
 * when no later plan would notice.
 */
export const AUDIT_EVENT_TYPES = [...PAYOUT_LEDGER_EVENT_TYPES, 'RewardDetected', 'BooksClosed'] as const;

/**
 * One event of the store as the audit reads it (a RecordedEvent fits, and so does an export's record). Stream, id
 * and schema version are part of what the seals hash: without them no seal can match.
 */
export interface AuditEvent {
  position: string;
  type: string;
  data: unknown;
  stream?: string;
  id?: string;
  schemaVersion?: number;
}

const AUDITED_TYPES: ReadonlySet<string> = new Set(AUDIT_EVENT_TYPES);

export interface PayoutAuditResult {
  payoutId: string;
  sequence: number;
  /** Position of the PayoutPlanned event. */
  position: string;
  ledgerPosition: string;
  status: 'match' | 'mismatch';
  /** The first difference, e.g. "allocations[2].amount expected 5 recorded 6". */
  difference?: string;
}

/** Something wrong that is not one plan's arithmetic: a saga event without its plan, unbalanced books. */
export interface AuditProblem {
  position: string | undefined;
  message: string;
}

export interface AuditSummary {
  events: number;
  payouts: number;
  mismatches: number;
  /** Absorbed rewards still held (not reverted): what the books must account for. */
  absorbed: bigint;
  undistributed: bigint;
  /** Payouts not abandoned: allocations, pool fees, blockchain fees; and how much of the allocations is confirmed paid. */
  allocated: bigint;
  paid: bigint;
  poolFees: bigint;
  blockchainFees: bigint;
  carried: bigint;
  returnedFunds: bigint;
  rewardDeficit: bigint;
  /** absorbed == undistributed + allocated + poolFees + blockchainFees + carried + returnedFunds - rewardDeficit */
  balanced: boolean;
}

/** An operator's decision on a payout (PayoutResolved), as the audit reports it. */
export interface AuditResolution {
  position: string;
  payoutId: string;
  decision: PayoutResolved['data']['decision'];
  landedTransactions: number[];
  reason: string;
  /** Mojos the landed transactions paid to farmers (0 for an abandonment). */
  paidToFarmers: bigint;
}

export interface AuditReport {
  ok: boolean;
  results: PayoutAuditResult[];
  problems: AuditProblem[];
  /**
   * Every operator's resolution, in ledger order: the books count them, the operator should know of them. Absent
   * when there is none, so a ledger from before resolutions existed audits to the report of its time.
   */
  resolutions?: AuditResolution[];
  summary: AuditSummary;
  /** The ledger after the last event (statements and tests read it). */
  ledger: PayoutLedger;
  /** What the seals say (ledger-seals/); absent for a ledger with no seal, such as one recorded before seals. */
  seals?: SealAuditSummary;
  /** The books closings checked (closing.audit.ts); absent for a ledger with none, such as one recorded before them. */
  closings?: ClosingAuditSummary;
}

export interface AuditOptions {
  /**
   * How many events after a plan's `ledgerPosition` may precede the plan itself (events appended while it was
   * being computed). The audit holds that many back before folding them. Default 100,000.
   */
  maxPlanLag?: number;
  /** Called with each payout's result as soon as it is known (the CLI prints as it goes). */
  onResult?: (result: PayoutAuditResult) => void;
  /** How far back a seal's segment may start and still be checked (SealVerifier). */
  seals?: SealVerifierOptions;
  /**
   * Audit one period alone: start from this closing's snapshot instead of the ledger's first event, and read only the
   * events after its closedPosition. Seals are not checked (their chain runs from the first event).
   */
  from?: BooksClosed['data'];
  /**
   * Where the audit files the confirmed partials no PPLNS window or unpaid confirm reaches any more (after each plan),
   * taking them back when a later window or closing reaches them: the report is the same, and the memory the partials
   * take stays that of a window, whatever the ledger's age. None: every partial stays in memory.
   */
  archive?: PartialArchive;
  /** Partials moved between memory and the archive at a time, at least (default 4,096): each move costs what stays held. */
  archiveBatch?: number;
  /** Where abandoned payouts' plans wait, out of memory, for a later event of theirs (audited-plans.ts). None: they stay. */
  planArchive?: PlanArchive;
}

type PlannedData = PayoutPlanned['data'];

/** The first field where a recomputed draft and a recorded plan differ, or null when they agree. */
export function firstDifference(expected: PayoutDraft, recorded: PlannedData): string | null {
  const diff = (path: string, e: unknown, r: unknown): string | null => (e === r ? null : `${path} expected ${String(e)} recorded ${String(r)}`);
  const list = <T>(path: string, e: readonly T[], r: readonly T[], fields: (keyof T)[]): string | null => {
    if (!Array.isArray(r)) return `${path} expected a list of ${e.length} recorded ${JSON.stringify(r)}`;
    const n = Math.min(e.length, r.length);
    for (let i = 0; i < n; i++) {
      for (const field of fields) {
        const d = diff(`${path}[${i}].${String(field)}`, e[i]![field], r[i]?.[field]);
        if (d) return d;
      }
    }
    return diff(`${path}.length`, e.length, r.length);
  };
  return (
    diff('rewardTotal', expected.rewardTotal, recorded.rewardTotal) ??
    list('rewardCoinIds', expected.rewardCoinIds.map((coinId) => ({ coinId })), (recorded.rewardCoinIds ?? []).map((coinId) => ({ coinId })), ['coinId']) ??
    diff('returnedFunds', expected.returnedFunds, recorded.returnedFunds ?? '0') ??
    diff('deficitRecovered', expected.deficitRecovered, recorded.deficitRecovered ?? '0') ??
    diff('poolFee.puzzleHash', expected.poolFee.puzzleHash, recorded.poolFee?.puzzleHash) ??
    diff('poolFee.amount', expected.poolFee.amount, recorded.poolFee?.amount) ??
    diff('blockchainFee', expected.blockchainFee, recorded.blockchainFee) ??
    list('allocations', expected.allocations, recorded.allocations, ['launcherId', 'puzzleHash', 'points', 'amount']) ??
    list('carried', expected.carried, recorded.carried, ['launcherId', 'amount'])
  );
}

/** Recorded transactions against the plan: fees and payments add up (and a schema 1 plan's coin ids hash). */
function checkTransactions(plan: PlannedData): string | null {
  let fees = 0n;
  const outputs = new Map<string, bigint>();
  for (const [i, tx] of (plan.transactions ?? []).entries()) {
    const problem = checkPredictedCoinIds(tx);
    if (problem !== null) return `transactions[${i}].${problem}`;
    fees += BigInt(tx.fee);
    for (const a of tx.payments) outputs.set(a.puzzleHash, (outputs.get(a.puzzleHash) ?? 0n) + BigInt(a.amount));
  }
  if (fees !== BigInt(plan.blockchainFee)) return `transactions fees expected ${plan.blockchainFee} recorded ${fees}`;
  const owed = new Map<string, bigint>();
  const add = (puzzleHash: string, amount: bigint): void => {
    if (amount > 0n) owed.set(puzzleHash, (owed.get(puzzleHash) ?? 0n) + amount);
  };
  add(plan.poolFee.puzzleHash, BigInt(plan.poolFee.amount));
  for (const a of plan.allocations) add(a.puzzleHash, BigInt(a.amount));
  for (const [puzzleHash, amount] of owed) {
    const sent = outputs.get(puzzleHash) ?? 0n;
    if (sent !== amount) return `transactions pay ${sent} to ${puzzleHash}, the plan owes it ${amount}`;
  }
  for (const [puzzleHash, amount] of outputs) if (!owed.has(puzzleHash)) return `transactions pay ${amount} to ${puzzleHash}, which the plan owes nothing`;
  return null;
}

/**
 * Replays the ledger and recomputes every PayoutPlanned from the state at its recorded `ledgerPosition` with its
 * recorded scheme and time. Synchronous core of auditLedger: push events in store order, then finish().
 */
export class PayoutAuditor {
  readonly ledger: PayoutLedger;
  readonly results: PayoutAuditResult[] = [];
  readonly problems: AuditProblem[] = [];
  private readonly held: AuditEvent[] = [];
  private heldStart = 0;
  private readonly maxPlanLag: number;
  private readonly archiveBatch: number;
  private events = 0;
  private lastPosition: string | undefined;
  private nextSequence = 1;
  /** Saga status per payout id, from the events (the ledger's own view ignores illegal orders). */
  private readonly saga = new Map<string, 'planned' | 'sent' | 'confirmed' | 'failed' | 'resolved'>();
  readonly resolutions: AuditResolution[] = [];
  /** What each payout's signing, fee bumps and resolution are checked against (abandoned ones filed when archived). */
  private readonly plans: AuditedPlans;
  /** Seals through a payout plan, by sequence: what a signing's commitment names. */
  private readonly payoutSeals = new Map<number, { payoutId: string | null; hash: string }>();
  /** The books were already found unbalanced (reported once, where first seen). */
  private unbalanced = false;
  /** Amount and position of each RewardDetected, by coin id. */
  private readonly detected = new Map<string, { amount: string; position: string }>();

  private readonly closings: ClosingChecker;
  /**
   * What an audit started from a closing could not check for want of the events before it, by position: a PPLNS
   * window reaching before the partials the closing keeps (a mismatch saying so), a resolution of a payout planned
   * before the closing (let pass). The parallel audit (period.audit.ts) audits such a period again from further back.
   */
  readonly historyNeeded: { position: string; reason: string }[] = [];

  constructor(private readonly options: AuditOptions = {}) {
    this.maxPlanLag = options.maxPlanLag ?? 100_000;
    this.archiveBatch = options.archiveBatch ?? 4096;
    this.plans = new AuditedPlans(options.planArchive);
    const from = options.from;
    this.ledger = from === undefined ? createPayoutLedger() : restoreBooks(from.snapshot, from.closedPosition);
    this.closings = new ClosingChecker(from);
    this.ledger.partials.archive = options.archive;
    if (from === undefined) return;
    // What the period before knew: payout numbering, the statuses of the payouts not settled (a settled one left the
    // books for their sums), and the detected reward amounts.
    this.nextSequence = this.ledger.lastPayoutSequence + 1;
    const sagaStatus = { planned: 'planned', sent: 'sent', confirmed: 'confirmed', abandoned: 'failed', 'part-paid': 'resolved' } as const;
    for (const payout of this.ledger.payouts.values()) this.saga.set(payout.payoutId, sagaStatus[payout.status]);
    for (const reward of [...this.ledger.rewards.values(), ...from.snapshot.pendingDetections]) this.detected.set(reward.coinId, { amount: reward.amount.toString(), position: from.closedPosition });
  }

  /** A seal, for the commitments that name it (it is not a money event: the seal verifier checks it). */
  noteSeal(seal: LedgerSealed['data']): void {
    this.payoutSeals.set(seal.sequence, { payoutId: seal.payoutId, hash: seal.hash });
  }

  push(event: AuditEvent): void {
    this.events++;
    if (this.lastPosition !== undefined && event.position <= this.lastPosition) {
      this.problems.push({ position: event.position, message: `event out of order: position ${event.position} after ${this.lastPosition}` });
    }
    this.lastPosition = event.position;
    switch (event.type) {
      case 'PayoutPlanned':
        this.checkPlan(event.position, upcastPayoutPlanned((event as PayoutEvent & { type: 'PayoutPlanned' }).data));
        break;
      case 'PayoutSigned':
        this.checkSigned(event.position, (event as PayoutSigned).data);
        break;
      case 'PayoutFeeBumped':
        this.checkFeeBumped(event.position, (event as PayoutFeeBumped).data);
        break;
      case 'PayoutSent':
      case 'PayoutConfirmed':
      case 'PayoutFailed':
        this.checkSaga(event.position, event as PayoutEvent);
        break;
      case 'PayoutResolved':
        this.checkResolved(event.position, (event as PayoutResolved).data);
        break;
      case 'RewardDetected':
      case 'RewardAbsorbed':
      case 'RewardReverted':
        this.checkReward(event.position, event as RewardEvent);
        break;
      case 'BooksClosed':
        this.checkClosing(event.position, (event as BooksClosed).data);
        break;
    }
    if (event.type === 'PayoutConfirmed' || event.type === 'PayoutResolved') this.closings.settled(event.position, (event.data as { payoutId?: string } | undefined)?.payoutId);
    // Held for up to maxPlanLag events: what the fold reads only, not the record the store handed over.
    this.held.push({ position: event.position, type: event.type, data: event.data });
    if (this.held.length - this.heldStart > this.maxPlanLag) this.applyHeld(1);
  }

  /** Counters so far: a period audit reports what its own events added (period.audit.ts). */
  progress(): { events: number; closings: number; verified: number; lastClosedPosition: string | null } {
    return { events: this.events, ...this.closings.counts() };
  }

  finish(): AuditReport {
    this.applyHeld(this.held.length - this.heldStart);
    const ledger = this.ledger;
    const books = ledgerBooks(ledger);
    if (!books.balanced && !this.unbalanced) this.problems.push({ position: ledger.position, message: booksMessage(books) });
    const mismatches = this.results.filter((r) => r.status === 'mismatch').length;
    return {
      ok: mismatches === 0 && this.problems.length === 0,
      results: this.results,
      problems: this.problems,
      ...(this.resolutions.length > 0 ? { resolutions: this.resolutions } : {}),
      summary: { events: this.events, payouts: this.results.length, mismatches, ...books },
      ledger,
      ...(this.closings.summary() === undefined ? {} : { closings: this.closings.summary() }),
    };
  }

  /** A BooksClosed against the books this audit recomputes at its closedPosition (closing.audit.ts). */
  private checkClosing(position: string, data: Partial<BooksClosed['data']> | undefined): void {
    const closedPosition = data?.closedPosition;
    if (typeof closedPosition === 'string' && closedPosition < position) this.applyThrough(closedPosition);
    const keptAfter = data?.snapshot?.partials?.keptAfter;
    this.holdPartialsAfter(typeof keptAfter === 'string' ? keptAfter : null);
    const detections = [...this.detected].filter(([, d]) => typeof closedPosition === 'string' && d.position <= closedPosition).map(([coinId, d]) => ({ coinId, amount: d.amount }));
    this.problems.push(...this.closings.check(position, data, this.ledger, detections));
  }

  private applyHeld(count: number): void {
    const end = this.heldStart + count;
    for (let i = this.heldStart; i < end; i++) {
      const event = this.held[i]!;
      if (event.type === 'PartialConfirmed' || event.type === 'PartialReverted') this.checkPartial(event);
      try {
        applyToPayoutLedger(this.ledger, event, event.position);
      } catch (error) {
        // A tampered event can lack what its type promises; the audit reports it and goes on.
        this.problems.push({ position: event.position, message: `${event.type} cannot be applied: ${(error as Error).message}` });
      }
    }
    this.heldStart = end;
    if (this.heldStart === this.held.length) {
      this.held.length = 0;
      this.heldStart = 0;
    } else if (this.heldStart > 65_536) {
      this.held.splice(0, this.heldStart);
      this.heldStart = 0;
    }
  }

  /** Every partial after `position` (null: all) in memory, and the one before them: what a closing's snapshot lists. */
  private holdPartialsAfter(position: string | null): void {
    const partials = this.ledger.partials;
    while (partials.archived > 0 && (partials.length === 0 || position === null || partials.position(0) > position)) partials.takeBack(Math.max(this.archiveBatch, partials.length));
  }

  /** Every partial the plan's PPLNS window reaches in memory. */
  private holdWindow(plan: PlannedData): void {
    const partials = this.ledger.partials;
    while (partials.archived > 0 && !pplnsWindowReach(this.ledger, plan.scheme, plan.plannedAt).complete) partials.takeBack(Math.max(this.archiveBatch, partials.length));
  }

  /**
   * Files the partials before those a closing after this plan would keep (books-snapshot.ts: partialsToKeep), once at
   * least as many can go as stay, so each partial is moved a bounded number of times.
   */
  private prune(plan: PlannedData): void {
    const partials = this.ledger.partials;
    if (partials.archive === undefined) return;
    const from = firstPartialToKeep(this.ledger, { scheme: plan.scheme, plannedAt: plan.plannedAt });
    if (from >= Math.max(this.archiveBatch, partials.length - from)) partials.archiveBefore(from);
  }

  /** Folds held events up to `position` (inclusive), leaving later ones held. */
  private applyThrough(position: string): void {
    let end = this.heldStart;
    while (end < this.held.length && this.held[end]!.position <= position) end++;
    this.applyHeld(end - this.heldStart);
  }

  private checkPlan(position: string, plan: PlannedData): void {
    const result: PayoutAuditResult = {
      payoutId: String(plan?.payoutId),
      sequence: Number(plan?.sequence),
      position,
      ledgerPosition: String(plan?.ledgerPosition),
      status: 'match',
    };
    const mismatch = (difference: string): void => {
      result.status = 'mismatch';
      result.difference ??= difference;
    };
    try {
      if (plan.sequence !== this.nextSequence) mismatch(`payout sequence gap: expected payout ${this.nextSequence}, recorded ${plan.sequence}`);
      this.nextSequence = Math.max(this.nextSequence, plan.sequence + 1);
      if (this.saga.has(plan.payoutId)) mismatch(`payout ${plan.payoutId} planned twice`);
      this.saga.set(plan.payoutId, 'planned');
      if (!this.plans.has(plan.payoutId)) this.plans.add(plan);
      if (!(plan.ledgerPosition < position)) mismatch(`ledgerPosition ${plan.ledgerPosition} is not before the plan's own position`);
      this.applyThrough(plan.ledgerPosition);
      if (this.ledger.position !== undefined && this.ledger.position > plan.ledgerPosition) {
        mismatch(`ledgerPosition ${plan.ledgerPosition} is more than ${this.maxPlanLag} events before the plan; cannot rebuild that state`);
      }
      // The books at the plan's position (checked at every plan, so an imbalance is named where it first shows).
      const books = ledgerBooks(this.ledger);
      if (!books.balanced && !this.unbalanced) {
        this.unbalanced = true;
        this.problems.push({ position: this.ledger.position, message: booksMessage(books) });
      }
      this.holdWindow(plan);
      // Audited from a closing that kept too few partials for this window: not recomputable here, said so.
      if (this.ledger.partialsKeptAfter !== undefined && !pplnsWindowReach(this.ledger, plan.scheme, plan.plannedAt).complete) {
        mismatch(`its PPLNS window reaches before position ${this.ledger.partialsKeptAfter}, the oldest partial the closing this audit starts from keeps: audit from an earlier closing`);
        this.historyNeeded.push({ position, reason: 'PPLNS window before the kept partials' });
      }
      if (result.status === 'match') {
        const carriedBefore = totalCarried(this.ledger);
        const expected = planPayout(this.ledger, plan.scheme, plan.plannedAt);
        if (expected === null) mismatch(`nothing was payable at position ${plan.ledgerPosition}, yet a payout was recorded`);
        else {
          const difference = firstDifference(expected, plan);
          if (difference !== null) mismatch(difference);
        }
        const { distributable, accounted } = payoutBalance(plan, carriedBefore);
        if (distributable !== accounted) mismatch(`plan accounts for ${accounted} of a distributable ${distributable}`);
        const txProblem = checkTransactions(plan);
        if (txProblem !== null) mismatch(txProblem);
        const feeProblem = feeRuleProblem(plan.scheme);
        if (feeProblem !== null) mismatch(feeProblem);
      }
      this.prune(plan);
    } catch (error) {
      mismatch(`plan cannot be recomputed: ${(error as Error).message}`);
    }
    this.results.push(result);
    this.options.onResult?.(result);
  }

  /**
   * Each recorded bundle against its plan: it spends only the planned coins and pays exactly the planned amounts to
   * the planned puzzle hashes (checkSignedTransaction). A wallet that built something else, or a PayoutSigned changed
   * afterwards, is named here with its payout.
   */
  private checkSigned(position: string, data: Partial<PayoutSigned['data']> | undefined): void {
    const payoutId = String(data?.payoutId);
    const problem = (message: string): void => void this.problems.push({ position, message: `PayoutSigned for ${payoutId}: ${message}` });
    const plan = this.plans.get(payoutId);
    if (plan === undefined) return problem('no PayoutPlanned before it');
    if (this.saga.get(payoutId) !== 'planned') return problem(`payout is ${this.saga.get(payoutId)}, not planned`);
    if (plan.signed) return problem('payout signed twice');
    plan.signed = true;
    const transactions = Array.isArray(data?.transactions) ? data.transactions : [];
    if (transactions.length !== plan.transactions.length) return problem(`${transactions.length} signed transaction(s) for ${plan.transactions.length} planned`);
    const commitment = data?.commitment;
    if (commitment !== undefined) {
      const wrong = this.commitmentProblem(payoutId, plan.plan.allocations, commitment);
      if (wrong !== null) return problem(wrong);
      plan.commitmentMemo = commitment.memo;
    }
    const seen = new Set<number>();
    for (const tx of transactions) {
      const planned = plan.transactions[tx.index];
      if (planned === undefined || seen.has(tx.index)) return problem(`signed transaction index ${tx.index} is not one planned transaction`);
      seen.add(tx.index);
      const difference = checkSignedTransaction(planned, tx, plan.poolFeePuzzleHash, plan.commitmentMemo);
      if (difference !== null) return problem(`signed transaction ${tx.index} ${difference}`);
      plan.fees.set(tx.index, BigInt(tx.fee));
    }
  }

  /**
   * A signing's commitment is the plan's (root and memo) and names the seal recorded through this payout's plan, with
   * that seal's hash; the seal itself is checked against every event before it (SealVerifier). So the memo on chain
   * ties the transactions to a sealed ledger whose plan recomputes here.
   */
  private commitmentProblem(payoutId: string, allocations: PlannedData['allocations'], commitment: PayoutCommitment): string | null {
    const wrong = commitmentProblem({ payoutId, allocations }, commitment);
    if (wrong !== null) return `its commitment ${wrong}`;
    const seal = this.payoutSeals.get(commitment.sealSequence);
    if (seal === undefined) return `its commitment names seal ${commitment.sealSequence}, which is not recorded before it`;
    if (seal.payoutId !== payoutId) return `its commitment names seal ${commitment.sealSequence}, which seals through ${seal.payoutId ?? 'no payout plan'}`;
    if (seal.hash !== commitment.sealHash) return `its commitment names seal ${commitment.sealSequence} with hash ${commitment.sealHash}, the seal's is ${seal.hash}`;
    return null;
  }

  /**
   * A fee bump's new versions, like a signing: each spends exactly the planned coins (so every version of a transaction
   * excludes the others on chain, and a farmer is paid by one of them at most) and pays exactly the planned amounts, and
   * each pays more fee than the version it replaces. Only a sent payout's fee is bumped.
   */
  private checkFeeBumped(position: string, data: Partial<PayoutFeeBumped['data']> | undefined): void {
    const payoutId = String(data?.payoutId);
    const problem = (message: string): void => void this.problems.push({ position, message: `PayoutFeeBumped for ${payoutId}: ${message}` });
    const plan = this.plans.get(payoutId);
    if (plan === undefined) return problem('no PayoutPlanned before it');
    if (!plan.signed) return problem('payout was never signed');
    if (this.saga.get(payoutId) !== 'sent') return problem(`payout is ${this.saga.get(payoutId)}, not sent`);
    const transactions = Array.isArray(data?.transactions) ? data.transactions : [];
    if (transactions.length === 0) return problem('no transaction re-signed');
    for (const tx of transactions) {
      const planned = plan.transactions[tx.index];
      if (planned === undefined) return problem(`transaction index ${tx.index} is not one planned transaction`);
      const difference = checkSignedTransaction(planned, tx, plan.poolFeePuzzleHash, plan.commitmentMemo);
      if (difference !== null) return problem(`transaction ${tx.index} ${difference}`);
      const previous = plan.fees.get(tx.index);
      if (previous !== undefined && BigInt(tx.fee) <= previous) return problem(`transaction ${tx.index} pays a fee of ${tx.fee}, not more than the ${previous} it replaces`);
      plan.fees.set(tx.index, BigInt(tx.fee));
    }
  }

  /**
   * An operator's resolution: allowed in the state the decider allows it in (abandon: planned or sent; paid-in-part:
   * planned, sent or abandoned, naming some but not all transactions, each signed or predicted), and what it says
   * the landed transactions paid is what the plan says they pay: the balances move by that, so a changed
   * resolution would move money no plan allowed.
   */
  private checkResolved(position: string, data: Partial<PayoutResolved['data']> | undefined): void {
    const payoutId = String(data?.payoutId);
    const problem = (message: string): void => void this.problems.push({ position, message: `PayoutResolved for ${payoutId}: ${message}` });
    const status = this.saga.get(payoutId);
    const plan = this.plans.get(payoutId);
    if (status !== undefined && plan === undefined && this.options.from !== undefined) {
      // Planned before the closing this audit starts from: its plan is not here to settle against (the full audit does).
      this.saga.set(payoutId, data?.decision === 'abandon' ? 'failed' : 'resolved');
      this.historyNeeded.push({ position, reason: `PayoutResolved for ${payoutId}: its plan is before the closing` });
      return;
    }
    if (status === undefined || plan === undefined) return problem('no PayoutPlanned before it');
    const landed = Array.isArray(data?.landedTransactions) ? data.landedTransactions : [];
    if (data?.decision === 'abandon') {
      if (status !== 'planned' && status !== 'sent') return problem(`abandons a payout that is ${status}`);
      if (landed.length > 0) return problem('an abandonment names landed transactions');
      this.saga.set(payoutId, 'failed');
      this.plans.fileAbandoned(payoutId);
    } else if (data?.decision === 'paid-in-part') {
      if (status !== 'planned' && status !== 'sent' && status !== 'failed') return problem(`pays in part a payout that is ${status}`);
      if (landed.length === 0 || landed.length >= plan.transactions.length) return problem(`names ${landed.length} of ${plan.transactions.length} transactions as landed`);
      const unknown = landed.find((i) => !plan.fees.has(i) && plan.transactions[i]?.predicted === undefined);
      if (unknown !== undefined) return problem(`transaction ${unknown} has no recorded coins: nobody can know it landed`);
      this.saga.set(payoutId, 'resolved');
    } else {
      return problem(`unknown decision ${String(data?.decision)}`);
    }
    let expected: ReturnType<typeof payoutSettlement>;
    try {
      expected = data.decision === 'abandon' ? { launcherIds: [], poolFee: '0', blockchainFee: '0' } : payoutSettlement(plan.plan, landed);
    } catch (error) {
      return problem(`its plan cannot be settled: ${(error as Error).message}`);
    }
    const settled = data.settled;
    const same = settled !== undefined && sameIds(settled.launcherIds ?? [], expected.launcherIds) && settled.poolFee === expected.poolFee && settled.blockchainFee === expected.blockchainFee;
    if (!same) {
      return problem(`records as settled ${JSON.stringify(data.settled)}, the plan says its landed transactions pay ${JSON.stringify(expected)}`);
    }
    const paidIds = new Set(expected.launcherIds);
    const paidToFarmers = plan.plan.allocations.filter((a) => paidIds.has(a.launcherId)).reduce((sum, a) => sum + BigInt(a.amount), 0n);
    this.resolutions.push({ position, payoutId, decision: data.decision, landedTransactions: landed, reason: String(data.reason), paidToFarmers });
    if (data.decision === 'paid-in-part') this.plans.settle(payoutId);
  }

  /**
   * A partial is confirmed once and a confirmed one reverted once (the partial decider allows no other order), so
   * a second confirmation, or a revert of a confirmation the ledger does not hold, means an event was copied or
   * deleted. Checked against the ledger's own index as each event is folded: no memory of its own.
   */
  private checkPartial(event: AuditEvent): void {
    const data = event.data as { proofHash?: string; wasConfirmed?: boolean } | undefined;
    const confirmedAt = this.ledger.partials.find(String(data?.proofHash))?.position;
    if (event.type === 'PartialConfirmed' && confirmedAt !== undefined) {
      this.problems.push({ position: event.position, message: `PartialConfirmed for proof ${String(data?.proofHash)}: confirmed already at position ${confirmedAt}` });
    } else if (event.type === 'PartialReverted' && data?.wasConfirmed === true && confirmedAt === undefined && this.ledger.partialsKeptAfter === undefined) {
      this.problems.push({ position: event.position, message: `PartialReverted for proof ${String(data?.proofHash)}: reverts a confirmation that is not in the ledger` });
    }
  }

  /** A reward's amount is fixed when it is detected; an absorb or revert that says otherwise was changed. */
  private checkReward(position: string, event: RewardEvent): void {
    const data = event.data as Partial<RewardEvent['data']> | undefined;
    const coinId = String(data?.coinId);
    if (event.type === 'RewardDetected') {
      this.detected.set(coinId, { amount: String(data?.amount), position });
      return;
    }
    const detected = this.detected.get(coinId);
    if (detected === undefined) {
      this.problems.push({ position, message: `${event.type} for reward ${coinId}: no RewardDetected before it` });
    } else if (detected.amount !== String(data?.amount)) {
      this.problems.push({
        position,
        message: `${event.type} for reward ${coinId}: amount ${String(data?.amount)} differs from ${detected.amount} detected at position ${detected.position}`,
      });
    }
  }

  private checkSaga(position: string, event: PayoutEvent): void {
    const payoutId = event.data.payoutId;
    const status = this.saga.get(payoutId);
    const problem = (message: string): void => void this.problems.push({ position, message: `${event.type} for ${payoutId}: ${message}` });
    if (status === undefined) return problem('no PayoutPlanned before it');
    if (event.type === 'PayoutSent') {
      if (status !== 'planned') problem(`payout is ${status}`);
      else this.saga.set(payoutId, 'sent');
    } else if (event.type === 'PayoutConfirmed') {
      // After 'failed': the abandoned payout's coins appeared on chain; the ledger takes the returned money back.
      if (status === 'planned' || status === 'resolved') problem(`payout is ${status}, not sent`);
      else {
        this.saga.set(payoutId, 'confirmed');
        this.plans.settle(payoutId);
      }
    } else if (event.type === 'PayoutFailed') {
      if (status === 'confirmed') problem('payout was already confirmed');
      else if (status === 'resolved') problem('payout was resolved by an operator');
      else {
        this.saga.set(payoutId, event.data.willRetry ? 'planned' : 'failed');
        if (!event.data.willRetry) this.plans.fileAbandoned(payoutId);
      }
    }
  }
}

const sameIds = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((id, i) => id === b[i]);

type Books = Omit<AuditSummary, 'events' | 'payouts' | 'mismatches'>;

/**
 * Every mojo the ledger holds, by where it is: absorbed == undistributed + allocated + pool fees + blockchain fees +
 * carried + returned - deficit. Each event the fold applies keeps this equal, so it holds at every position.
 */
function ledgerBooks(ledger: PayoutLedger): Books {
  let absorbed = 0n;
  let undistributed = 0n;
  for (const reward of ledger.rewards.values()) {
    if (reward.state !== 'reverted') absorbed += reward.amount;
    if (reward.state === 'undistributed') undistributed += reward.amount;
  }
  // Settled payouts are summed as they settle (PayoutLedger.settled); the ones held are planned, sent or abandoned.
  let { allocated, poolFees, blockchainFees } = ledger.settled;
  const paid = allocated;
  for (const payout of ledger.payouts.values()) {
    if (payout.status === 'abandoned') continue;
    for (const allocation of payout.allocations) allocated += allocation.amount;
    poolFees += payout.poolFee;
    blockchainFees += payout.blockchainFee;
  }
  const carried = totalCarried(ledger);
  const { returnedFunds, rewardDeficit } = ledger;
  const balanced = absorbed === undistributed + allocated + poolFees + blockchainFees + carried + returnedFunds - rewardDeficit;
  return { absorbed, undistributed, allocated, paid, poolFees, blockchainFees, carried, returnedFunds, rewardDeficit, balanced };
}

const booksMessage = (b: Books): string =>
  `books do not balance: absorbed ${b.absorbed} != undistributed ${b.undistributed} + allocated ${b.allocated} + pool fees ${b.poolFees} + ` +
  `blockchain fees ${b.blockchainFees} + carried ${b.carried} + returned ${b.returnedFunds} - deficit ${b.rewardDeficit}`;

/** Events one at a time, or pages of them (a store's readAll pages: one await per page, not per event). */
export type AuditInput = Iterable<AuditEvent | readonly AuditEvent[]> | AsyncIterable<AuditEvent | readonly AuditEvent[]>;

/** Each event of `input`, pages flattened, in order. */
export async function forEachAuditEvent(input: AuditInput, handle: (event: AuditEvent) => void): Promise<void> {
  const take = (item: AuditEvent | readonly AuditEvent[]): void => {
    if (Array.isArray(item)) for (const event of item as readonly AuditEvent[]) handle(event);
    else handle(item as AuditEvent);
  };
  if (Symbol.asyncIterator in input) {
    for await (const item of input) take(item);
  } else {
    for (const item of input) take(item);
  }
}

/** What a check of the seals found: SealVerifier's problems and summary (from this thread or another). */
export interface SealCheck {
  problems: readonly { position: string | undefined; message: string }[];
  summary: SealAuditSummary | undefined;
}

/** A payout audit and the seals' check of the same ledger as one report, as auditLedger gives it. */
export function withSeals(report: AuditReport, seals: SealCheck): AuditReport {
  if (seals.summary === undefined) return report;
  report.problems.push(...seals.problems);
  return { ...report, ok: report.ok && seals.problems.length === 0, seals: seals.summary };
}

/** The event as the seals hash it. */
const sealRecord = (event: AuditEvent): LedgerRecord => ({
  position: event.position,
  stream: event.stream ?? '',
  id: event.id ?? '',
  type: event.type,
  schemaVersion: event.schemaVersion ?? 1,
  data: event.data,
});

/**
 * The seals alone: every event of `input` (the whole ledger in store order) through the SealVerifier. With
 * auditPayouts over the same ledger, it is auditLedger in two passes that can run on two threads.
 */
export async function checkSeals(input: AuditInput, options: SealVerifierOptions = {}): Promise<SealCheck> {
  const seals = new SealVerifier(options);
  await forEachAuditEvent(input, (event) => seals.push(sealRecord(event)));
  return { problems: seals.problems, summary: seals.summary() };
}

/**
 * Everything auditLedger checks but the seals' chain: `input` need only hold the money events (AUDIT_EVENT_TYPES)
 * and the seals (LedgerSealed, which signings' commitments name), in store order. The seals are checked elsewhere
 * (checkSeals), and the two joined by withSeals.
 */
export async function auditPayouts(input: AuditInput, options: AuditOptions = {}): Promise<AuditReport> {
  return audit(input, options, undefined);
}

/**
 * Replays `input` (store order, from the start): recomputes every payout from the money events (AUDIT_EVENT_TYPES;
 * others are left to the seals), and checks every seal against every event before it. A seal that no longer
 * matches is a problem naming the first event that changed.
 */
export async function auditLedger(input: AuditInput, options: AuditOptions = {}): Promise<AuditReport> {
  const seals = new SealVerifier(options.seals);
  const report = await audit(input, options, seals);
  return withSeals(report, { problems: seals.problems, summary: seals.summary() });
}

/** One pass: the payouts, and the seals when a verifier is given (not for one period alone). */
async function audit(input: AuditInput, options: AuditOptions, seals: SealVerifier | undefined): Promise<AuditReport> {
  const auditor = new PayoutAuditor(options);
  const after = options.from?.closedPosition;
  await forEachAuditEvent(input, (event) => {
    // Every seal, in a period alone too: a signing's commitment names the seal through its plan.
    if (event.type === 'LedgerSealed') auditor.noteSeal((event as LedgerSealed).data);
    // One period alone: what comes after its closing, and no seals (their chain starts at the ledger's first event).
    if (after !== undefined) return void (event.position > after && AUDITED_TYPES.has(event.type) && auditor.push(event));
    seals?.push(sealRecord(event));
    if (AUDITED_TYPES.has(event.type)) auditor.push(event);
  });
  return auditor.finish();
}
