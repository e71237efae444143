import type { ConfirmedPartial } from './payout-ledger';

/**
 * The confirmed partials a pruned ledger filed away, oldest first, outside the process's memory (poolctl keeps them in
 * a scratch SQLite file): what keeps an audit's memory the same whatever the ledger's age.
 */
export interface PartialArchive {
  readonly size: number;
  /** Files these partials (in ledger order) after those filed before. */
  file(partials: readonly ConfirmedPartial[]): void;
  /** The filed partial with this proof hash, if any. */
  find(proofHash: string): { position: string; reverted: boolean } | undefined;
  markReverted(proofHash: string): void;
  /** Removes and returns the newest `count` filed partials (fewer when it holds fewer), oldest first. */
  takeBack(count: number): ConfirmedPartial[];
}

/** A proof hash as the pool writes it: 32 bytes in lower-case hex. Only these are kept as bytes. */
const CANONICAL_HASH = /^[0-9a-f]{64}$/;
export const isCanonicalProofHash = (proofHash: string): boolean => CANONICAL_HASH.test(proofHash);
const HASH_BYTES = 32;
/** A position as the SQL stores write it (encodeSequence): 20 decimal digits. Kept as a float64 below 2^53. */
const DECIMAL_POSITION = /^\d{20}$/;
const EMPTY = -1;

/**
 * The confirmed partials of a payout ledger, in ledger order, kept column by column: a year of a pool is hundreds of
 * millions of them, and as objects (two 64-character strings, a bigint, a map entry by proof hash) each cost ~360
 * bytes, where these columns take ~70: the proof hash as 32 bytes in one buffer, found through an open-addressing
 * table of indexes; the farmer as an index into the launcher ids seen; points, times and store positions as float64
 * where exact. What a tampered or odd event carries that the columns cannot hold exactly (a proof hash not in
 * lower-case hex, points past 2^53, a time that is not a number, a position of another store's format) is kept aside
 * as given, so the fold reads back exactly what it was given.
 */
export class ConfirmedPartials {
  /**
   * Where a holder that prunes (the audit of a long ledger: payout.audit.ts) files the partials no window reaches any
   * more; none: every partial stays here. Filed ones are still found by proof hash (find), so the fold treats a
   * pruned ledger exactly as a whole one.
   */
  archive: PartialArchive | undefined;
  private count = 0;
  private capacity = 0;
  private hashes = new Uint8Array(0);
  private farmers = new Int32Array(0);
  private pointValues = new Float64Array(0);
  private times = new Float64Array(0);
  private revertedFlags = new Uint8Array(0);
  private positionValues = new Float64Array(0);
  /** Open addressing over `hashes`: a slot holds a partial's index, or EMPTY; never more than half full. */
  private table = new Int32Array(0);
  private readonly launcherIds: string[] = [];
  private readonly launcherIndex = new Map<string, number>();
  /** What the columns cannot hold exactly, by partial index. */
  private readonly oddHashes = new Map<number, string>();
  private readonly oddHashIndex = new Map<string, number>();
  private readonly oddPoints = new Map<number, bigint>();
  private readonly oddTimes = new Map<number, unknown>();
  private readonly oddPositions = new Map<number, string>();
  private readonly scratch = Buffer.alloc(HASH_BYTES);

  get length(): number {
    return this.count;
  }

  push(partial: ConfirmedPartial): void {
    if (this.count === this.capacity) this.grow();
    const i = this.count++;
    this.write(i, partial);
    if (!this.oddHashes.has(i)) this.insert(i);
  }

  /** Partials filed in the archive (older than every one held here). */
  get archived(): number {
    return this.archive?.size ?? 0;
  }

  /** The partial with this proof hash, held here or filed: where it was confirmed, and whether it is reverted. */
  find(proofHash: string): { position: string; reverted: boolean } | undefined {
    const i = this.indexOf(proofHash);
    return i === undefined ? this.archive?.find(proofHash) : { position: this.position(i), reverted: this.reverted(i) };
  }

  /** Flags the partial with this proof hash reverted, held here or filed. */
  revert(proofHash: string): void {
    const i = this.indexOf(proofHash);
    if (i === undefined) this.archive?.markReverted(proofHash);
    else this.markReverted(i);
  }

  /** Files the partials before index `end` in the archive: index `end` becomes index 0. */
  archiveBefore(end: number): void {
    if (this.archive === undefined || end <= 0) return;
    this.archive.file(this.range(0, end));
    this.rebuild([], end);
  }

  /** Takes the newest `count` archived partials back in front of those held (a PPLNS window reaching further back). */
  takeBack(count: number): void {
    if (this.archive === undefined || this.archive.size === 0) return;
    this.rebuild(this.archive.takeBack(count), 0);
  }

  /** The index of the partial with this proof hash (the last one pushed, should there be two), if any. */
  indexOf(proofHash: string): number | undefined {
    if (!isCanonicalProofHash(proofHash)) return this.oddHashIndex.get(proofHash);
    if (this.count === 0) return undefined;
    this.scratch.write(proofHash, 'hex');
    const mask = this.table.length - 1;
    for (let slot = this.slotOf(this.scratch, 0) & mask; ; slot = (slot + 1) & mask) {
      const index = this.table[slot]!;
      if (index === EMPTY) return undefined;
      if (this.sameHash(index, this.scratch)) return index;
    }
  }

  proofHash(i: number): string {
    return this.oddHashes.get(i) ?? Buffer.from(this.hashes.buffer, this.hashes.byteOffset + i * HASH_BYTES, HASH_BYTES).toString('hex');
  }

  launcherId(i: number): string {
    return this.launcherIds[this.farmers[i]!]!;
  }

  points(i: number): bigint {
    return this.oddPoints.get(i) ?? BigInt(this.pointValues[i]!);
  }

  confirmedAt(i: number): number {
    return this.oddTimes.size > 0 && this.oddTimes.has(i) ? (this.oddTimes.get(i) as number) : this.times[i]!;
  }

  position(i: number): string {
    return this.oddPositions.get(i) ?? String(this.positionValues[i]).padStart(20, '0');
  }

  reverted(i: number): boolean {
    return this.revertedFlags[i] === 1;
  }

  markReverted(i: number): void {
    this.revertedFlags[i] = 1;
  }

  /** Partial `i` as an object (snapshots, tests). */
  at(i: number): ConfirmedPartial {
    return { proofHash: this.proofHash(i), launcherId: this.launcherId(i), points: this.points(i), confirmedAt: this.confirmedAt(i), position: this.position(i), reverted: this.reverted(i) };
  }

  /** As JSON, the list of partials it always was (an audit report printed or kept as JSON holds the same). */
  toJSON(): ConfirmedPartial[] {
    return this.slice(0);
  }

  /** The partials from index `from` on, as objects. */
  slice(from: number): ConfirmedPartial[] {
    return this.range(from, this.count);
  }

  private range(from: number, end: number): ConfirmedPartial[] {
    const out: ConfirmedPartial[] = [];
    for (let i = Math.max(0, from); i < end; i++) out.push(this.at(i));
    return out;
  }

  /** Column values of partial `i` (the table is the caller's). */
  private write(i: number, partial: ConfirmedPartial): void {
    let farmer = this.launcherIndex.get(partial.launcherId);
    if (farmer === undefined) {
      farmer = this.launcherIds.push(partial.launcherId) - 1;
      this.launcherIndex.set(partial.launcherId, farmer);
    }
    this.farmers[i] = farmer;
    const points = Number(partial.points);
    this.pointValues[i] = points;
    if (!Number.isSafeInteger(points) || BigInt(points) !== partial.points) this.oddPoints.set(i, partial.points);
    this.times[i] = typeof partial.confirmedAt === 'number' ? partial.confirmedAt : NaN;
    if (typeof partial.confirmedAt !== 'number') this.oddTimes.set(i, partial.confirmedAt);
    this.revertedFlags[i] = partial.reverted ? 1 : 0;
    const position = DECIMAL_POSITION.test(partial.position) ? Number(partial.position) : NaN;
    this.positionValues[i] = position;
    if (!(position <= Number.MAX_SAFE_INTEGER)) this.oddPositions.set(i, partial.position);
    if (isCanonicalProofHash(partial.proofHash)) {
      this.hashes.set(Buffer.from(partial.proofHash, 'hex'), i * HASH_BYTES);
    } else {
      this.oddHashes.set(i, partial.proofHash);
      this.oddHashIndex.set(partial.proofHash, i);
    }
  }

  /**
   * The columns again, holding `front` and then the partials held from index `drop` on, in columns sized to them (a
   * pruned ledger gives its memory back). Costs what it holds: the holder prunes when as many can go as stay.
   */
  private rebuild(front: readonly ConfirmedPartial[], drop: number): void {
    const kept = this.count - drop;
    const count = front.length + kept;
    let capacity = 1024;
    while (capacity < count) capacity *= 2;
    const at = front.length;
    this.hashes = moved(this.hashes.subarray(drop * HASH_BYTES, this.count * HASH_BYTES), new Uint8Array(capacity * HASH_BYTES), at * HASH_BYTES);
    this.farmers = moved(this.farmers.subarray(drop, this.count), new Int32Array(capacity), at);
    this.pointValues = moved(this.pointValues.subarray(drop, this.count), new Float64Array(capacity), at);
    this.times = moved(this.times.subarray(drop, this.count), new Float64Array(capacity), at);
    this.positionValues = moved(this.positionValues.subarray(drop, this.count), new Float64Array(capacity), at);
    this.revertedFlags = moved(this.revertedFlags.subarray(drop, this.count), new Uint8Array(capacity), at);
    const shift = at - drop;
    for (const side of [this.oddHashes, this.oddPoints, this.oddTimes, this.oddPositions] as Map<number, unknown>[]) {
      const entries = [...side].filter(([i]) => i >= drop);
      side.clear();
      for (const [i, value] of entries) side.set(i + shift, value);
    }
    for (const [hash, i] of [...this.oddHashIndex]) {
      if (i >= drop) this.oddHashIndex.set(hash, i + shift);
      else this.oddHashIndex.delete(hash);
    }
    this.count = count;
    this.capacity = capacity;
    front.forEach((partial, i) => this.write(i, partial));
    this.table = new Int32Array(capacity * 2).fill(EMPTY);
    for (let i = 0; i < count; i++) if (!this.oddHashes.has(i)) this.insert(i);
  }

  private grow(): void {
    const capacity = Math.max(1024, this.capacity * 2);
    this.hashes = copied(this.hashes, new Uint8Array(capacity * HASH_BYTES));
    this.farmers = copied(this.farmers, new Int32Array(capacity));
    this.pointValues = copied(this.pointValues, new Float64Array(capacity));
    this.times = copied(this.times, new Float64Array(capacity));
    this.positionValues = copied(this.positionValues, new Float64Array(capacity));
    this.revertedFlags = copied(this.revertedFlags, new Uint8Array(capacity));
    this.capacity = capacity;
    this.table = new Int32Array(capacity * 2).fill(EMPTY);
    for (let i = 0; i < this.count; i++) if (!this.oddHashes.has(i)) this.insert(i);
  }

  /** Files partial `i` in the table; one with the same hash filed before gives it its slot (indexOf finds the last). */
  private insert(i: number): void {
    const mask = this.table.length - 1;
    const hash = this.hashes.subarray(i * HASH_BYTES, (i + 1) * HASH_BYTES);
    for (let slot = this.slotOf(hash, 0) & mask; ; slot = (slot + 1) & mask) {
      const index = this.table[slot]!;
      if (index === EMPTY || this.sameHash(index, hash)) {
        this.table[slot] = i;
        return;
      }
    }
  }

  /**
   * A slot number from all 32 bytes: a real proof hash is a SHA-256 output, but the fold must stay fast on any ledger
   * (a test's or a generator's hashes share long prefixes), so every word is mixed in, then spread (murmur3's fmix32).
   */
  private slotOf(bytes: Uint8Array, offset: number): number {
    let h = 0x811c9dc5;
    for (let b = offset; b < offset + HASH_BYTES; b += 4) {
      h = Math.imul(h ^ (bytes[b]! | (bytes[b + 1]! << 8) | (bytes[b + 2]! << 16) | (bytes[b + 3]! << 24)), 0x01000193);
    }
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    return (h ^ (h >>> 16)) >>> 0;
  }

  private sameHash(index: number, hash: Uint8Array): boolean {
    const base = index * HASH_BYTES;
    for (let b = 0; b < HASH_BYTES; b++) if (this.hashes[base + b] !== hash[b]) return false;
    return true;
  }
}

/** `into`, a column at least as large, holding `from` from index `at` on. */
function moved<T extends Uint8Array | Int32Array | Float64Array>(from: T, into: T, at: number): T {
  into.set(from, at);
  return into;
}

/** `into`, a larger column, holding `from` at its start. */
function copied<T extends Uint8Array | Int32Array | Float64Array>(from: T, into: T): T {
  into.set(from);
  return into;
}
