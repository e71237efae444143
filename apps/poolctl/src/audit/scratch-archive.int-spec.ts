import { existsSync } from 'node:fs';
import { auditLedger } from '@pool/domain';
import { closedLedgerFixture, comparableAuditReport, numberedConfirmedPartial, numberedProofHash } from '@pool/testing';
import { ScratchAuditArchive, withScratchArchive } from './scratch-archive';

const sha = numberedProofHash;
const partial = numberedConfirmedPartial;

describe('the audit\'s scratch archive (a SQLite file of its own)', () => {
  let archive: ScratchAuditArchive;
  beforeEach(() => (archive = new ScratchAuditArchive()));
  afterEach(() => archive.close());

  it('finds what it filed by proof hash, keeps revert flags, and gives back the newest in order, exactly as filed', () => {
    const filed = [...Array.from({ length: 2000 }, (_, n) => partial(n)), partial(2000, { proofHash: 'odd hash', points: 2n ** 70n, confirmedAt: '1700000000' as unknown as number })];
    archive.file(filed.slice(0, 1000));
    archive.file(filed.slice(1000));
    expect(archive.size).toBe(2001);
    expect(archive.find(sha(5))).toEqual({ position: filed[5]!.position, reverted: false });
    expect(archive.find(sha(99_999))).toBeUndefined();
    // Not a canonical proof hash: keyed by the filter's hashes instead of its last digits.
    expect(archive.find('odd hash')).toEqual({ position: filed[2000]!.position, reverted: false });
    archive.markReverted(sha(1990));
    expect(archive.find(sha(1990))).toEqual({ position: filed[1990]!.position, reverted: true });
    const back = archive.takeBack(20);
    expect(back).toEqual(filed.slice(1981).map((p, i) => (i + 1981 === 1990 ? { ...p, reverted: true } : p)));
    expect(archive.size).toBe(1981);
    expect(archive.find(sha(1990))).toBeUndefined();
    expect(archive.find('odd hash')).toBeUndefined();
    expect(archive.takeBack(5000)).toEqual(filed.slice(0, 1981));
    expect(archive.size).toBe(0);
  });

  it('answers lookups of proofs it never filed without the disk, also when proof hashes share their leading digits', () => {
    // As the audit bench's synthetic ledger numbers them: the first 58 hex digits are the same for all.
    const structured = (n: number): string => `9${String(n).padStart(63, '0')}`;
    archive.file(Array.from({ length: 20_000 }, (_, n) => partial(n, { proofHash: structured(n) })));
    archive.file(Array.from({ length: 20_000 }, (_, n) => partial(n + 20_000)));
    const unknown = Array.from({ length: 20_000 }, (_, i) => [structured(40_000 + i), sha(40_000 + i)]).flat();
    expect(unknown.filter((hash) => archive.find(hash) !== undefined)).toEqual([]);
    // 40,000 filed of 2^26 bits with 3 probes: about one wrong "maybe" in a billion lookups.
    expect(archive.lookupsOnDisk).toBeLessThan(10);
    expect(archive.find(structured(123))).toEqual({ position: partial(123).position, reverted: false });
    expect(archive.find(sha(20_123))).toEqual({ position: partial(20_123).position, reverted: false });
    expect(archive.lookupsOnDisk).toBeLessThan(12);
  });

  it('gives back each filed plan once, as filed, the latest where a payout was filed twice', () => {
    const plan = (n: number): string => JSON.stringify({ allocations: Array.from({ length: n }, (_, i) => ({ launcherId: sha(i), amount: String(i) })) });
    archive.filePlan('payout-1', plan(300));
    archive.filePlan('payout-2', plan(1));
    archive.filePlan('payout-2', plan(2));
    expect(archive.takePlan('payout-3')).toBeUndefined();
    expect(archive.takePlan('payout-2')).toBe(plan(2));
    expect(archive.takePlan('payout-2')).toBeUndefined();
    expect(archive.takePlan('payout-1')).toBe(plan(300));
  });

  it('deletes its file on close', async () => {
    let path = '';
    await withScratchArchive(async ({ archive: a, planArchive }) => {
      path = (a as unknown as { dir: string }).dir;
      a.file([partial(1)]);
      planArchive.filePlan('payout-1', '{}');
      expect(existsSync(path)).toBe(true);
    });
    expect(existsSync(path)).toBe(false);
  });

  it('gives the audit that prunes into it the report of the audit holding every partial', async () => {
    const ledger = closedLedgerFixture({ farmers: 30, payouts: 16, partialsPerPayout: 150, seed: 11 });
    const whole = await auditLedger(ledger);
    const file = jest.spyOn(archive, 'file');
    const takeBack = jest.spyOn(archive, 'takeBack');
    const pruned = await auditLedger(ledger, { archive, archiveBatch: 64 });
    expect(whole.ok).toBe(true);
    expect(file.mock.calls.reduce((n, [partials]) => n + partials.length, 0)).toBeGreaterThan(1000);
    expect(takeBack).toHaveBeenCalled();
    expect(pruned.ledger.partials.length + archive.size).toBe(whole.ledger.partials.length);
    const { farmers: _wholeFarmers, ...wholeRest } = comparableAuditReport(whole);
    const { farmers: _prunedFarmers, ...prunedRest } = comparableAuditReport(pruned);
    expect(prunedRest).toEqual(wholeRest);
    expect(pruned.ledger.farmers).toEqual(whole.ledger.farmers);
  });
});
