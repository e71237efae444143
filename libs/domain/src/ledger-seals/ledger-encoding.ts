import { hash } from 'node:crypto';
import { canonicalLedgerJson } from './canonical-json';

/**
 * Version of the canonical encoding (docs/ledger-encoding.md): what each event's bytes are and how the seals chain
 * them. Recorded in every seal and in every export's header; a change of the bytes is a new version, never an edit.
 */
export const LEDGER_ENCODING_VERSION = 1;

/**
 * One event as the seals and the exports see it: the store's position, where it was appended (stream and event id),
 * what it is (type and the schema version it was written at) and its data exactly as recorded (never upcast: the
 * bytes sealed are the bytes stored). A RecordedEvent fits; its revision, metadata and store time are left out
 * (the revision follows from the order, the rest is the store's own bookkeeping and differs between adapters).
 */
export interface LedgerRecord {
  position: string;
  stream: string;
  id: string;
  type: string;
  schemaVersion: number;
  data: unknown;
}

/** The canonical line of one event: canonical JSON of exactly the LedgerRecord fields (keys sorted). */
export function encodeLedgerRecord(record: LedgerRecord): string {
  return canonicalLedgerJson({
    data: record.data,
    id: record.id,
    position: record.position,
    schemaVersion: record.schemaVersion,
    stream: record.stream,
    type: record.type,
  });
}

/** SHA-256 of an event's canonical line (UTF-8). */
export function recordDigest(record: LedgerRecord): Buffer {
  // One-shot hashing: half the cost of a Hash object per event, which an audit of millions of events feels.
  return hash('sha256', encodeLedgerRecord(record), 'buffer');
}

/** Bytes of each event's digest a seal lists, so an audit can name which event changed (the chain proves that one did). */
export const SEALED_DIGEST_BYTES = 4;

/** The chain's value before the first event: 32 zero bytes. */
export const GENESIS_HASH = '00'.repeat(32);

/** The running hash after one more event: SHA-256(previous hash || the event's digest). */
export function chainHash(previous: Buffer, digest: Buffer): Buffer {
  return hash('sha256', Buffer.concat([previous, digest], previous.length + digest.length), 'buffer');
}

/** Where a chain stands: after `eventCount` events, the last at `position` (undefined before the first). */
export interface SealChainPoint {
  position: string | undefined;
  eventCount: number;
  /** 64 hex characters. */
  hash: string;
}

export const CHAIN_START: SealChainPoint = Object.freeze({ position: undefined, eventCount: 0, hash: GENESIS_HASH });

/**
 * The running hash over the ledger in global order, one event at a time. Keeps the short digests of the events since
 * `mark()` (the segment the next seal lists). Both the sealer and the audit run it, so they agree by construction.
 */
export class LedgerChain {
  private hash: Buffer;
  private count: number;
  private position: string | undefined;
  private segment: Buffer[] = [];

  constructor(from: SealChainPoint = CHAIN_START) {
    this.hash = Buffer.from(from.hash, 'hex');
    this.count = from.eventCount;
    this.position = from.position;
  }

  /** Adds the next event (in the order read: the store's, or an export's lines); returns its digest. */
  append(record: LedgerRecord): Buffer {
    const digest = recordDigest(record);
    this.hash = chainHash(this.hash, digest);
    this.count++;
    this.position = record.position;
    this.segment.push(digest.subarray(0, SEALED_DIGEST_BYTES));
    return digest;
  }

  get point(): SealChainPoint {
    return { position: this.position, eventCount: this.count, hash: this.hash.toString('hex') };
  }

  /** Events appended since the last mark. */
  get segmentLength(): number {
    return this.segment.length;
  }

  /** The short digests of the events since the last mark, as a seal records them (base64). */
  segmentDigests(): string {
    return Buffer.concat(this.segment).toString('base64');
  }

  /** Starts a new segment here (after a seal). */
  mark(): void {
    this.segment = [];
  }
}

/** A seal's `eventDigests` split back into one short digest per event (hex). */
export function splitSealedDigests(base64: string): string[] {
  const bytes = Buffer.from(base64, 'base64');
  const digests: string[] = [];
  for (let i = 0; i + SEALED_DIGEST_BYTES <= bytes.length; i += SEALED_DIGEST_BYTES) digests.push(bytes.subarray(i, i + SEALED_DIGEST_BYTES).toString('hex'));
  return digests;
}
