import { eventTypesOf } from '../ledger/pool-event';
import type { PayoutCommitment } from './payout-commitment';
/**
 * The payout saga, one stream per payout: `payout-<sequence>` with a zero-padded sequence number, created
 * with "no stream" so two planners can never both plan payout N. Amounts are mojos as decimal strings.
 *
 * PayoutPlanned is written before anything is signed: it records what the plan was computed from (the ledger
 * position and the config), so `poolctl audit` can recompute it from the events alone, what each transaction must
 * pay and which wallet coins it spends. It does not say which coins the payments will be: a wallet chooses which
 * input creates the outputs and where change goes. PayoutSigned records that, from the signed spend bundles, before
 * anything is pushed; everything after (reconcile, confirm, watch) works from the coin ids it recorded.
 */
export interface PayoutAllocation {
  launcherId: string;
  /** The farmer's payout puzzle hash at planning time. */
  puzzleHash: string;
  /** Points this allocation pays for (the scheme's share basis). */
  points: string;
  /** Mojos owed by this run: share of the distributable amount plus any balance carried from earlier runs. */
  amount: string;
}

/** One payment a transaction must make: a coin of exactly `amount` at `puzzleHash`. */
export interface PayoutPayment {
  puzzleHash: string;
  amount: string;
}

/** A coin the plan of schema 1 expected, with its id (see LegacyPredictedCoins). */
export interface PayoutAddition {
  puzzleHash: string;
  amount: string;
  /** sha256(parentCoinId || puzzleHash || amount as Chia int). */
  coinId: string;
}

/**
 * What a plan recorded at schema 1 (before PayoutSigned): the coins it expected its transaction to create, on the
 * assumption that the first input is the parent of every output and change returns to the pool's puzzle hash.
 * Kept by the upcaster so a payout planned then is still reconciled, confirmed and audited by those coin ids.
 */
export interface LegacyPredictedCoins {
  additions: PayoutAddition[];
  change: PayoutAddition | null;
}

/** One transaction of a plan: the wallet is asked to spend exactly `inputCoinIds` and make exactly `payments`. */
export interface PayoutTransaction {
  /** The wallet coins this transaction spends (all of them). */
  inputCoinIds: string[];
  /** Outputs to pay, one coin each (one per puzzle hash: farmers sharing an address get one coin). */
  payments: PayoutPayment[];
  /** Blockchain fee of this transaction (mojos). */
  fee: string;
  /** Only in plans recorded at schema 1. */
  predicted?: LegacyPredictedCoins;
}

export interface PayoutPlanned {
  type: 'PayoutPlanned';
  data: {
    payoutId: string;
    sequence: number;
    /** Every event at or before this store position (and none after) was considered. */
    ledgerPosition: string;
    plannedAt: number;
    /** Scheme name and parameters exactly as used, and the config version they came from. */
    scheme: PayoutSchemeConfig;
    configVersion: string;
    /** The absorbed rewards this payout distributes (coin ids of `reward-<coinId>` streams). */
    rewardCoinIds: string[];
    /** Sum of those rewards. */
    rewardTotal: string;
    poolFee: { puzzleHash: string; amount: string };
    /** Blockchain fees of all transactions, taken out of the distributable amount by the scheme's rule. */
    blockchainFee: string;
    allocations: PayoutAllocation[];
    /**
     * Every balance the next run starts from: below the minimum payout, held back by a cap, or (negative) a
     * farmer paid twice by a payout that landed after it was abandoned.
     */
    carried: { launcherId: string; amount: string }[];
    transactions: PayoutTransaction[];
    /**
     * Pool and blockchain fees of abandoned payouts put back into this run's distributable amount (mojos;
     * absent = 0). Added after the first contract: older events replay as 0.
     */
    returnedFunds?: string;
    /** Absorbed rewards reverted after an earlier payout distributed them, recovered from this run (absent = 0). */
    deficitRecovered?: string;
  };
}

/** A coin as a signed bundle spends or creates it. */
export interface PayoutCoin {
  coinId: string;
  parentCoinId: string;
  puzzleHash: string;
  amount: string;
  /** The memos its CREATE_COIN carries, hex (absent: none; recorded since payouts commit to their seal on chain). */
  memos?: string[];
}

/** A spend bundle as the ledger keeps it (amounts as decimal strings, hex without 0x), to push it again later. */
export interface RecordedSpendBundle {
  coinSpends: { coin: { parentCoinInfo: string; puzzleHash: string; amount: string }; puzzleReveal: string; solution: string }[];
  aggregatedSignature: string;
}

/**
 * One planned transaction as the wallet signed it: its id (the spend bundle's name), the bundle itself, what it
 * spends and what it creates (read from the bundle's conditions by the saga before recording), and its fee.
 */
export interface SignedPayoutTransaction {
  /** Which of the plan's transactions this is (index into PayoutPlanned.transactions). */
  index: number;
  transactionId: string;
  spendBundle: RecordedSpendBundle;
  spentCoins: PayoutCoin[];
  /** Every coin the bundle creates: the payments and the wallet's change, wherever it sent it. */
  createdCoins: PayoutCoin[];
  fee: string;
}

/**
 * The wallet signed the plan's transactions (without pushing); recorded before anything is pushed, and only what is
 * recorded here is ever pushed. Its created coin ids are what reconciliation looks for on chain.
 */
export interface PayoutSigned {
  type: 'PayoutSigned';
  data: {
    payoutId: string;
    transactions: SignedPayoutTransaction[];
    signedAt: number;
    /**
     * What every transaction (and every later fee bump of it) carries as a memo of one of its payments: the seal
     * through the plan and the allocations' Merkle root (payout-commitment.ts). Absent in signings recorded before.
     */
    commitment?: PayoutCommitment;
  };
}

export interface PayoutSent {
  type: 'PayoutSent';
  /**
   * `sentHeight`: the chain's peak when the node took the transactions, from which the saga counts how long they
   * wait unconfirmed (absent in events recorded before fee bumps existed).
   */
  data: { payoutId: string; transactionIds: string[]; sentAt: number; sentHeight?: number };
}

/**
 * Sent transactions waited unconfirmed too long (a congested mempool): the wallet signed them again with the same
 * coins and payments and a higher fee, recorded here before the new bundles are pushed as replacements (Chia's
 * mempool replaces a waiting bundle by one spending the same coins with a higher fee). Each version spends the same
 * coins, so at most one of them can land: the saga follows the coins of all of them. The fee above the planned one
 * comes out of the wallet's change (the pool's money), never out of a farmer's allocation.
 */
export interface PayoutFeeBumped {
  type: 'PayoutFeeBumped';
  data: {
    payoutId: string;
    /** The new versions, each replacing the latest version of the planned transaction at its `index`. */
    transactions: SignedPayoutTransaction[];
    /** Why, for the operator: how long they waited and what the node's fee estimate was. */
    reason: string;
    /** The chain's peak when they were signed again: a further bump counts blocks from here. */
    bumpedHeight: number;
    bumpedAt: number;
  };
}

export interface PayoutConfirmed {
  type: 'PayoutConfirmed';
  data: { payoutId: string; confirmedHeight: number; confirmedAt: number };
}

export interface PayoutFailed {
  type: 'PayoutFailed';
  data: {
    payoutId: string;
    reason: string;
    /** Attempt number (1-based); after the policy's last attempt the payout is abandoned and its money carried. */
    attempt: number;
    willRetry: boolean;
    failedAt: number;
  };
}

/**
 * An operator settled what the saga leaves to a person (`poolctl payouts resolve`): a payout part of which landed, one
 * the wallet cannot cover, one stuck in a mempool.
 * - abandon: a planned or sent payout is given up; its money moves as a final PayoutFailed moves it, and the saga
 *   watches it as any abandoned payout (should its transactions land after all, it is confirmed and the money taken
 *   back; while one could still land, the next plan spends its inputs).
 * - paid-in-part: the transactions `landedTransactions` (indices into the plan's) are on chain and the others are not;
 *   the allocations they pay are paid, the rest is returned as an abandonment returns it. Final: the saga only
 *   watches that the other transactions can never land.
 * `settled` is what the landed transactions paid (payoutSettlement of the plan), recorded so that a reader holding
 * only the balances (a projection) moves the same money as the ledger; the audit recomputes it.
 */
export interface PayoutResolved {
  type: 'PayoutResolved';
  data: {
    payoutId: string;
    decision: 'abandon' | 'paid-in-part';
    landedTransactions: number[];
    reason: string;
    resolvedAt: number;
    settled: PayoutSettled;
  };
}

/** What some of a plan's transactions pay: the farmers whose allocation they carry, and the fees they spend (mojos). */
export interface PayoutSettled {
  launcherIds: string[];
  poolFee: string;
  blockchainFee: string;
}

export type PayoutEvent = PayoutPlanned | PayoutSigned | PayoutSent | PayoutFeeBumped | PayoutConfirmed | PayoutFailed | PayoutResolved;

export const PAYOUT_EVENT_TYPES = eventTypesOf('payout');

export const payoutStream = (sequence: number): string => `payout-${String(sequence).padStart(8, '0')}`;

/** Operator switch, in stream `payouts-control`: each pause or resume is a fact with a reason. */
export interface PayoutsPaused {
  type: 'PayoutsPaused';
  data: { reason: string; by: 'operator' | 'config' | 'pause_file'; at: number };
}

export interface PayoutsResumed {
  type: 'PayoutsResumed';
  data: { reason: string; by: 'operator' | 'config' | 'pause_file'; at: number };
}

export type PayoutsControlEvent = PayoutsPaused | PayoutsResumed;

export const PAYOUTS_CONTROL_STREAM = 'payouts-control';

/**
 * Scheme and money rules, recorded in every PayoutPlanned. All amounts are mojos (decimal strings) so the
 * record survives JSON unchanged.
 */
export interface PayoutSchemeConfig {
  /** 'prop': all confirmed points since the last payout; 'pplns': the last window of points. */
  name: 'prop' | 'pplns';
  /** PPLNS window: seconds of ledger time, or a number of points (exactly one is set for pplns). */
  windowSeconds?: number;
  windowPoints?: string;
  feeBasisPoints: number;
  poolFeePuzzleHash: string;
  /** Balances below this are carried to the next run. */
  minimumPayout: string;
  maxAdditionsPerTransaction: number;
  /** Optional caps per run; what they hold back is carried. */
  maxRecipientsPerRun?: number;
  maxTotalPerRun?: string;
  maxPerRecipient?: string;
  /** Blockchain fee per transaction (mojos), paid out of the distributable amount before shares. */
  blockchainFeePerTransaction: string;
  /**
   * Where `blockchainFeePerTransaction` came from when the node was asked for a fee estimate (absent: it is the
   * configured fee): the estimate for one payout transaction to confirm within `targetSeconds`, taken up to `cap` and
   * never below `floor` (the configured fee). The audit checks the recorded fee follows that rule.
   */
  feeEstimate?: { targetSeconds: number; estimate: string; cap: string; floor: string };
}
