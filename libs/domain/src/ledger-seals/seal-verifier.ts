import { chainHash, ChainLink, GENESIS_HASH, LEDGER_ENCODING_VERSION, SEALED_DIGEST_BYTES, splitSealedDigests, type LedgerRecord } from './ledger-encoding';
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

interface Point {
  position: string | undefined;
  count: number;
  hash: Buffer;
}

/** An event whose digest is already known: what names it, and the data of a seal (the only data read). */
type DigestedRecord = Omit<LedgerRecord, 'data' | 'schemaVersion'> & { data?: unknown };

/** Bytes kept per event: its digest, then the chain after it. */
const SLOT = 64;

/**
 * The events kept for the next seal, field by field: what names each (position, type, stream, id) and, in one buffer,
 * its digest and the chain after it. An object and two buffers per event cost several times the 64 bytes it needs,
 * and the window holds hundreds of thousands of them. An event's count is the window's base count plus its index.
 */
class KeptEvents {
  private positions: string[] = [];
  private types: string[] = [];
  private streams: string[] = [];
  private ids: string[] = [];
  private bytes = Buffer.alloc(SLOT * 4096);
  /** Index of the first kept event in the arrays above. */
  private first = 0;
  /** One string per type name, not one per event read. */
  private readonly typeNames = new Map<string, string>();

  get length(): number {
    return this.positions.length - this.first;
  }

  push(record: { position: string; type: string; stream: string; id: string }, digest: Buffer, hash: Buffer): void {
    const slot = this.positions.length;
    if ((slot + 1) * SLOT > this.bytes.length) this.grow();
    let type = this.typeNames.get(record.type);
    if (type === undefined) this.typeNames.set(record.type, (type = record.type));
    this.positions.push(record.position);
    this.types.push(type);
    this.streams.push(record.stream);
    this.ids.push(record.id);
    digest.copy(this.bytes, this.positions.length * SLOT - SLOT);
    hash.copy(this.bytes, this.positions.length * SLOT - SLOT / 2);
  }

  position(i: number): string {
    return this.positions[this.first + i]!;
  }

  name(i: number): { position: string; type: string; stream: string; id: string } {
    const at = this.first + i;
    return { position: this.positions[at]!, type: this.types[at]!, stream: this.streams[at]!, id: this.ids[at]! };
  }

  /** A view of the kept bytes: copy it to keep it past the next change of the window. */
  digest(i: number): Buffer {
    const at = (this.first + i) * SLOT;
    return this.bytes.subarray(at, at + SLOT / 2);
  }

  hash(i: number): Buffer {
    const at = (this.first + i) * SLOT + SLOT / 2;
    return this.bytes.subarray(at, at + SLOT / 2);
  }

  setHash(i: number, hash: Buffer): void {
    hash.copy(this.bytes, (this.first + i) * SLOT + SLOT / 2);
  }

  /** Forgets the first `n` kept events. */
  dropFirst(n: number): void {
    this.first += Math.min(n, this.length);
    if (this.first === this.positions.length) {
      this.positions = [];
      this.types = [];
      this.streams = [];
      this.ids = [];
      this.first = 0;
    }
  }

  /** Room for one more: the dropped events' room first, a larger buffer only when the kept ones fill half of it. */
  private grow(): void {
    const kept = this.length;
    const bytes = kept * SLOT * 2 + SLOT > this.bytes.length ? Buffer.alloc(this.bytes.length * 2) : this.bytes;
    this.bytes.copy(bytes, 0, this.first * SLOT, this.positions.length * SLOT);
    this.bytes = bytes;
    this.positions = this.positions.slice(this.first);
    this.types = this.types.slice(this.first);
    this.streams = this.streams.slice(this.first);
    this.ids = this.ids.slice(this.first);
    this.first = 0;
  }
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
  private readonly kept = new KeptEvents();
  /** The chain before the first kept event. */
  private base: Point = { position: undefined, count: 0, hash: Buffer.from(GENESIS_HASH, 'hex') };
  /** The chain through the last event pushed, and that event's digest. */
  private readonly link = new ChainLink();
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
    this.link.digestOf(record);
    this.add(record);
  }

  /**
   * The next event with its digest computed elsewhere (the parallel audit's threads hash their segments' events):
   * only a seal's data is read here.
   */
  pushDigested(record: DigestedRecord, digest: Buffer): void {
    digest.copy(this.link.digest);
    this.add(record);
  }

  /** The next event, whose digest the link holds. */
  private add(record: DigestedRecord): void {
    if (record.type === 'LedgerSealed') this.check(record);
    this.link.step();
    this.count++;
    this.kept.push(record, this.link.digest, this.link.hash);
    if (this.kept.length > this.maxSegmentEvents + this.maxSegmentEvents / 10) this.dropBefore(this.kept.length - this.maxSegmentEvents);
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
    const segmentLength = end + 1 - start;
    const sealed = splitSealedDigests(typeof seal.eventDigests === 'string' ? seal.eventDigests : '');
    const differs = (i: number): boolean =>
      i >= segmentLength || i >= sealed.length || this.kept.digest(start + i).subarray(0, SEALED_DIGEST_BYTES).toString('hex') !== sealed[i];
    const length = Math.max(segmentLength, sealed.length);
    let first = 0;
    while (first < length && !differs(first)) first++;
    const at = end >= 0 ? { count: this.countAt(end), hash: this.kept.hash(end) } : { count: this.base.count, hash: this.base.hash };
    if (first < length) {
      const after = `event ${first + 1} after ${previous === null ? 'the start' : `position ${previous}`}`;
      if (first < segmentLength) {
        const e = this.kept.name(start + first);
        problem(e.position, `event ${this.countAt(start + first)} of the ledger, at position ${e.position} (${e.type} in ${e.stream}, id ${e.id}), no longer matches what the seal recorded (${after})`);
      } else {
        problem(record.position, `${sealed.length - segmentLength} sealed event(s) up to position ${covered} are missing (${after} onwards)`);
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
    const count = seal.eventCount!;
    this.base = { position: end >= 0 ? this.kept.position(end) : this.base.position, count, hash };
    this.kept.dropFirst(end + 1);
    for (let i = 0; i < this.kept.length; i++) {
      hash = chainHash(hash, this.kept.digest(i));
      this.kept.setHash(i, hash);
    }
    this.link.restart(hash);
    this.count = count + this.kept.length;
  }

  /** Forgets the first `index` kept events, keeping the chain's value before the rest. */
  private dropBefore(index: number): void {
    if (index <= 0) return;
    this.base = { position: this.kept.position(index - 1), count: this.countAt(index - 1), hash: Buffer.from(this.kept.hash(index - 1)) };
    this.kept.dropFirst(index);
  }

  /** Events from the ledger's first through the kept event at `index`. */
  private countAt(index: number): number {
    return this.base.count + index + 1;
  }

  /** Index of the last kept event at or before `position` (in the order read), -1 when none. */
  private lastIndexAtOrBefore(position: string): number {
    for (let i = this.kept.length - 1; i >= 0; i--) if (this.kept.position(i) <= position) return i;
    return -1;
  }
}
