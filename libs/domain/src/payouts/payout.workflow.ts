import { type Workflow } from '@pool/event-sourcing';
import { upcastPayoutPlanned } from './payout-planned.schema';
import { predictedCoinIds } from './payout-transactions';
import type { PayoutCommitment } from './payout-commitment';
import type { PayoutConfirmed, PayoutEvent, PayoutFailed, PayoutPlanned, PayoutResolved, PayoutSent, RecordedSpendBundle, SignedPayoutTransaction } from './payout.events';

/**
 * Reason prefix of a failure whose push may have reached the node (a timeout or a dropped connection while
 * pushing). Such a payout is never abandoned: its transactions may still land, and abandoning returns the money.
 */
export const MAYBE_SENT = 'push unconfirmed: ';

/**
 * Where one payout stands:
 * - planned: recorded, nothing known to have left the wallet (it may have once PayoutSigned is recorded: a crash
 *   can fall between the push and PayoutSent, which is why reconciliation looks on chain before anything else). A
 *   failure with attempts left returns a payout here (as the payout decider does), so the next successful send is
 *   recorded again;
 * - sent: the wallet pushed its transactions; waiting for them to be buried;
 * - confirmed: every expected coin is on chain at the confirmation depth;
 * - abandoned: the last attempt failed while no transaction of it had landed, or an operator abandoned it; the ledger
 *   returns its money;
 * - part-paid: an operator recorded that some of its transactions landed and the others did not (final).
 */
export type PayoutStatus = 'planned' | 'sent' | 'confirmed' | 'abandoned' | 'part-paid';

/**
 * One way a planned transaction can land: the coins it creates and spends, and the bundle to push. A PayoutSigned
 * adds one per transaction it signs; a plan of schema 1 brings its prediction (no bundle: it was never signed
 * here). The transaction has landed when every coin of any one of its variants is on chain: they spend the same
 * planned inputs, so at most one of them can.
 */
export interface TransactionVariant {
  transactionId: string | null;
  createdCoinIds: string[];
  spentCoinIds: string[];
  bundle: RecordedSpendBundle | null;
  /** Its fee (null for a schema 1 prediction): a fee bump must pay more than the latest one. */
  fee: string | null;
}

/** One payout as its stream tells it: the workflow's state (null before PayoutPlanned). */
export interface PayoutProgress {
  planned: PayoutPlanned['data'];
  /**
   * Per planned transaction, the ways it can land (oldest first): what PayoutSigned recorded, then each fee bump's
   * version. They are alternatives: each spends the same planned coins, so only one of them can ever land.
   */
  variants: TransactionVariant[][];
  /** A PayoutSigned was recorded: only its bundles are ever pushed. */
  signed: boolean;
  /** What that signing committed to on chain (null: not signed yet, or signed before commitments); fee bumps carry it too. */
  commitment: PayoutCommitment | null;
  sent: PayoutSent['data'] | null;
  /** A PayoutSent was recorded at some point (a later failure clears `sent`, not this). */
  everSent: boolean;
  confirmed: PayoutConfirmed['data'] | null;
  failures: PayoutFailed['data'][];
  status: PayoutStatus;
  /** Chain height of the last fee bump (null: none); waiting is counted from it or from the send, the later. */
  lastFeeBumpHeight: number | null;
  /** The operator's last decision on it (`poolctl payouts resolve`), null when none. */
  resolution: PayoutResolved['data'] | null;
}

/** The retry policy and the confirmation depth (from the settings). */
export interface PayoutPolicy {
  confirmationThreshold: number;
  maxAttempts: number;
  retryBackoffSeconds: number;
  /** Blocks a sent payout may wait unconfirmed before its fee is bumped (absent or 0: never bumped). */
  feeBumpAfterBlocks?: number;
}

/** A coin as the node answered for it: where it was confirmed, and whether something spent it since. */
export interface ObservedCoin {
  confirmedHeight: number;
  spent: boolean;
}

/**
 * An unresolved (planned or sent) payout looked up on chain by its expected coin ids. `coins` holds the expected
 * coins found that count for this payout (none already counted for another confirmed payout).
 */
export interface PayoutObserved {
  type: 'PayoutObserved';
  coins: ReadonlyMap<string, ObservedCoin>;
  peak: number;
  paused: boolean;
  now: number;
}

/** A send attempt went through: the node took every pending transaction. */
export interface PayoutPushed {
  type: 'PayoutPushed';
  transactionIds: string[];
  /** The chain's peak when they were pushed (recorded with PayoutSent, to count how long they wait). */
  peak?: number;
  now: number;
}

/** A send attempt failed, with what the shell knows of how far it got and what the chain says right after. */
export interface PayoutSendFailed {
  type: 'PayoutSendFailed';
  /** The error, as the operator reads it in the ledger. */
  message: string;
  /** Resending the same transactions cannot succeed (an input was spent elsewhere, the wallet built other coins). */
  final: boolean;
  /** A push of this attempt succeeded before the failure. */
  pushedAny: boolean;
  /** A push went out and no answer came back (a timeout, a dropped connection): the node may have taken it. */
  pushUnanswered: boolean;
  /** Which transactions had landed before the attempt (the SendPayout step's `landed`). */
  landed: boolean[];
  /** A block took the missing transactions between the look and the send. */
  landedMeanwhile: boolean;
  /** Every transaction not yet landed has an input spent by something else. */
  pendingCannotLand: boolean;
  now: number;
}

/**
 * An abandoned payout's expected coins and inputs on chain (those that count for it). Its transactions may still
 * be in some mempool: a crash after the push leaves no trace of it in the ledger.
 */
export interface AbandonedPayoutObserved {
  type: 'AbandonedPayoutObserved';
  coins: ReadonlyMap<string, ObservedCoin>;
  peak: number;
  now: number;
}

/** A payout confirmed within the reorg window, its expected coins looked up again. */
export interface ConfirmedPayoutObserved {
  type: 'ConfirmedPayoutObserved';
  coinsOnChain: ReadonlySet<string>;
  paused: boolean;
}

export type PayoutInput = PayoutObserved | PayoutPushed | PayoutSendFailed | AbandonedPayoutObserved | ConfirmedPayoutObserved;

/** What the shell does: record a fact (through the payout commands), or act on the chain and the wallet. */
export type PayoutStep =
  /**
   * Have the wallet sign every planned transaction without pushing, check the bundles against the plan and record
   * them (PayoutSigned) before anything is pushed. Nothing was pushed yet (or it is a plan of schema 1 that landed
   * and was never signed here: `allowSpentInputs`), so signing again after a crash is harmless.
   */
  | { type: 'SignPayout'; allowSpentInputs: boolean; now: number }
  /** The money left before PayoutSent was recorded (a crash after the push): the signed ids name it. */
  | { type: 'RecordSentFromChain'; now: number }
  | { type: 'RecordPayoutSent'; transactionIds: string[]; height?: number; now: number }
  /**
   * The sent transactions `transactions` (indices) waited `waitedBlocks` unconfirmed: have the wallet sign them again
   * with the same coins and payments and a higher fee, record the new versions (PayoutFeeBumped), then push them to
   * replace the waiting ones. The shell chooses the fee (the node's estimate within the cap); when the cap leaves no
   * room for a replacement, it pushes the waiting versions again instead.
   */
  | { type: 'BumpFee'; transactions: number[]; waitedBlocks: number; landed: boolean[]; now: number }
  | { type: 'ConfirmPayout'; confirmedHeight: number; now: number }
  | { type: 'FailPayout'; reason: string; attempt: number; maxAttempts: number; now: number }
  /** Push the recorded bundle of every transaction not landed (`landed[i]` false). */
  | { type: 'SendPayout'; landed: boolean[] }
  /** Push these transactions of a confirmed payout again (a reorg took their coins). */
  | { type: 'PushAgain'; transactions: number[] }
  /** No new payout may be planned this run. */
  | { type: 'HoldNewPayouts'; why: 'landed-not-buried' | 'partly-landed' | 'orphaned' }
  /** The next plan must spend these coins, so that it and the abandoned payout cannot both land. */
  | { type: 'MustSpend'; coinIds: string[] }
  /** None of the abandoned payout's transactions can land any more: it need not be watched again. */
  | { type: 'StopWatching' };

/** Every coin id any variant of the payout creates: what the shell looks up on chain. */
export function watchedCoinIds(payout: Pick<PayoutProgress, 'variants'>): string[] {
  return payout.variants.flatMap((variants) => variants.flatMap((v) => v.createdCoinIds));
}

/** The transaction ids to record as sent: each transaction's latest signed variant. */
export function signedTransactionIds(payout: Pick<PayoutProgress, 'variants'>): string[] {
  return payout.variants.flatMap((variants) => {
    const id = [...variants].reverse().find((v) => v.transactionId !== null)?.transactionId;
    return id === undefined || id === null ? [] : [id];
  });
}

/** The bundle to push for transaction `index`: its latest signed variant's (null for an unsigned schema 1 plan). */
export function bundleToPush(payout: Pick<PayoutProgress, 'variants'>, index: number): { transactionId: string; bundle: RecordedSpendBundle } | null {
  const variant = [...(payout.variants[index] ?? [])].reverse().find((v) => v.bundle !== null && v.transactionId !== null);
  return variant === undefined ? null : { transactionId: variant.transactionId!, bundle: variant.bundle! };
}

/** Mojos the payout owes farmers (pool fee and blockchain fees excluded). */
export function farmersTotal(planned: PayoutPlanned['data']): bigint {
  return planned.allocations.reduce((sum, a) => sum + BigInt(a.amount), 0n);
}

/** The variant of each transaction whose coins are all on chain (undefined: the transaction has not landed). */
const landedVariants = (payout: Pick<PayoutProgress, 'variants'>, coins: ReadonlyMap<string, unknown> | ReadonlySet<string>): (TransactionVariant | undefined)[] =>
  payout.variants.map((variants) => variants.find((v) => v.createdCoinIds.length > 0 && v.createdCoinIds.every((coin) => coins.has(coin))));

const landedOf = (payout: Pick<PayoutProgress, 'variants'>, coins: ReadonlyMap<string, unknown> | ReadonlySet<string>): boolean[] =>
  landedVariants(payout, coins).map((v) => v !== undefined);

const highest = (payout: Pick<PayoutProgress, 'variants'>, coins: ReadonlyMap<string, ObservedCoin>): number =>
  Math.max(...landedVariants(payout, coins).flatMap((v) => v!.createdCoinIds.map((coin) => coins.get(coin)!.confirmedHeight)));

/**
 * Reconcile: coins present mean the money left (record PayoutSent if the crash came before it, then PayoutConfirmed
 * at depth); coins absent mean the same transactions are sent again, unless a pause holds it or the last failure's
 * backoff (doubling with each failure) has not elapsed.
 */
function reconcile(input: PayoutObserved, payout: PayoutProgress, policy: PayoutPolicy): PayoutStep[] {
  const landed = landedOf(payout, input.coins);
  if (landed.length > 0 && landed.every(Boolean)) {
    const steps: PayoutStep[] = [];
    // Only a plan of schema 1 can land unsigned here (its predicted coins): its ids are learnt by signing it now.
    if (payout.sent === null && !payout.signed) steps.push({ type: 'SignPayout', allowSpentInputs: true, now: input.now });
    if (payout.sent === null) steps.push({ type: 'RecordSentFromChain', now: input.now });
    const confirmedHeight = highest(payout, input.coins);
    if (confirmedHeight <= input.peak - policy.confirmationThreshold) steps.push({ type: 'ConfirmPayout', confirmedHeight, now: input.now });
    return steps;
  }
  if (input.paused) return [];
  const lastFailure = payout.failures[payout.failures.length - 1];
  if (lastFailure !== undefined) {
    const backoff = policy.retryBackoffSeconds * 2 ** Math.max(0, payout.failures.length - 1);
    if (input.now < lastFailure.failedAt + backoff) return [];
  }
  // Nothing is pushed before its bundle is recorded: a crash between signing and recording just signs again.
  if (!payout.signed) return [{ type: 'SignPayout', allowSpentInputs: false, now: input.now }];
  const bump = dueFeeBump(payout, landed, input, policy);
  return bump === null ? [{ type: 'SendPayout', landed }] : [bump];
}

/**
 * A sent payout whose transactions have waited `feeBumpAfterBlocks` blocks or more since the send (or the last bump)
 * is due a fee bump of those not landed: a congested mempool takes better payers first and may drop it when full.
 * A payout sent before heights were recorded counts as waiting since height 0.
 */
function dueFeeBump(payout: PayoutProgress, landed: boolean[], input: PayoutObserved, policy: PayoutPolicy): PayoutStep | null {
  const after = policy.feeBumpAfterBlocks ?? 0;
  if (after <= 0 || payout.sent === null) return null;
  const since = Math.max(payout.sent.sentHeight ?? 0, payout.lastFeeBumpHeight ?? 0);
  const waitedBlocks = input.peak - since;
  if (waitedBlocks < after) return null;
  const transactions = landed.flatMap((isLanded, i) => (isLanded || bundleToPush(payout, i) === null ? [] : [i]));
  return transactions.length === 0 ? null : { type: 'BumpFee', transactions, waitedBlocks, landed, now: input.now };
}

/**
 * A failed attempt. Abandoning returns the money to the balances, so it is only done when the transactions cannot
 * land: an input was spent elsewhere, or every attempt failed before the network could have taken them. A payout
 * part of which is on chain, or that may be in a mempool, keeps retrying (and says so) until it resolves. A final
 * refusal ends the payout only if none of its transactions can still land from some mempool.
 */
function sendFailed(input: PayoutSendFailed, payout: PayoutProgress, policy: PayoutPolicy): PayoutStep[] {
  // A block may have taken the transactions between our look and the send: then nothing failed.
  if (input.landedMeanwhile) return [];
  const anyLanded = input.landed.some(Boolean);
  const attempt = payout.failures.length + 1;
  // Some transactions are in the mempool when an earlier push of this attempt succeeded; and a push the node did
  // not answer may have reached it (the request went out, the answer did not come back).
  const maybeSent = input.pushedAny || input.pushUnanswered;
  const mayBeOnTheNetwork = payout.everSent || maybeSent || payout.failures.some((f) => f.reason.startsWith(MAYBE_SENT));
  const finalForAll = input.final && (!mayBeOnTheNetwork || input.pendingCannotLand);
  const maxAttempts = anyLanded ? Number.MAX_SAFE_INTEGER : finalForAll ? attempt : mayBeOnTheNetwork ? Number.MAX_SAFE_INTEGER : policy.maxAttempts;
  const reason = `${maybeSent ? MAYBE_SENT : ''}${input.message}${anyLanded ? ' (part of this payout is on chain: retrying until resolved)' : ''}`;
  return [{ type: 'FailPayout', reason, attempt, maxAttempts, now: input.now }];
}

/**
 * An abandoned payout returned its money to the balances, but its transactions may still land. Until each of them
 * provably cannot (an input spent by something else):
 * - all of them on chain: it landed after all. Once buried, PayoutConfirmed is recorded and the ledger takes the
 *   returned money back; until then nothing new is planned (a plan now would pay those balances again).
 * - some of them: part of it landed. Nothing new is planned (the ledger cannot yet say which balances were
 *   paid), and an operator must settle it.
 * - none, with a transaction whose inputs are all unspent: that transaction could still land, so the next plan
 *   must spend its inputs, which makes the two mutually exclusive on chain.
 */
function watchAbandoned(input: AbandonedPayoutObserved, payout: PayoutProgress, policy: PayoutPolicy): PayoutStep[] {
  if (payout.status === 'part-paid') return watchPaidInPart(input, payout);
  const txs = payout.planned.transactions;
  const landed = landedOf(payout, input.coins);
  if (txs.length > 0 && landed.every(Boolean)) {
    const confirmedHeight = highest(payout, input.coins);
    if (confirmedHeight <= input.peak - policy.confirmationThreshold) return [{ type: 'ConfirmPayout', confirmedHeight, now: input.now }];
    return [{ type: 'HoldNewPayouts', why: 'landed-not-buried' }];
  }
  if (landed.some(Boolean)) return [{ type: 'HoldNewPayouts', why: 'partly-landed' }];
  // A transaction never signed (no variant) was never pushed: it cannot land.
  const open = txs.filter((tx, i) => (payout.variants[i]?.length ?? 0) > 0 && tx.inputCoinIds.every((coin) => input.coins.get(coin)?.spent === false));
  if (open.length === 0) return [{ type: 'StopWatching' }];
  return [{ type: 'MustSpend', coinIds: open.flatMap((tx) => tx.inputCoinIds) }];
}

/**
 * A payout an operator declared paid in part: the transactions it named landed and are settled; the others' money
 * went back to the balances, so none of them may land. Until each provably cannot, the next plan spends their
 * inputs. One of them on chain all the same means the resolution was wrong: nothing new is planned, and an
 * operator must look at it again.
 */
function watchPaidInPart(input: AbandonedPayoutObserved, payout: PayoutProgress): PayoutStep[] {
  const settled = new Set(payout.resolution?.landedTransactions ?? []);
  const others = payout.planned.transactions.flatMap((tx, i) => (settled.has(i) ? [] : [{ tx, i }]));
  const landed = landedOf(payout, input.coins);
  if (others.some(({ i }) => landed[i])) return [{ type: 'HoldNewPayouts', why: 'partly-landed' }];
  const open = others.filter(({ tx, i }) => (payout.variants[i]?.length ?? 0) > 0 && tx.inputCoinIds.every((coin) => input.coins.get(coin)?.spent === false));
  if (open.length === 0) return [{ type: 'StopWatching' }];
  return [{ type: 'MustSpend', coinIds: open.flatMap(({ tx }) => tx.inputCoinIds) }];
}

/**
 * A confirmed payout is buried only as deep as the confirmation threshold: a deeper reorg can take its coins away,
 * and a node that restarted may not put the transactions back in its mempool. Coins gone: the same signed
 * transactions are pushed again (same coins: nothing can be paid twice), and nothing new is planned until they are
 * back. A pause holds every send, this one included; the check resumes with the payouts.
 */
function guardConfirmed(input: ConfirmedPayoutObserved, payout: PayoutProgress): PayoutStep[] {
  const gone = landedOf(payout, input.coinsOnChain).flatMap((landed, i) => (landed ? [] : [i]));
  if (gone.length === 0) return [];
  return input.paused ? [{ type: 'HoldNewPayouts', why: 'orphaned' }] : [{ type: 'HoldNewPayouts', why: 'orphaned' }, { type: 'PushAgain', transactions: gone }];
}

/** The variants with each signed version added as one more way its transaction can land. */
function withVersions(variants: readonly TransactionVariant[][], transactions: readonly SignedPayoutTransaction[]): TransactionVariant[][] {
  const next = variants.map((v) => [...v]);
  for (const tx of transactions) {
    next[tx.index]?.push({
      transactionId: tx.transactionId,
      createdCoinIds: tx.createdCoins.map((c) => c.coinId),
      spentCoinIds: tx.spentCoins.map((c) => c.coinId),
      bundle: tx.spendBundle,
      fee: tx.fee,
    });
  }
  return next;
}

/** The fee of transaction `index`'s latest version (the one a bump must outbid); null when none was signed. */
export function latestFee(payout: Pick<PayoutProgress, 'variants'>, index: number): bigint | null {
  const fee = [...(payout.variants[index] ?? [])].reverse().find((v) => v.fee !== null)?.fee;
  return fee === undefined || fee === null ? null : BigInt(fee);
}

/** Folds one payout stream's events (the payout decider's facts, as the saga follows them). */
export function evolvePayout(payout: PayoutProgress | null, event: PayoutEvent): PayoutProgress | null {
  if (event.type === 'PayoutPlanned') {
    if (payout !== null) return payout;
    const planned = upcastPayoutPlanned(event.data);
    const variants = planned.transactions.map((tx): TransactionVariant[] =>
      tx.predicted === undefined ? [] : [{ transactionId: null, createdCoinIds: predictedCoinIds(tx), spentCoinIds: tx.inputCoinIds, bundle: null, fee: null }],
    );
    return { planned, variants, signed: false, commitment: null, sent: null, everSent: false, confirmed: null, failures: [], status: 'planned', lastFeeBumpHeight: null, resolution: null };
  }
  if (payout === null) return null;
  switch (event.type) {
    case 'PayoutSigned':
      return { ...payout, variants: withVersions(payout.variants, event.data.transactions), signed: true, commitment: event.data.commitment ?? null };
    case 'PayoutFeeBumped':
      return { ...payout, variants: withVersions(payout.variants, event.data.transactions), lastFeeBumpHeight: event.data.bumpedHeight };
    case 'PayoutSent':
      return { ...payout, sent: event.data, everSent: true, status: payout.status === 'planned' ? 'sent' : payout.status };
    case 'PayoutConfirmed':
      return { ...payout, confirmed: event.data, status: 'confirmed' };
    case 'PayoutFailed': {
      const failures = [...payout.failures, event.data];
      if (payout.status === 'confirmed') return { ...payout, failures };
      return event.data.willRetry ? { ...payout, failures, status: 'planned', sent: null } : { ...payout, failures, status: 'abandoned' };
    }
    case 'PayoutResolved':
      // The decider allows an abandonment only of a planned or sent payout, paid-in-part of one not confirmed.
      return { ...payout, resolution: event.data, status: event.data.decision === 'abandon' ? 'abandoned' : 'part-paid' };
  }
}

/**
 * The payout process's decisions for one payout (stream `payout-<sequence>`): reconcile from its coin ids, send,
 * retry with backoff, "may be on the network", abandon, confirm at depth, watch an abandoned one, push a confirmed
 * one again after a deep reorg. The worker's PayoutSaga observes the chain and the wallet, feeds the observations
 * here, and executes the steps; every step that changes the ledger goes through the payout decider.
 */
export function payoutWorkflow(policy: PayoutPolicy): Workflow<PayoutInput, PayoutProgress | null, PayoutStep, PayoutEvent> {
  return {
    initialState: () => null,
    evolve: evolvePayout,
    decide(input, payout) {
      if (payout === null) return [];
      switch (input.type) {
        case 'PayoutObserved':
          return reconcile(input, payout, policy);
        case 'PayoutPushed':
          return payout.sent === null
            ? [{ type: 'RecordPayoutSent', transactionIds: input.transactionIds, ...(input.peak === undefined ? {} : { height: input.peak }), now: input.now }]
            : [];
        case 'PayoutSendFailed':
          return sendFailed(input, payout, policy);
        case 'AbandonedPayoutObserved':
          return watchAbandoned(input, payout, policy);
        case 'ConfirmedPayoutObserved':
          return guardConfirmed(input, payout);
      }
    },
  };
}

/** Why a transaction cannot be sent: an input not on chain (gone in a reorg), or spent by something else (final). */
export function inputRefusal(inputCoinIds: readonly string[], coins: ReadonlyMap<string, ObservedCoin>): { message: string; final: boolean } | null {
  for (const id of inputCoinIds) {
    const coin = coins.get(id);
    if (coin === undefined) return { message: `input coin ${id} is not on chain`, final: false };
    if (coin.spent) return { message: `input coin ${id} was spent by another transaction`, final: true };
  }
  return null;
}
