import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { isCanonicalProofHash, type AuditOptions, type ConfirmedPartial, type PartialArchive, type PlanArchive } from '@pool/domain';

/**
 * A set bit per (hash, probe): 2^26 bits, 8 MB, whatever the ledger's size. With 3 probes it answers 1 lookup in 1,000
 * wrongly at 2.4 million filed partials (a 5 million event ledger), about 1 in 125 at 5 million: each such answer costs one
 * read of the file, never a wrong result.
 */
const FILTER_BITS = 2 ** 26;
const FILTER_MASK = FILTER_BITS - 1;

/**
 * The audit's archives (payout.audit.ts, `archive` and `planArchive`) in a scratch SQLite file of its own, deleted on
 * close: the confirmed partials no window reaches any more, and the plans of abandoned payouts, leave the process's
 * memory for the disk. Nothing here must survive a crash, so it writes with no journal and no sync. Every new
 * confirmation asks whether its proof was filed before; a Bloom filter of fixed size answers almost all of them without
 * the disk. Its probes come from two hashes of the whole proof hash, not from slices of it: a ledger whose proof hashes
 * share their leading digits (the audit bench's synthetic ones did) otherwise set the same few bits, and 99 % of
 * lookups went to the disk.
 */
export class ScratchAuditArchive implements PartialArchive, PlanArchive {
  private readonly dir = mkdtempSync(join(tmpdir(), 'pool-audit-scratch-'));
  private readonly db = new Database(join(this.dir, 'scratch.db'));
  private readonly filter = new Uint8Array(FILTER_BITS / 8);
  private count = 0;
  private reads = 0;
  private readonly insert;
  private readonly lookup;
  private readonly revert;
  private readonly newest;
  private readonly drop;
  private readonly insertPlan;
  private readonly removePlan;

  constructor() {
    this.db.pragma('journal_mode = OFF');
    this.db.pragma('synchronous = OFF');
    this.db.pragma('cache_size = -2048'); // 2 MB of pages: lookups are rare (the filter), writes append
    // Found by an integer key (hashKey), not by the 64-character hash: a smaller index, cheaper to insert into.
    this.db.exec(`CREATE TABLE partials (seq INTEGER PRIMARY KEY, hash_key INTEGER NOT NULL, hash TEXT NOT NULL, launcher TEXT NOT NULL,
      points TEXT NOT NULL, confirmed_at TEXT NOT NULL, position TEXT NOT NULL, reverted INTEGER NOT NULL);
      CREATE INDEX partials_by_hash_key ON partials (hash_key);
      CREATE TABLE plans (payout_id TEXT PRIMARY KEY, plan TEXT NOT NULL)`);
    this.insert = this.db.prepare('INSERT INTO partials (hash_key, hash, launcher, points, confirmed_at, position, reverted) VALUES (?, ?, ?, ?, ?, ?, ?)');
    this.lookup = this.db.prepare<[number, string], { position: string; reverted: number }>(
      'SELECT position, reverted FROM partials WHERE hash_key = ? AND hash = ? ORDER BY seq DESC LIMIT 1',
    );
    this.revert = this.db.prepare('UPDATE partials SET reverted = 1 WHERE seq = (SELECT max(seq) FROM partials WHERE hash_key = ? AND hash = ?)');
    this.newest = this.db.prepare<[number], { seq: number; hash: string; launcher: string; points: string; confirmed_at: string; position: string; reverted: number }>(
      'SELECT * FROM partials ORDER BY seq DESC LIMIT ?',
    );
    this.drop = this.db.prepare('DELETE FROM partials WHERE seq >= ?');
    this.insertPlan = this.db.prepare('INSERT OR REPLACE INTO plans (payout_id, plan) VALUES (?, ?)');
    this.removePlan = this.db.prepare<[string], { plan: string }>('DELETE FROM plans WHERE payout_id = ? RETURNING plan');
  }

  get size(): number {
    return this.count;
  }

  /** Lookups the filter let through to the file (for benchmarks and tests: each is one indexed read). */
  get lookupsOnDisk(): number {
    return this.reads;
  }

  file(partials: readonly ConfirmedPartial[]): void {
    this.db.transaction(() => {
      for (const p of partials) {
        const hashes = probeHashes(p.proofHash);
        // confirmedAt as JSON: a tampered event's odd value comes back as it was.
        this.insert.run(hashKey(p.proofHash, hashes), p.proofHash, p.launcherId, p.points.toString(), JSON.stringify(p.confirmedAt) ?? 'null', p.position, p.reverted ? 1 : 0);
        this.mark(hashes);
      }
    })();
    this.count += partials.length;
  }

  find(proofHash: string): { position: string; reverted: boolean } | undefined {
    if (this.count === 0) return undefined;
    const hashes = probeHashes(proofHash);
    if (!this.mayHold(hashes)) return undefined;
    this.reads++;
    const row = this.lookup.get(hashKey(proofHash, hashes), proofHash);
    return row === undefined ? undefined : { position: row.position, reverted: row.reverted === 1 };
  }

  markReverted(proofHash: string): void {
    this.revert.run(hashKey(proofHash, probeHashes(proofHash)), proofHash);
  }

  takeBack(count: number): ConfirmedPartial[] {
    const rows = this.newest.all(count).reverse();
    if (rows.length === 0) return [];
    this.drop.run(rows[0]!.seq);
    this.count -= rows.length;
    // Their filter bits stay set: a later lookup of one of them asks the disk and finds nothing, as it should.
    return rows.map((r) => ({ proofHash: r.hash, launcherId: r.launcher, points: BigInt(r.points), confirmedAt: JSON.parse(r.confirmed_at) as number, position: r.position, reverted: r.reverted === 1 }));
  }

  filePlan(payoutId: string, plan: string): void {
    this.insertPlan.run(payoutId, plan);
  }

  takePlan(payoutId: string): string | undefined {
    return this.removePlan.get(payoutId)?.plan;
  }

  close(): void {
    this.db.close();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private mark([first, step]: [number, number]): void {
    for (let probe = 0; probe < PROBES; probe++) {
      const bit = (first + probe * step) & FILTER_MASK;
      this.filter[bit >>> 3]! |= 1 << (bit & 7);
    }
  }

  private mayHold([first, step]: [number, number]): boolean {
    for (let probe = 0; probe < PROBES; probe++) {
      const bit = (first + probe * step) & FILTER_MASK;
      if ((this.filter[bit >>> 3]! & (1 << (bit & 7))) === 0) return false;
    }
    return true;
  }
}

const PROBES = 3;

/**
 * Two 32-bit hashes of every character (FNV-1a, and a multiply-xorshift mix with another seed), from which the probes
 * are `first + i * step` (double hashing). Not cryptographic: a collision only costs a read of the file.
 */
function probeHashes(key: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  // An odd step reaches every bit of the power-of-two filter.
  return [a >>> 0, (b | 1) >>> 0];
}

/** The audit's options that file into a scratch archive: both archives in one file. */
export type ScratchArchives = Required<Pick<AuditOptions, 'archive' | 'planArchive'>>;

/**
 * A proof hash's key in the file, an integer exact in a JavaScript number: the last 13 hex digits of a proof hash as the
 * pool writes it (lower-case hex: as random as any 52 bits of a SHA-256), else the filter's two hashes as one integer of
 * 53 bits. An index of integers is smaller and cheaper to insert into than one of 64-character text: filing 200,000
 * random proof hashes and taking them back cost 6.7 + 6.7 µs a partial instead of 14.8 + 13.6 (a script against the
 * class, 2026-12-07). The audit bench's synthetic proof hashes number their partials in their last digits, so they go
 * into either index in order, which is cheaper still; a real ledger's are random. A key made of the filter's hashes
 * scattered them, and the audit bench took 46-47 s instead of 34-36 s.
 */
const hashKey = (proofHash: string, [first, step]: [number, number]): number =>
  isCanonicalProofHash(proofHash) ? parseInt(proofHash.slice(-13), 16) : first * 2 ** 21 + (step >>> 11);

/** `run` with a scratch archive, closed (and its file deleted) however `run` ends. */
export async function withScratchArchive<T>(run: (archives: ScratchArchives) => Promise<T>): Promise<T> {
  const archive = new ScratchAuditArchive();
  try {
    return await run({ archive, planArchive: archive });
  } finally {
    archive.close();
  }
}
