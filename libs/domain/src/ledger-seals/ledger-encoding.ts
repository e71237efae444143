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

/**
 * SHA-256 of `data` (a string as UTF-8) written into `into` at `offset`. One-shot hashing costs half a Hash object per
 * call, and of what is left, node handing the digest back as a Buffer of its own is most (about 1 µs): handed back as
 * a latin1 string (one character per byte, the same bytes) and written into a buffer kept for the purpose, a digest
 * costs 0.4-0.7 µs. The seals' chain takes two per event, so an audit of millions of events feels it.
 */
function sha256Into(data: string | Buffer, into: Buffer, offset: number): void {
  // 'binary' is node's other name for latin1, the one its typings accept for a digest.
  into.write(hash('sha256', data, 'binary'), offset, 'binary');
}

/** SHA-256 of an event's canonical line (UTF-8). */
export function recordDigest(record: LedgerRecord): Buffer {
  const digest = Buffer.allocUnsafe(32);
  sha256Into(encodeLedgerRecord(record), digest, 0);
  return digest;
}

/** Bytes of each event's digest a seal lists, so an audit can name which event changed (the chain proves that one did). */
export const SEALED_DIGEST_BYTES = 4;

/** The chain's value before the first event: 32 zero bytes. */
export const GENESIS_HASH = '00'.repeat(32);

/** The running hash after one more event: SHA-256(previous hash || the event's digest). */
export function chainHash(previous: Buffer, digest: Buffer): Buffer {
  const link = new ChainLink(previous);
  digest.copy(link.digest);
  link.step();
  return Buffer.from(link.hash);
}

/**
 * One step of the chain at a time, in one buffer reused for every event: the hash so far, then the next event's
 * digest. A step hashes the two (chainHash) into the first half, so neither a digest nor a hash is a buffer of its own.
 */
export class ChainLink {
  private readonly bytes = Buffer.alloc(64);
  /** The hash so far (a view: copy it to keep it past the next step). */
  readonly hash = this.bytes.subarray(0, 32);
  /** The next event's digest, or after a step the digest of the event it added (a view, as `hash`). */
  readonly digest = this.bytes.subarray(32, 64);

  constructor(from: Buffer | string = GENESIS_HASH) {
    this.restart(from);
  }

  /** Sets the hash so far (32 bytes, or 64 hex digits). */
  restart(from: Buffer | string): void {
    if (typeof from === 'string') this.hash.write(from, 'hex');
    else from.copy(this.hash);
  }

  /** Writes the digest of `record` (recordDigest) as the next event's. */
  digestOf(record: LedgerRecord): void {
    sha256Into(encodeLedgerRecord(record), this.bytes, 32);
  }

  /** Adds the next event, whose digest was set: the hash becomes SHA-256(hash || digest). */
  step(): void {
    sha256Into(this.bytes, this.bytes, 0);
  }
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
  private readonly link: ChainLink;
  private count: number;
  private position: string | undefined;
  /** The short digests since the last mark, byte by byte. */
  private segment: number[] = [];

  constructor(from: SealChainPoint = CHAIN_START) {
    this.link = new ChainLink(from.hash);
    this.count = from.eventCount;
    this.position = from.position;
  }

  /** Adds the next event (in the order read: the store's, or an export's lines). */
  append(record: LedgerRecord): void {
    this.link.digestOf(record);
    this.link.step();
    this.count++;
    this.position = record.position;
    for (let i = 0; i < SEALED_DIGEST_BYTES; i++) this.segment.push(this.link.digest[i]!);
  }

  get point(): SealChainPoint {
    return { position: this.position, eventCount: this.count, hash: this.link.hash.toString('hex') };
  }

  /** Events appended since the last mark. */
  get segmentLength(): number {
    return this.segment.length / SEALED_DIGEST_BYTES;
  }

  /** The short digests of the events since the last mark, as a seal records them (base64). */
  segmentDigests(): string {
    return Buffer.from(this.segment).toString('base64');
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
