import { chainHash, GENESIS_HASH, LEDGER_ENCODING_VERSION, recordDigest, SEALED_DIGEST_BYTES, splitSealedDigests, type LedgerRecord } from './ledger-encoding';
import type { LedgerSealed } from './ledger-seal.events';

/** Something a seal check found (the audit's problem shape). */
export interface SealProblem {
  position: string | undefined;
  message: string;
}

export interface SealAuditSummary {
  /** LedgerSealed events read, and how many of them every covered event matched. */
  seals: number;
  verified: number;
  /** What the last seal covers: its position and the events after it, which no seal read here covers yet. */
  lastSealedPosition: string | null;
  unsealedEvents: number;
}

export interface SealVerifierOptions {
  /**
   * Events kept to check the next seal against (the segment since the last seal, plus the events appended between
   * a seal's covered position and the seal itself). A seal whose segment starts further back cannot be checked and
   * is reported. Default 500,000 (the sealer seals at least every `seal_every_events`, at most 100,000).
   */
  maxSegmentEvents?: number;
}

/** One event of the window: what names it, and the chain after it. */
interface Entry {
  position: string;
  type: string;
  stream: string;
  id: string;
  digest: Buffer;
  /** Events from the ledger's first through this one. */
  count: number;
  hash: Buffer;
}

interface Point {
  position: string | undefined;
  count: number;
  hash: Buffer;
}

/**
 * Checks every LedgerSealed against the events before it, as the audit reads them (the whole store in global order,
 * or an export's lines): it runs the same chain as the sealer and, at each seal, compares the chain at the seal's
 * covered position and each event's short digest since the previous seal. A changed, removed, inserted or reordered
 * event is named (position, type, stream, id): the first one whose digest no longer matches. After a failed seal
 * the chain continues from what that seal recorded, so each later seal is judged on its own segment and the one
 * change is reported once.
 */
export class SealVerifier {
  readonly problems: SealProblem[] = [];
  private entries: Entry[] = [];
  /** The chain before entries[0]. */
  private base: Point = { position: undefined, count: 0, hash: Buffer.from(GENESIS_HASH, 'hex') };
  private hash = Buffer.from(GENESIS_HASH, 'hex');
  private count = 0;
  private lastSeal: { sequence: number; coveredPosition: string; eventCount: number } | null = null;
  private seals = 0;
  private verified = 0;
  private readonly maxSegmentEvents: number;

  constructor(options: SealVerifierOptions = {}) {
    this.maxSegmentEvents = options.maxSegmentEvents ?? 500_000;
  }

  /** The next event in order; a seal is checked before it joins the chain (the next seal covers it). */
  push(record: LedgerRecord): void {
    this.pushDigested(record, recordDigest(record));
  }

  /**
   * The next event with its digest computed elsewhere (the parallel audit's threads hash their segments' events):
   * only a seal's data is read here.
   */
  pushDigested(record: Omit<LedgerRecord, 'data' | 'schemaVersion'> & { data?: unknown }, digest: Buffer): void {
    if (record.type === 'LedgerSealed') this.check(record);
    this.hash = chainHash(this.hash, digest);
    this.count++;
    this.entries.push({ position: record.position, type: record.type, stream: record.stream, id: record.id, digest, count: this.count, hash: this.hash });
    if (this.entries.length > this.maxSegmentEvents + this.maxSegmentEvents / 10) this.dropBefore(this.entries.length - this.maxSegmentEvents);
  }

  /** Undefined when no seal was read (a ledger from before seals): nothing to say, and nothing that failed. */
  summary(): SealAuditSummary | undefined {
    if (this.seals === 0) return undefined;
    return {
      seals: this.seals,
      verified: this.verified,
      lastSealedPosition: this.lastSeal?.coveredPosition ?? null,
      unsealedEvents: this.count - (this.lastSeal?.eventCount ?? 0),
    };
  }

  private check(record: { position: string; data?: unknown }): void {
    this.seals++;
    const seal = (record.data ?? {}) as Partial<LedgerSealed['data']>;
    const where = `seal ${String(seal.sequence)} at position ${record.position}`;
    const problem = (position: string | undefined, message: string): void => void this.problems.push({ position, message: `${where}: ${message}` });
    const expectedSequence = (this.lastSeal?.sequence ?? 0) + 1;
    const previous = typeof seal.previousPosition === 'string' ? seal.previousPosition : null;
    const covered = seal.coveredPosition;
    try {
      if (seal.sequence !== expectedSequence) problem(record.position, `expected seal ${expectedSequence} here (a seal was removed, copied or renumbered)`);
      if (seal.encoding !== LEDGER_ENCODING_VERSION) return problem(record.position, `encoding ${String(seal.encoding)} is not one this audit knows (${LEDGER_ENCODING_VERSION})`);
      if (typeof covered !== 'string' || !(covered < record.position)) return problem(record.position, `covers position ${String(covered)}, which is not before the seal`);
      const before = this.lastSeal?.coveredPosition ?? null;
      if (previous !== before) problem(record.position, `continues a seal covering ${previous ?? 'nothing'}, but the seal before it here covers ${before ?? 'nothing'}`);
      if (previous === null ? this.base.count !== 0 : this.base.position !== undefined && previous < this.base.position) {
        return problem(record.position, `cannot be checked: its segment starts more than ${this.maxSegmentEvents} events back`);
      }
      this.compare(record, seal, previous, covered, problem);
    } finally {
      if (typeof covered === 'string' && typeof seal.sequence === 'number') this.lastSeal = { sequence: seal.sequence, coveredPosition: covered, eventCount: Number(seal.eventCount) };
    }
  }

  /** The seal's segment, event by event, then the chain at its covered position. */
  private compare(record: { position: string }, seal: Partial<LedgerSealed['data']>, previous: string | null, covered: string, problem: (position: string | undefined, message: string) => void): void {
    const start = previous === null ? 0 : this.lastIndexAtOrBefore(previous) + 1;
    const end = Math.max(start - 1, this.lastIndexAtOrBefore(covered));
    const segment = this.entries.slice(start, end + 1);
    const sealed = splitSealedDigests(typeof seal.eventDigests === 'string' ? seal.eventDigests : '');
    const differs = (i: number): boolean => i >= segment.length || i >= sealed.length || segment[i]!.digest.subarray(0, SEALED_DIGEST_BYTES).toString('hex') !== sealed[i];
    const length = Math.max(segment.length, sealed.length);
    let first = 0;
    while (first < length && !differs(first)) first++;
    const at = end >= 0 ? { count: this.entries[end]!.count, hash: this.entries[end]!.hash } : { count: this.base.count, hash: this.base.hash };
    if (first < length) {
      const after = `event ${first + 1} after ${previous === null ? 'the start' : `position ${previous}`}`;
      if (first < segment.length) {
        const e = segment[first]!;
        problem(e.position, `event ${e.count} of the ledger, at position ${e.position} (${e.type} in ${e.stream}, id ${e.id}), no longer matches what the seal recorded (${after})`);
      } else {
        problem(record.position, `${sealed.length - segment.length} sealed event(s) up to position ${covered} are missing (${after} onwards)`);
      }
      this.continueFrom(end, seal);
    } else if (at.count !== seal.eventCount || at.hash.toString('hex') !== seal.hash) {
      problem(
        record.position,
        `every event it covers matches its digest, but the chain through position ${covered} is ${at.hash.toString('hex')} after ${at.count} events, ` +
          `where the seal records ${String(seal.hash)} after ${String(seal.eventCount)}: the seal itself was changed`,
      );
      this.continueFrom(end, seal);
    } else {
      this.verified++;
      this.dropBefore(end + 1);
    }
  }

  /** After a failed seal: the chain goes on from what the seal recorded, so later seals are judged on their own events. */
  private continueFrom(end: number, seal: Partial<LedgerSealed['data']>): void {
    if (typeof seal.hash !== 'string' || !/^[0-9a-f]{64}$/.test(seal.hash) || !Number.isSafeInteger(seal.eventCount)) return this.dropBefore(end + 1);
    let hash = Buffer.from(seal.hash, 'hex');
    let count = seal.eventCount!;
    this.base = { position: end >= 0 ? this.entries[end]!.position : this.base.position, count, hash };
    this.entries = this.entries.slice(end + 1);
    for (const entry of this.entries) {
      hash = chainHash(hash, entry.digest);
      entry.hash = hash;
      entry.count = ++count;
    }
    this.hash = hash;
    this.count = count;
  }

  /** Forgets entries[0..index), keeping the chain's value before the rest. */
  private dropBefore(index: number): void {
    if (index <= 0) return;
    const last = this.entries[index - 1]!;
    this.base = { position: last.position, count: last.count, hash: last.hash };
    this.entries = this.entries.slice(index);
  }

  /** Index of the last kept event at or before `position` (in the order read), -1 when none. */
  private lastIndexAtOrBefore(position: string): number {
    for (let i = this.entries.length - 1; i >= 0; i--) if (this.entries[i]!.position <= position) return i;
    return -1;
  }
}
