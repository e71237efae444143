import fc from 'fast-check';
import { coinId } from '@pool/chia';
import { DomainError } from '../shared/domain-error';
import { hex32, launcher, puzzle, POOL_FEE_PH } from '@pool/testing';
import { buildPayoutTransactions, checkPredictedCoinIds, checkSignedTransaction, childCoinIds } from './payout-transactions';
import { upcastPayoutPlanned } from './payout-planned.schema';
import type { PayoutCoin, PayoutTransaction, SignedPayoutTransaction } from './payout.events';

const draft = (amounts: number[], poolFee = 10, blockchainFee = 0, puzzleHashes = amounts.map((_, i) => puzzle(i + 1))) => ({
  poolFee: { puzzleHash: POOL_FEE_PH, amount: String(poolFee) },
  blockchainFee: String(blockchainFee),
  allocations: amounts.map((amount, i) => ({ launcherId: launcher(i + 1), puzzleHash: puzzleHashes[i]!, points: '1', amount: String(amount) })),
});

describe('buildPayoutTransactions', () => {
  it('spends the coins it must (an abandoned payout\'s open inputs) first, even when a cheaper coin would do', () => {
    const abandonedInput = { coinId: hex32('a'), amount: 100n };
    const coins = [{ coinId: hex32('1'), amount: 1260n }, abandonedInput, { coinId: hex32('2'), amount: 9000n }];
    const [first, second] = buildPayoutTransactions(draft([1000, 250], 10, 0), coins, 400, [abandonedInput]);
    expect(second).toBeUndefined();
    // 100 from the forced coin, then the smallest coin covering the other 1160 on its own.
    expect(first!.inputCoinIds).toEqual([hex32('a'), hex32('1')]);
    // Without it, the cheaper coin alone pays and the abandoned payout's input stays free to land.
    expect(buildPayoutTransactions(draft([1000, 250], 10, 0), coins, 400)[0]!.inputCoinIds).toEqual([hex32('1')]);
  });

  it('records what to pay (pool fee first, then allocations in plan order) and no coin ids', () => {
    const [tx] = buildPayoutTransactions(draft([1000, 250]), [{ coinId: hex32('1'), amount: 5000n }], 400);
    expect(tx).toEqual({
      inputCoinIds: [hex32('1')],
      payments: [
        { puzzleHash: POOL_FEE_PH, amount: '10' },
        { puzzleHash: puzzle(1), amount: '1000' },
        { puzzleHash: puzzle(2), amount: '250' },
      ],
      fee: '0',
    });
  });

  it('splits outputs by max additions, spreads the fee with the rounding on the first, and picks inputs largest first', () => {
    const coins = [
      { coinId: hex32('3'), amount: 100n },
      { coinId: hex32('2'), amount: 1000n },
      { coinId: hex32('1'), amount: 1000n },
    ];
    const txs = buildPayoutTransactions(draft([300, 300, 300], 10, 7), coins, 2);
    expect(txs.map((t) => t.payments.length)).toEqual([2, 2]);
    expect(txs.map((t) => t.fee)).toEqual(['4', '3']);
    // 314 fits the 1000s only; the smallest covering coin is taken, ties to the smaller id.
    expect(txs.map((t) => t.inputCoinIds)).toEqual([[hex32('1')], [hex32('2')]]);
    const combined = buildPayoutTransactions(draft([900], 0, 0), [{ coinId: hex32('4'), amount: 500n }, { coinId: hex32('5'), amount: 300n }, { coinId: hex32('6'), amount: 200n }], 2);
    expect(combined[0]!.inputCoinIds).toEqual([hex32('4'), hex32('5'), hex32('6')]);
  });

  it('merges farmers who share a payout puzzle hash into one payment', () => {
    const [tx] = buildPayoutTransactions(draft([100, 100], 0, 0, [puzzle(5), puzzle(5)]), [{ coinId: hex32('1'), amount: 200n }], 400);
    expect(tx!.payments).toEqual([{ puzzleHash: puzzle(5), amount: '200' }]);
  });

  it('refuses when the wallet coins do not cover the outputs and fees', () => {
    const run = () => buildPayoutTransactions(draft([1000], 10, 5), [{ coinId: hex32('1'), amount: 1014n }], 400);
    expect(run).toThrow(DomainError);
    expect(run).toThrow(/need 1015 mojos/);
  });

  it('is deterministic whatever order the wallet lists its coins in', () => {
    const coins = [1, 2, 3, 4, 5, 6].map((n) => ({ coinId: hex32(String(n)), amount: BigInt(n * 100) }));
    const a = buildPayoutTransactions(draft([350, 250]), coins, 1);
    const b = buildPayoutTransactions(draft([350, 250]), [...coins].reverse(), 1);
    expect(b).toEqual(a);
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

/** A wallet coin of `amount` (its parent and puzzle hash made up). */
const walletCoin = (n: string, amount: bigint): PayoutCoin => {
  const coin = { parentCoinInfo: hex32(`f${n}`), puzzleHash: hex32('ba11e7'), amount };
  return { coinId: coinId(coin), parentCoinId: coin.parentCoinInfo, puzzleHash: coin.puzzleHash, amount: amount.toString() };
};

const childOf = (parent: PayoutCoin, puzzleHash: string, amount: bigint): PayoutCoin => ({
  coinId: coinId({ parentCoinInfo: parent.coinId, puzzleHash, amount }),
  parentCoinId: parent.coinId,
  puzzleHash,
  amount: amount.toString(),
});

/** A transaction signed as a wallet may: `origin` creates the outputs, change of the rest to `changeTo`. */
function signAs(planned: PayoutTransaction, inputs: PayoutCoin[], origin: number, changeTo: string, outputs = planned.payments): SignedPayoutTransaction {
  const total = inputs.reduce((s, c) => s + BigInt(c.amount), 0n);
  const paid = outputs.reduce((s, p) => s + BigInt(p.amount), 0n);
  const created = outputs.map((p) => childOf(inputs[origin]!, p.puzzleHash, BigInt(p.amount)));
  const change = total - paid - BigInt(planned.fee);
  if (change > 0n) created.push(childOf(inputs[origin]!, changeTo, change));
  return {
    index: 0,
    transactionId: hex32('7'),
    spendBundle: {
      coinSpends: inputs.map((c) => ({ coin: { parentCoinInfo: c.parentCoinId, puzzleHash: c.puzzleHash, amount: c.amount }, puzzleReveal: '80', solution: '80' })),
      aggregatedSignature: 'c0'.padEnd(192, '0'),
    },
    spentCoins: inputs,
    createdCoins: created.reverse(),
    fee: planned.fee,
  };
}

describe('checkSignedTransaction', () => {
  const inputs = [walletCoin('1', 700n), walletCoin('2', 900n)];
  const planned: PayoutTransaction = {
    inputCoinIds: inputs.map((c) => c.coinId),
    payments: [
      { puzzleHash: POOL_FEE_PH, amount: '10' },
      { puzzleHash: puzzle(1), amount: '1000' },
      { puzzleHash: puzzle(2), amount: '250' },
    ],
    fee: '5',
  };

  it('accepts whichever input creates the outputs, in any order, with change at a fresh address or at the pool\'s own', () => {
    expect(checkSignedTransaction(planned, signAs(planned, inputs, 0, hex32('f4e5')), POOL_FEE_PH)).toBeNull();
    expect(checkSignedTransaction(planned, signAs(planned, inputs, 1, hex32('f2e5')), POOL_FEE_PH)).toBeNull();
    expect(checkSignedTransaction(planned, signAs(planned, inputs, 1, POOL_FEE_PH), POOL_FEE_PH)).toBeNull();
  });

  it('names a payment of another amount, a payment missing, and change sent to a farmer', () => {
    const other = [{ ...planned.payments[0]! }, { puzzleHash: puzzle(1), amount: '1001' }, planned.payments[2]!];
    expect(checkSignedTransaction(planned, signAs(planned, inputs, 0, hex32('f4e5'), other), POOL_FEE_PH)).toBe(`pays 1001 to ${puzzle(1)}, the plan pays it 1000`);
    expect(checkSignedTransaction(planned, signAs(planned, inputs, 0, hex32('f4e5'), planned.payments.slice(0, 2)), POOL_FEE_PH)).toBe(`pays nothing to ${puzzle(2)}, the plan pays it 250`);
    expect(checkSignedTransaction(planned, signAs(planned, inputs, 0, puzzle(2)), POOL_FEE_PH)).toBe(`pays 335 + 250 to ${puzzle(2)}, the plan pays it 250`);
  });

  it('names a coin the plan does not allow, a planned input left unspent, a lower fee, and a created coin that does not hash', () => {
    const stranger = walletCoin('3', 900n);
    expect(checkSignedTransaction(planned, signAs(planned, [inputs[0]!, stranger], 0, hex32('f4e5')), POOL_FEE_PH)).toBe(`spends coin ${stranger.coinId}, which the plan does not allow`);
    expect(checkSignedTransaction({ ...planned, inputCoinIds: [...planned.inputCoinIds, stranger.coinId] }, signAs(planned, inputs, 0, hex32('f4e5')), POOL_FEE_PH)).toBe(
      `does not spend planned input ${stranger.coinId}`,
    );
    const cheap = signAs({ ...planned, fee: '4' }, inputs, 0, hex32('f4e5'));
    expect(checkSignedTransaction(planned, { ...cheap, fee: '4' }, POOL_FEE_PH)).toBe('pays a fee of 4, the plan 5');
    const tampered = signAs(planned, inputs, 0, hex32('f4e5'));
    tampered.createdCoins[1] = { ...tampered.createdCoins[1]!, amount: '999' };
    expect(checkSignedTransaction(planned, tampered, POOL_FEE_PH)).toMatch(/^createdCoins\[1\]\.coinId expected [0-9a-f]{64} recorded/);
  });

  it('names a fee that does not balance the coins', () => {
    const signed = signAs(planned, inputs, 0, hex32('f4e5'));
    expect(checkSignedTransaction(planned, { ...signed, fee: '6' }, POOL_FEE_PH)).toBe('spends 1600 mojos but creates 1595 and pays a fee of 6');
  });
});

describe('PayoutPlanned schema 1', () => {
  it('upcasts a transaction with predicted coins to payments, keeping the prediction, which still hashes', () => {
    const parent = hex32('1');
    const addition = (puzzleHash: string, amount: bigint) => ({ puzzleHash, amount: amount.toString(), coinId: coinId({ parentCoinInfo: parent, puzzleHash, amount }) });
    const v1 = { inputCoinIds: [parent], additions: [addition(puzzle(1), 1000n)], change: addition(hex32('c'), 5n), fee: '0' };
    const data = upcastPayoutPlanned({ transactions: [v1] } as unknown as Parameters<typeof upcastPayoutPlanned>[0]);
    const [tx] = data.transactions;
    expect(tx).toEqual({ inputCoinIds: [parent], payments: [{ puzzleHash: puzzle(1), amount: '1000' }], fee: '0', predicted: { additions: v1.additions, change: v1.change } });
    expect(checkPredictedCoinIds(tx!)).toBeNull();
    expect(checkPredictedCoinIds({ ...tx!, predicted: { additions: [{ ...v1.additions[0]!, amount: '1001' }], change: null } })).toMatch(/^additions\[0\]\.coinId expected/);
  });
});
