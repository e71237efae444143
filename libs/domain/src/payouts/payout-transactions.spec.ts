import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { coinId } from '@pool/chia';
import { DomainError } from '../shared/domain-error';
import { hex32, launcher, puzzle, POOL_FEE_PH } from '@pool/testing';
import { buildPayoutTransactions, checkTransactionCoinIds, childCoinIds } from './payout-transactions';

const draft = (amounts: number[], poolFee = 10, blockchainFee = 0, puzzleHashes = amounts.map((_, i) => puzzle(i + 1))) => ({
  poolFee: { puzzleHash: POOL_FEE_PH, amount: String(poolFee) },
  blockchainFee: String(blockchainFee),
  allocations: amounts.map((amount, i) => ({ launcherId: launcher(i + 1), puzzleHash: puzzleHashes[i]!, points: '1', amount: String(amount) })),
});

const CHANGE = hex32('c0ffee');

describe('buildPayoutTransactions', () => {
  it('spends the coins it must (an abandoned payout\'s open inputs) first, even when a cheaper coin would do', () => {
    const abandonedInput = { coinId: hex32('a'), amount: 100n };
    const coins = [{ coinId: hex32('1'), amount: 1260n }, abandonedInput, { coinId: hex32('2'), amount: 9000n }];
    const [first, second] = buildPayoutTransactions(draft([1000, 250], 10, 0), coins, CHANGE, 400, [abandonedInput]);
    expect(second).toBeUndefined();
    // 100 from the forced coin, then the smallest coin covering the other 1160 on its own.
    expect(first!.inputCoinIds).toEqual([hex32('a'), hex32('1')]);
    expect(first!.change).toMatchObject({ puzzleHash: CHANGE, amount: '100' });
    expect(checkTransactionCoinIds(first!)).toBeNull();
    expect(first!.additions[0]!.coinId).toBe(coinId({ parentCoinInfo: hex32('a'), puzzleHash: POOL_FEE_PH, amount: 10n }));
    // Without it, the cheaper coin alone pays and the abandoned payout's input stays free to land.
    expect(buildPayoutTransactions(draft([1000, 250], 10, 0), coins, CHANGE, 400)[0]!.inputCoinIds).toEqual([hex32('1')]);
  });

  it('creates the additions from the first input, with ids sha256(parent || puzzle hash || amount)', () => {
    const coins = [{ coinId: hex32('1'), amount: 5000n }];
    const [tx] = buildPayoutTransactions(draft([1000, 250]), coins, CHANGE, 400);
    expect(tx!.inputCoinIds).toEqual([hex32('1')]);
    expect(tx!.additions.map((a) => [a.puzzleHash, a.amount])).toEqual([
      [POOL_FEE_PH, '10'],
      [puzzle(1), '1000'],
      [puzzle(2), '250'],
    ]);
    // 1000 as a CLVM atom is 0x03e8: the shortest big-endian two's complement encoding.
    const expected = createHash('sha256')
      .update(Buffer.from(hex32('1'), 'hex'))
      .update(Buffer.from(puzzle(1), 'hex'))
      .update(Buffer.from('03e8', 'hex'))
      .digest('hex');
    expect(tx!.additions[1]!.coinId).toBe(expected);
    expect(tx!.change).toMatchObject({ puzzleHash: CHANGE, amount: String(5000 - 1260) });
    expect(checkTransactionCoinIds(tx!)).toBeNull();
  });

  it('splits outputs by max additions, spreads the fee with the rounding on the first, and picks inputs largest first', () => {
    const coins = [
      { coinId: hex32('3'), amount: 100n },
      { coinId: hex32('2'), amount: 1000n },
      { coinId: hex32('1'), amount: 1000n },
    ];
    const txs = buildPayoutTransactions(draft([300, 300, 300], 10, 7), coins, CHANGE, 2);
    expect(txs.map((t) => t.additions.length)).toEqual([2, 2]);
    expect(txs.map((t) => t.fee)).toEqual(['4', '3']);
    // 314 fits the 1000s only; the smallest covering coin is taken, ties to the smaller id.
    expect(txs.map((t) => t.inputCoinIds)).toEqual([[hex32('1')], [hex32('2')]]);
    expect(txs.map((t) => t.change?.amount)).toEqual([String(1000 - 314), String(1000 - 603)]);
    const combined = buildPayoutTransactions(draft([900], 0, 0), [{ coinId: hex32('4'), amount: 500n }, { coinId: hex32('5'), amount: 300n }, { coinId: hex32('6'), amount: 200n }], CHANGE, 2);
    expect(combined[0]!.inputCoinIds).toEqual([hex32('4'), hex32('5'), hex32('6')]);
  });

  it('merges farmers who share a payout puzzle hash into one coin', () => {
    const [tx] = buildPayoutTransactions(draft([100, 100], 0, 0, [puzzle(5), puzzle(5)]), [{ coinId: hex32('1'), amount: 200n }], CHANGE, 400);
    expect(tx!.additions.map((a) => a.amount)).toEqual(['200']);
    expect(tx!.change).toBeNull();
  });

  it('refuses when the wallet coins do not cover the outputs and fees', () => {
    const run = () => buildPayoutTransactions(draft([1000], 10, 5), [{ coinId: hex32('1'), amount: 1014n }], CHANGE, 400);
    expect(run).toThrow(DomainError);
    expect(run).toThrow(/need 1015 mojos/);
  });

  it('is deterministic whatever order the wallet lists its coins in', () => {
    const coins = [1, 2, 3, 4, 5, 6].map((n) => ({ coinId: hex32(String(n)), amount: BigInt(n * 100) }));
    const a = buildPayoutTransactions(draft([350, 250]), coins, CHANGE, 1);
    const b = buildPayoutTransactions(draft([350, 250]), [...coins].reverse(), CHANGE, 1);
    expect(b).toEqual(a);
  });

  it('checkTransactionCoinIds names a coin id that does not hash', () => {
    const [tx] = buildPayoutTransactions(draft([1000]), [{ coinId: hex32('1'), amount: 5000n }], CHANGE, 400);
    tx!.additions[1] = { ...tx!.additions[1]!, amount: '1001' };
    expect(checkTransactionCoinIds(tx!)).toMatch(/^additions\[1\]\.coinId expected [0-9a-f]{64} recorded/);
  });

  it('childCoinIds hashes exactly as libs/chia coinId, and refuses what is not a coin', () => {
    const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString('hex'));
    fc.assert(
      fc.property(bytes32, bytes32, fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), (parent, puzzleHash, amount) => {
        expect(childCoinIds(parent)(puzzleHash, amount)).toBe(coinId({ parentCoinInfo: parent, puzzleHash, amount }));
      }),
      { numRuns: 300 },
    );
    expect(() => childCoinIds('zz'.repeat(32))).toThrow(RangeError);
    expect(() => childCoinIds(hex32('1'))('abc', 1n)).toThrow(RangeError);
    expect(() => childCoinIds(hex32('1'))(hex32('2'), 1n << 64n)).toThrow(RangeError);
  });
});
