/**
 * Why a seal was recorded: a payout was planned (the period it closes can be exported and checked), the books were
 * closed (the closing's snapshot is sealed with everything before it), or time/volume passed.
 */
export type SealReason = 'payout' | 'closing' | 'interval';

/**
 * The ledger up to `coveredPosition` is sealed: `hash` is the running hash (docs/ledger-encoding.md) over the
 * canonical encoding of every event from the first through the one at `coveredPosition`, seals included, and
 * `eventCount` is how many that is. `eventDigests` lists the first bytes of each event's own digest since the
 * previous seal (after `previousPosition`), so an audit that finds the hash changed can name the first event that no
 * longer matches. Recorded in stream `ledger-seals` by the worker's sealer, after the events it covers: appends never
 * wait for it, so other events may stand between `coveredPosition` and the seal itself (the next seal covers them).
 */
export interface LedgerSealed {
  type: 'LedgerSealed';
  data: {
    /** 1 for the ledger's first seal, then one more each. */
    sequence: number;
    /** The canonical encoding the hash is over (LEDGER_ENCODING_VERSION). */
    encoding: number;
    reason: SealReason;
    /** The payout whose PayoutPlanned (reason 'payout') or BooksClosed (reason 'closing') is the last event covered, otherwise null. */
    payoutId: string | null;
    /** The previous seal's coveredPosition (exclusive start of this seal's segment); null for the first seal. */
    previousPosition: string | null;
    /** Store position of the last event covered. */
    coveredPosition: string;
    /** Events covered, from the ledger's first. */
    eventCount: number;
    /** Running SHA-256 after the event at coveredPosition (64 hex characters). */
    hash: string;
    /** Base64 of the first SEALED_DIGEST_BYTES bytes of each covered event's digest after previousPosition, in order. */
    eventDigests: string;
    /** Unix seconds (the worker's clock) the seal was made. */
    sealedAt: number;
  };
}

export type LedgerEvent = LedgerSealed;

/** One stream for every seal, so each seal is appended at the revision after the one it continues. */
export const LEDGER_SEALS_STREAM = 'ledger-seals';
