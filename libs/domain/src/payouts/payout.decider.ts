import { type Decider } from '@pool/event-sourcing';
import { DomainError } from '../shared/domain-error';
import { checkPredictedCoinIds, checkSignedTransaction } from './payout-transactions';
import { commitmentProblem, type PayoutCommitment } from './payout-commitment';
import { currentSchemaVersion } from '../ledger/pool-event';
import { upcastPayoutPlanned } from './payout-planned.schema';
import { NOTHING_SETTLED, payoutSettlement } from './payout-settlement';
import type { PayoutEvent, PayoutPlanned, PayoutResolved, SignedPayoutTransaction } from './payout.events';

/** Record a computed plan (planPayout + buildPayoutTransactions + ids, position, time, config version). */
export interface PlanPayout {
  type: 'PlanPayout';
  plan: PayoutPlanned['data'];
}

/** The wallet signed the plan's transactions (not pushed): record the bundles before anything is pushed. */
export interface RecordPayoutSigned {
  type: 'RecordPayoutSigned';
  payoutId: string;
  transactions: SignedPayoutTransaction[];
  /** What the transactions commit to on chain (each carries its memo); absent only for a plan signed before commitments. */
  commitment?: PayoutCommitment;
  now: number;
}

/** The wallet accepted the payout's transactions (at chain height `height`, when known). */
export interface RecordPayoutSent {
  type: 'RecordPayoutSent';
  payoutId: string;
  transactionIds: string[];
  height?: number;
  now: number;
}

/** Sent transactions were signed again with a higher fee, to replace their waiting versions: record them before pushing. */
export interface RecordPayoutFeeBumped {
  type: 'RecordPayoutFeeBumped';
  payoutId: string;
  transactions: SignedPayoutTransaction[];
  reason: string;
  height: number;
  now: number;
}

/** Every expected coin is on chain at the confirmation depth. */
export interface ConfirmPayout {
  type: 'ConfirmPayout';
  payoutId: string;
  confirmedHeight: number;
  now: number;
}

/**
 * A send or confirmation failed. `maxAttempts` is the retry policy (from settings); `attempt`, when given, is
 * the attempt that failed, so a retried command for an attempt already recorded records nothing.
 */
export interface FailPayout {
  type: 'FailPayout';
  payoutId: string;
  reason: string;
  maxAttempts: number;
  attempt?: number;
  now: number;
}

/** An operator's decision on a payout the saga cannot settle alone (`poolctl payouts resolve`). */
export interface ResolvePayout {
  type: 'ResolvePayout';
  payoutId: string;
  decision: PayoutResolved['data']['decision'];
  /** paid-in-part: the planned transactions (indices) whose coins are on chain; empty for abandon. */
  landedTransactions: number[];
  reason: string;
  now: number;
}

export type PayoutCommand = PlanPayout | RecordPayoutSigned | RecordPayoutSent | RecordPayoutFeeBumped | ConfirmPayout | FailPayout | ResolvePayout;

export type PayoutState =
  | { status: 'none' }
  | {
      /** 'failed' is also an operator's abandonment; 'resolved' a payout an operator declared paid in part (final). */
      status: 'planned' | 'sent' | 'confirmed' | 'failed' | 'resolved';
      plan: PayoutPlanned['data'];
      /** Failed attempts so far. */
      attempts: number;
      transactionIds: string[] | null;
      /** What PayoutSigned recorded (null before it): the only bundles ever pushed, with the fee bumps below. */
      signed: SignedPayoutTransaction[] | null;
      /** Every version PayoutFeeBumped recorded since, oldest first. */
      bumped: SignedPayoutTransaction[];
      /** The commitment PayoutSigned recorded (null: none): every fee bump carries the same memo. */
      commitment: PayoutCommitment | null;
      /** The operator's last decision on it (null: none). */
      resolution: PayoutResolved['data'] | null;
    };

/** JSON with sorted keys: two plans are the same fact when they say the same thing, whatever the key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

const sameIds = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((id, i) => id === b[i]);

/** What a plan must satisfy before it is recorded; the money rules themselves are the audit's to recompute. */
function checkPlan(plan: PayoutPlanned['data']): void {
  const refuse = (what: string): never => {
    throw new DomainError('REQUEST_FAILED', `payout ${plan.payoutId}: ${what}`);
  };
  const mojos = (value: string, label: string): bigint => (/^\d+$/.test(value) ? BigInt(value) : refuse(`${label} is not a non-negative integer (${value})`));
  if (!Number.isInteger(plan.sequence) || plan.sequence < 1) refuse(`sequence must be a positive integer, got ${plan.sequence}`);
  if (plan.allocations.length === 0) refuse('a plan pays at least one farmer');
  mojos(plan.rewardTotal, 'rewardTotal');
  mojos(plan.poolFee.amount, 'poolFee.amount');
  const blockchainFee = mojos(plan.blockchainFee, 'blockchainFee');
  plan.allocations.forEach((a, i) => mojos(a.amount, `allocations[${i}].amount`));
  // A carried balance is negative only for a farmer paid twice by a payout that landed after it was abandoned.
  plan.carried.forEach((c, i) => (/^-?\d+$/.test(c.amount) ? undefined : refuse(`carried[${i}].amount is not an integer (${c.amount})`)));
  let fees = 0n;
  plan.transactions.forEach((tx, i) => {
    fees += mojos(tx.fee, `transactions[${i}].fee`);
    if (tx.inputCoinIds.length === 0) refuse(`transactions[${i}] spends no coin`);
    if (tx.payments.length === 0) refuse(`transactions[${i}] pays nobody`);
    tx.payments.forEach((p, j) => mojos(p.amount, `transactions[${i}].payments[${j}].amount`));
    const problem = checkPredictedCoinIds(tx);
    if (problem !== null) refuse(`transactions[${i}]: ${problem}`);
  });
  if (fees !== blockchainFee) refuse(`transaction fees add up to ${fees}, the plan says ${blockchainFee}`);
}

/**
 * What a signing must satisfy: one signed transaction per planned one, each doing what the plan says; with a
 * commitment, the one the plan implies, carried by each transaction.
 */
function checkSigning(plan: PayoutPlanned['data'], transactions: readonly SignedPayoutTransaction[], commitment: PayoutCommitment | undefined): void {
  const refuse = (what: string): never => {
    throw new DomainError('REQUEST_FAILED', `payout ${plan.payoutId}: ${what}`);
  };
  const wrongCommitment = commitment === undefined ? null : commitmentProblem(plan, commitment);
  if (wrongCommitment !== null) refuse(`the signing ${wrongCommitment}`);
  if (transactions.length !== plan.transactions.length) refuse(`${transactions.length} signed transaction(s) for ${plan.transactions.length} planned`);
  const seen = new Set<number>();
  for (const tx of transactions) {
    const planned = plan.transactions[tx.index];
    if (planned === undefined || seen.has(tx.index)) refuse(`signed transaction index ${tx.index} is not one planned transaction`);
    seen.add(tx.index);
    const problem = checkSignedTransaction(planned!, tx, plan.poolFee.puzzleHash, commitment?.memo);
    if (problem !== null) refuse(`signed transaction ${tx.index} ${problem}`);
  }
}

/**
 * What a fee bump must satisfy: each new version is one of the planned transactions, does what the plan says
 * (checkSignedTransaction: the same planned coins, so it and every earlier version exclude each other on chain) and
 * pays more fee than that transaction's latest version.
 */
function checkFeeBump(plan: PayoutPlanned['data'], versions: readonly SignedPayoutTransaction[], transactions: readonly SignedPayoutTransaction[], commitment: PayoutCommitment | null): void {
  const refuse = (what: string): never => {
    throw new DomainError('REQUEST_FAILED', `payout ${plan.payoutId}: ${what}`);
  };
  if (transactions.length === 0) refuse('a fee bump re-signs at least one transaction');
  const seen = new Set<number>();
  for (const tx of transactions) {
    const planned = plan.transactions[tx.index];
    if (planned === undefined || seen.has(tx.index)) refuse(`fee bump index ${tx.index} is not one planned transaction`);
    seen.add(tx.index);
    const problem = checkSignedTransaction(planned!, tx, plan.poolFee.puzzleHash, commitment?.memo);
    if (problem !== null) refuse(`fee bump of transaction ${tx.index} ${problem}`);
    const latest = [...versions].reverse().find((v) => v.index === tx.index);
    if (latest !== undefined && BigInt(tx.fee) <= BigInt(latest.fee)) refuse(`fee bump of transaction ${tx.index} pays ${tx.fee}, not more than the ${latest.fee} of its latest version`);
  }
}

type RecordedState = Exclude<PayoutState, { status: 'none' }>;

/** Transactions whose created coins the ledger knows (signed, bumped, or predicted by a plan of schema 1). */
function transactionsWithRecordedCoins(state: RecordedState): Set<number> {
  const known = new Set([...(state.signed ?? []), ...state.bumped].filter((tx) => tx.createdCoins.length > 0).map((tx) => tx.index));
  state.plan.transactions.forEach((tx, i) => (tx.predicted === undefined ? undefined : known.add(i)));
  return known;
}

/**
 * What an operator may decide, and when:
 * - abandon: a planned or sent payout (not confirmed, not abandoned already): the saga could still send it, the
 *   operator says it must not;
 * - paid-in-part: a planned, sent or abandoned payout, naming some but not all of its transactions, each one whose
 *   created coins are recorded (the only way anyone can know it landed). Once recorded it is final.
 * A repeated decision records nothing.
 */
function resolve(command: ResolvePayout, state: RecordedState): PayoutEvent[] {
  const refuse = (code: 'INVALID_STATE' | 'REQUEST_FAILED', what: string): never => {
    throw new DomainError(code, `payout ${command.payoutId}: ${what}`);
  };
  const reason = command.reason.trim();
  if (reason === '') refuse('REQUEST_FAILED', 'a resolution needs a reason');
  const landed = [...new Set(command.landedTransactions)].sort((a, b) => a - b);
  if (landed.length !== command.landedTransactions.length) refuse('REQUEST_FAILED', 'a landed transaction is named twice');
  const previous = state.resolution;
  if (previous !== null && previous.decision === command.decision && sameIds(previous.landedTransactions.map(String), landed.map(String))) return [];
  if (command.decision === 'abandon') {
    if (landed.length > 0) refuse('REQUEST_FAILED', 'an abandonment names no landed transaction (use paid-in-part)');
    if (state.status !== 'planned' && state.status !== 'sent') refuse('INVALID_STATE', `is ${describeStatus(state)}; only a planned or sent payout is abandoned`);
  } else {
    if (state.status !== 'planned' && state.status !== 'sent' && state.status !== 'failed') refuse('INVALID_STATE', `is ${describeStatus(state)}; it cannot be paid in part`);
    const count = state.plan.transactions.length;
    if (landed.length === 0) refuse('REQUEST_FAILED', 'paid-in-part names the transactions that landed');
    if (landed.length >= count) refuse('REQUEST_FAILED', `all ${count} transactions landed: the saga confirms such a payout`);
    const recorded = transactionsWithRecordedCoins(state);
    for (const index of landed) {
      if (!Number.isInteger(index) || index < 0 || index >= count) refuse('REQUEST_FAILED', `transaction ${index} is not one of its ${count}`);
      if (!recorded.has(index)) refuse('REQUEST_FAILED', `transaction ${index} was never signed: no coin of it is recorded, so it cannot have landed`);
    }
  }
  const settled = command.decision === 'abandon' ? NOTHING_SETTLED : payoutSettlement(state.plan, landed);
  return [{ type: 'PayoutResolved', data: { payoutId: command.payoutId, decision: command.decision, landedTransactions: landed, reason, resolvedAt: command.now, settled } }];
}

const describeStatus = (state: RecordedState): string => (state.status === 'resolved' ? 'resolved as paid in part' : state.status === 'failed' ? 'abandoned' : state.status);

/** The same signing, whenever it was recorded. */
const sameSigning = (a: readonly SignedPayoutTransaction[], b: readonly SignedPayoutTransaction[]): boolean => canonicalJson(a) === canonicalJson(b);

/**
 * One payout's saga, stream `payout-<sequence>`: none → planned → (signed) → sent → confirmed, or failed. Signing
 * does not change the status: it records the bundles, once; a planned payout is only ever sent with them. A failure with
 * attempts left returns the payout to planned (to be sent again, the same transactions); the last one is final
 * and the ledger fold returns its money to balances, unless its coins later appear on chain after all
 * (failed → confirmed, which the fold undoes the return for). Repeating a command that already took effect records
 * nothing; a command that contradicts the recorded facts is refused with INVALID_STATE.
 */
export const payoutDecider: Decider<PayoutCommand, PayoutEvent, PayoutState> = {
  initialState: () => ({ status: 'none' }),
  schemaVersion: (event) => currentSchemaVersion(event.type),

  decide(command, state) {
    if (command.type === 'PlanPayout') {
      if (state.status !== 'none') {
        if (state.plan.payoutId === command.plan.payoutId && canonicalJson(state.plan) === canonicalJson(command.plan)) return [];
        throw new DomainError('INVALID_STATE', `payout ${state.plan.sequence} is already planned (${state.plan.payoutId}) with other data`);
      }
      checkPlan(command.plan);
      return [{ type: 'PayoutPlanned', data: command.plan }];
    }
    if (state.status === 'none') throw new DomainError('INVALID_STATE', `payout ${command.payoutId} was never planned`);
    if (state.plan.payoutId !== command.payoutId) {
      throw new DomainError('INVALID_STATE', `this stream holds payout ${state.plan.payoutId}, not ${command.payoutId}`);
    }
    switch (command.type) {
      case 'RecordPayoutSigned':
        if (state.signed !== null) {
          if (sameSigning(state.signed, command.transactions)) return [];
          throw new DomainError('INVALID_STATE', `payout ${command.payoutId} is signed already, with other bundles`);
        }
        if (state.status !== 'planned') throw new DomainError('INVALID_STATE', `payout ${command.payoutId} is ${state.status}; only a planned payout is signed`);
        checkSigning(state.plan, command.transactions, command.commitment);
        return [
          {
            type: 'PayoutSigned',
            data: { payoutId: command.payoutId, transactions: command.transactions, signedAt: command.now, ...(command.commitment === undefined ? {} : { commitment: command.commitment }) },
          },
        ];
      case 'RecordPayoutSent':
        if (state.status === 'planned') {
          if (state.signed === null) throw new DomainError('INVALID_STATE', `payout ${command.payoutId} was never signed: nothing of it can have been sent`);
          if (command.transactionIds.length === 0) throw new DomainError('REQUEST_FAILED', `payout ${command.payoutId}: sent without transaction ids`);
          const height = command.height === undefined ? {} : { sentHeight: command.height };
          return [{ type: 'PayoutSent', data: { payoutId: command.payoutId, transactionIds: command.transactionIds, sentAt: command.now, ...height } }];
        }
        if ((state.status === 'sent' || state.status === 'confirmed') && state.transactionIds !== null && sameIds(state.transactionIds, command.transactionIds)) return [];
        throw new DomainError('INVALID_STATE', `payout ${command.payoutId} is ${state.status}${state.transactionIds ? ` with transactions ${state.transactionIds.join(', ')}` : ''}`);
      case 'RecordPayoutFeeBumped': {
        const versions = [...(state.signed ?? []), ...state.bumped];
        const known = new Set(versions.map((v) => v.transactionId));
        const recorded = command.transactions.filter((tx) => known.has(tx.transactionId));
        if (command.transactions.length > 0 && recorded.length === command.transactions.length) return [];
        if (recorded.length > 0) throw new DomainError('INVALID_STATE', `payout ${command.payoutId}: a fee bump mixes recorded and new versions`);
        // Only what was pushed and waits is bumped: a planned payout is sent as signed, a settled one has nothing waiting.
        if (state.status !== 'sent' || state.signed === null) throw new DomainError('INVALID_STATE', `payout ${command.payoutId} is ${state.status}; only a sent payout's fee is bumped`);
        checkFeeBump(state.plan, versions, command.transactions, state.commitment);
        return [
          {
            type: 'PayoutFeeBumped',
            data: { payoutId: command.payoutId, transactions: command.transactions, reason: command.reason, bumpedHeight: command.height, bumpedAt: command.now },
          },
        ];
      }
      case 'ConfirmPayout':
        // 'failed': an abandoned payout whose transactions landed anyway. The chain has the last word, and the
        // ledger fold takes back the balances the abandonment returned, so nobody is paid twice.
        if (state.status === 'sent' || state.status === 'failed') {
          return [{ type: 'PayoutConfirmed', data: { payoutId: command.payoutId, confirmedHeight: command.confirmedHeight, confirmedAt: command.now } }];
        }
        if (state.status === 'confirmed') return [];
        throw new DomainError('INVALID_STATE', `payout ${command.payoutId} is ${state.status}, only a sent or abandoned payout can be confirmed`);
      case 'ResolvePayout':
        return resolve(command, state);
      case 'FailPayout': {
        // An operator's resolution settled it: a late failure report changes nothing.
        if (state.status === 'failed' || state.status === 'resolved') return [];
        if (state.status === 'confirmed') throw new DomainError('INVALID_STATE', `payout ${command.payoutId} is confirmed on chain; it cannot fail`);
        if (command.attempt !== undefined && command.attempt <= state.attempts) return [];
        if (!Number.isInteger(command.maxAttempts) || command.maxAttempts < 1) throw new DomainError('REQUEST_FAILED', 'maxAttempts must be >= 1');
        const attempt = state.attempts + 1;
        return [
          {
            type: 'PayoutFailed',
            data: { payoutId: command.payoutId, reason: command.reason, attempt, willRetry: attempt < command.maxAttempts, failedAt: command.now },
          },
        ];
      }
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'PayoutPlanned':
        // Streams are read raw: a plan of schema 1 is upcast here.
        return { status: 'planned', plan: upcastPayoutPlanned(event.data), attempts: 0, transactionIds: null, signed: null, bumped: [], commitment: null, resolution: null };
      case 'PayoutSigned':
        return state.status === 'none' || state.signed !== null ? state : { ...state, signed: event.data.transactions, commitment: event.data.commitment ?? null };
      case 'PayoutSent':
        return state.status === 'none' ? state : { ...state, status: 'sent', transactionIds: event.data.transactionIds };
      case 'PayoutFeeBumped':
        return state.status === 'none' ? state : { ...state, bumped: [...state.bumped, ...event.data.transactions] };
      case 'PayoutConfirmed':
        return state.status === 'none' ? state : { ...state, status: 'confirmed' };
      case 'PayoutFailed':
        if (state.status === 'none') return state;
        return event.data.willRetry
          ? { ...state, status: 'planned', attempts: event.data.attempt, transactionIds: null }
          : { ...state, status: 'failed', attempts: event.data.attempt };
      case 'PayoutResolved':
        if (state.status === 'none') return state;
        // An abandonment is a final failure by another hand; paid-in-part ends the payout.
        return { ...state, status: event.data.decision === 'abandon' ? 'failed' : 'resolved', resolution: event.data };
    }
  },
};
