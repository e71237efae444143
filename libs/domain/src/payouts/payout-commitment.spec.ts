import { createHash } from 'node:crypto';
import { launcher, puzzle } from '@pool/testing';
import {
  allocationLeaf,
  allocationProof,
  allocationsRoot,
  parsePayoutCommitmentMemo,
  payoutCommitment,
  payoutCommitmentMemo,
  rootFromProof,
  commitmentProblem,
} from './payout-commitment';

const allocation = (n: number, amount = BigInt(1000 + n)) => ({ launcherId: launcher(n), puzzleHash: puzzle(n), points: '1', amount: amount.toString() });
const allocations = (count: number) => Array.from({ length: count }, (_, i) => allocation(i + 1));

/** The documented formulas (docs/payout-commitments.md), spelled out here without the module's helpers. */
const h = (...hex: string[]): string => createHash('sha256').update(Buffer.from(hex.join(''), 'hex')).digest('hex');
const u64 = (n: bigint): string => n.toString(16).padStart(16, '0');
const leafByHand = (a: ReturnType<typeof allocation>): string => h('00', a.launcherId, a.puzzleHash, u64(BigInt(a.amount)));
const nodeByHand = (left: string, right: string): string => h('01', left, right);

describe('payout commitments', () => {
  it('hashes leaves and nodes as documented: three allocations make ((a b) c)', () => {
    const three = allocations(3);
    const [a, b, c] = three.map(leafByHand);
    expect(three.map(allocationLeaf)).toEqual([a, b, c]);
    expect(allocationsRoot(three)).toBe(nodeByHand(nodeByHand(a!, b!), c!));
    // One allocation: the root is its leaf.
    expect(allocationsRoot(three.slice(0, 1))).toBe(a);
  });

  it.each([1, 2, 3, 4, 5, 7, 8, 9, 33])('proves every allocation of %i to the root, and no changed line', (count) => {
    const all = allocations(count);
    const root = allocationsRoot(all);
    for (const [i, a] of all.entries()) {
      const proof = allocationProof(all, i);
      expect(proof.length).toBeLessThanOrEqual(Math.ceil(Math.log2(count)));
      expect(rootFromProof(allocationLeaf(a), proof)).toBe(root);
      // One mojo more, another address or another farmer: another root.
      expect(rootFromProof(allocationLeaf({ ...a, amount: (BigInt(a.amount) + 1n).toString() }), proof)).not.toBe(root);
      expect(rootFromProof(allocationLeaf({ ...a, puzzleHash: puzzle(99) }), proof)).not.toBe(root);
      expect(rootFromProof(allocationLeaf({ ...a, launcherId: launcher(99) }), proof)).not.toBe(root);
    }
  });

  it('gives another root when lines are reordered, added or removed', () => {
    const all = allocations(4);
    const root = allocationsRoot(all);
    expect(allocationsRoot([all[1]!, all[0]!, ...all.slice(2)])).not.toBe(root);
    expect(allocationsRoot(all.slice(0, 3))).not.toBe(root);
    expect(allocationsRoot([...all, allocation(5)])).not.toBe(root);
  });

  it('refuses what cannot be a line: no allocations, an amount beyond a uint64, a short id', () => {
    expect(() => allocationsRoot([])).toThrow(/without allocations/);
    expect(() => allocationLeaf(allocation(1, 1n << 64n))).toThrow(/uint64/);
    expect(() => allocationLeaf({ ...allocation(1), puzzleHash: 'ab' })).toThrow(/puzzle hash/);
    expect(() => allocationProof(allocations(2), 2)).toThrow(/no allocation 2/);
  });

  it('writes a memo longer than a hint that reads back to the same commitment', () => {
    const commitment = payoutCommitment({ payoutId: 'payout-00000007', allocations: allocations(3) }, { sequence: 12, hash: 'ab'.repeat(32) });
    expect(commitment.memo).toBe(`chia-pool-ledger/1 payout=payout-00000007 seal=12 seal_hash=${'ab'.repeat(32)} allocations_root=${allocationsRoot(allocations(3))}`);
    expect(Buffer.byteLength(commitment.memo)).toBeGreaterThan(32);
    expect(parsePayoutCommitmentMemo(commitment.memo)).toEqual({ payoutId: 'payout-00000007', sealSequence: 12, sealHash: 'ab'.repeat(32), allocationsRoot: commitment.allocationsRoot });
    expect(parsePayoutCommitmentMemo(commitment.memo.replace('seal=12', 'seal=012'))).toBeNull();
    expect(parsePayoutCommitmentMemo(`${commitment.memo} `)).toBeNull();
    expect(parsePayoutCommitmentMemo('hello')).toBeNull();
    expect(() => payoutCommitmentMemo('payout 1', commitment)).toThrow(/cannot be written/);
  });

  it("names a recorded commitment that is not its plan's: another root, or a memo that says something else", () => {
    const plan = { payoutId: 'payout-00000007', allocations: allocations(3) };
    const commitment = payoutCommitment(plan, { sequence: 12, hash: 'ab'.repeat(32) });
    expect(commitmentProblem(plan, commitment)).toBeNull();
    expect(commitmentProblem({ ...plan, allocations: allocations(2) }, commitment)).toMatch(/allocations root/);
    expect(commitmentProblem(plan, { ...commitment, memo: commitment.memo.replace('seal=12', 'seal=13') })).toMatch(/its fields say/);
    expect(commitmentProblem(plan, { ...commitment, sealSequence: 13 })).toMatch(/its fields say/);
  });
});
