import { numberedConfirmedPartial, numberedProofHash } from '@pool/testing';
import { ConfirmedPartials, type PartialArchive } from './confirmed-partials';
import type { ConfirmedPartial } from './payout-ledger';

const sha = numberedProofHash;
const partial = numberedConfirmedPartial;

describe('ConfirmedPartials', () => {
  it('gives back every partial as pushed, in order, and finds each by its proof hash across growth', () => {
    const partials = new ConfirmedPartials();
    const pushed = Array.from({ length: 5000 }, (_, n) => partial(n));
    for (const p of pushed) partials.push(p);
    expect(partials.length).toBe(5000);
    expect(partials.slice(0)).toEqual(pushed);
    for (const n of [0, 1, 1023, 1024, 2047, 4999]) expect(partials.indexOf(sha(n))).toBe(n);
    expect(partials.indexOf(sha(5000))).toBeUndefined();
    expect(partials.slice(4998).map((p) => p.position)).toEqual([pushed[4998]!.position, pushed[4999]!.position]);
  });

  it('keeps a revert flag per partial', () => {
    const partials = new ConfirmedPartials();
    for (let n = 0; n < 3; n++) partials.push(partial(n));
    partials.markReverted(1);
    expect([0, 1, 2].map((i) => partials.reverted(i))).toEqual([false, true, false]);
  });

  it('stays exact for what the columns cannot hold: odd proof hashes, points past 2^53, times that are not numbers, positions of other formats', () => {
    const partials = new ConfirmedPartials();
    const odd = [
      partial(0, { proofHash: 'not a hash' }),
      partial(1, { proofHash: sha(1).toUpperCase() }),
      partial(2, { points: 2n ** 64n + 1n }),
      partial(3, { points: -5n }),
      partial(4, { confirmedAt: '1700000004' as unknown as number }),
      partial(5, { confirmedAt: 1_700_000_000.5 }),
      partial(6, { position: 'C:1024/P:1024' }),
      partial(7, { position: '99999999999999999999' }),
      partial(8, { position: '123' }),
    ];
    for (const p of odd) partials.push(p);
    expect(partials.slice(0)).toEqual(odd);
    expect(partials.indexOf('not a hash')).toBe(0);
    expect(partials.indexOf(sha(1).toUpperCase())).toBe(1);
    expect(partials.indexOf(sha(1))).toBeUndefined();
  });

  it('finds hashes that share all but their last byte (a generator numbers its proofs) and, of two alike, the last', () => {
    const partials = new ConfirmedPartials();
    const numbered = (n: number): string => n.toString(16).padStart(64, '0');
    for (let n = 0; n < 3000; n++) partials.push(partial(n, { proofHash: numbered(n) }));
    partials.push(partial(3000, { proofHash: numbered(17) }));
    expect(partials.indexOf(numbered(2999))).toBe(2999);
    expect(partials.indexOf(numbered(17))).toBe(3000);
    expect(partials.indexOf(numbered(3001))).toBeUndefined();
  });
});

describe('ConfirmedPartials with an archive', () => {
  const listArchive = (): { archive: PartialArchive; filed: ConfirmedPartial[] } => {
    const filed: ConfirmedPartial[] = [];
    const archive: PartialArchive = {
      get size() {
        return filed.length;
      },
      file: (partials) => void filed.push(...partials),
      find: (proofHash) => filed.find((p) => p.proofHash === proofHash),
      markReverted: (proofHash) => void (filed.find((p) => p.proofHash === proofHash)!.reverted = true),
      takeBack: (count) => filed.splice(Math.max(0, filed.length - count)),
    };
    return { archive, filed };
  };

  it('files the oldest partials, finds the rest by hash at their new indexes, and takes the newest filed back in order', () => {
    const partials = new ConfirmedPartials();
    const { archive, filed } = listArchive();
    partials.archive = archive;
    const pushed = [...Array.from({ length: 3000 }, (_, n) => partial(n)), partial(3000, { proofHash: 'odd', points: 2n ** 70n, position: 'C:1/P:1' })];
    for (const p of pushed) partials.push(p);
    partials.markReverted(10);
    partials.archiveBefore(2500);
    expect(filed).toEqual(pushed.slice(0, 2500).map((p, n) => (n === 10 ? { ...p, reverted: true } : p)));
    expect(partials.slice(0)).toEqual(pushed.slice(2500));
    expect(partials.indexOf(sha(2600))).toBe(100);
    expect(partials.indexOf('odd')).toBe(500);
    expect(partials.indexOf(sha(10))).toBeUndefined();
    expect(partials.find(sha(10))).toMatchObject({ position: pushed[10]!.position, reverted: true });
    partials.takeBack(600);
    expect(partials.archived).toBe(1900);
    expect(partials.slice(0)).toEqual(pushed.slice(1900));
    expect(partials.indexOf(sha(1900))).toBe(0);
    expect(partials.indexOf('odd')).toBe(1100);
    expect(partials.at(1100).points).toBe(2n ** 70n);
    partials.push(partial(3001));
    expect(partials.indexOf(sha(3001))).toBe(1101);
  });
});
