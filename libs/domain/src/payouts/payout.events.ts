import { eventTypesOf } from '../ledger/pool-event';
/**
 * The payout saga, one stream per payout: `payout-<sequence>` with a zero-padded sequence number, created
 * with "no stream" so two planners can never both plan payout N. Amounts are mojos as decimal strings.
 *
 * PayoutPlanned is written before anything is signed: it records what the plan was computed from (the
 * ledger position and the config), so `poolctl audit` can recompute it from the events alone, and the coin
 * ids the wallet will create, so a restart can find out on chain whether the money already left.
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

export interface PayoutAddition {
  puzzleHash: string;
  amount: string;
  /** sha256(parentCoinId || puzzleHash || amount as Chia int): known before signing. */
  coinId: string;
}

export interface PayoutTransaction {
  /** The wallet coins spent; the first creates every addition, so it is their parent. */
  inputCoinIds: string[];
  additions: PayoutAddition[];
  /** Change back to the pool wallet, if any (also an expected coin). */
  change: PayoutAddition | null;
  /** Blockchain fee of this transaction (mojos). */
  fee: string;
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

export interface PayoutSent {
  type: 'PayoutSent';
  data: { payoutId: string; transactionIds: string[]; sentAt: number };
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

export type PayoutEvent = PayoutPlanned | PayoutSent | PayoutConfirmed | PayoutFailed;

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
}
