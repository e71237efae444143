import { coinId } from '@pool/chia';
import { buildPayoutTransactions, memoHex, type PayoutCoin, type PayoutPlanned, type PayoutSigned, type SignedPayoutTransaction } from '@pool/domain';
import { hex32, launcher, POOL_FEE_PH, propScheme, puzzle } from './payout-events.fixture';

/** A wallet coin whose id hashes from a made-up parent, the wallet's puzzle hash and its amount. */
export function walletCoinFixture(n: number, amount: bigint, puzzleHash = 'ba'.repeat(32)): PayoutCoin {
  const parentCoinInfo = n.toString(16).padStart(64, 'f');
  return { coinId: coinId({ parentCoinInfo, puzzleHash, amount }), parentCoinId: parentCoinInfo, puzzleHash, amount: amount.toString() };
}

/** The wallet coins as buildPayoutTransactions takes them. */
export const asWalletCoins = (coins: readonly PayoutCoin[]): { coinId: string; amount: bigint }[] => coins.map((c) => ({ coinId: c.coinId, amount: BigInt(c.amount) }));

/**
 * The plan's transactions signed as a wallet may sign them: the last input (not the first) creates the outputs,
 * payments in reverse order, change to `changeTo` (a fresh address by default). `coins` must hold every planned input.
 * What a spend bundle's puzzles would say is taken as given: specs of the domain do not run CLVM.
 */
export function signPlanFixture(
  plan: PayoutPlanned['data'],
  coins: readonly PayoutCoin[],
  options: { changeTo?: string; transactionId?: (index: number) => string; memo?: string } = {},
): SignedPayoutTransaction[] {
  const byId = new Map(coins.map((c) => [c.coinId, c]));
  return plan.transactions.map((tx, index) => {
    const inputs = tx.inputCoinIds.map((id) => {
      const coin = byId.get(id);
      if (coin === undefined) throw new Error(`signPlanFixture: no coin ${id}`);
      return coin;
    });
    const origin = inputs[inputs.length - 1]!;
    const child = (puzzleHash: string, amount: bigint): PayoutCoin => ({ coinId: coinId({ parentCoinInfo: origin.coinId, puzzleHash, amount }), parentCoinId: origin.coinId, puzzleHash, amount: amount.toString() });
    // With a memo (the payout's commitment), on the first payment, as the saga asks the wallet.
    const memos = options.memo === undefined ? {} : { memos: [memoHex(options.memo)] };
    const created = tx.payments.map((p, i) => ({ ...child(p.puzzleHash, BigInt(p.amount)), ...(i === 0 ? memos : {}) })).reverse();
    const change = inputs.reduce((s, c) => s + BigInt(c.amount), 0n) - tx.payments.reduce((s, p) => s + BigInt(p.amount), 0n) - BigInt(tx.fee);
    if (change > 0n) created.push(child(options.changeTo ?? 'c4'.repeat(32), change));
    return {
      index,
      transactionId: options.transactionId?.(index) ?? `${index + 1}`.padStart(64, 'e'),
      spendBundle: {
        coinSpends: inputs.map((c) => ({ coin: { parentCoinInfo: c.parentCoinId, puzzleHash: c.puzzleHash, amount: c.amount }, puzzleReveal: '80', solution: '80' })),
        aggregatedSignature: 'c0'.padEnd(192, '0'),
      },
      spentCoins: inputs,
      createdCoins: created,
      fee: tx.fee,
    };
  });
}

export const signedEventFixture = (plan: PayoutPlanned['data'], transactions: SignedPayoutTransaction[], signedAt = 5005): PayoutSigned => ({
  type: 'PayoutSigned',
  data: { payoutId: plan.payoutId, transactions, signedAt },
});

/**
 * A plan of three transactions with one output each, the pool fee (0), farmer 1 (1) and farmer 2 (2), each from its
 * own 1,000-mojo wallet coin: what the specs of a payout that lands in part need. `coins` are those wallet coins.
 */
export function onePaymentPerTransactionPlanFixture(ledgerPosition: string): { plan: PayoutPlanned['data']; coins: PayoutCoin[] } {
  const draft = {
    poolFee: { puzzleHash: POOL_FEE_PH, amount: '10' },
    blockchainFee: '6',
    allocations: [
      { launcherId: launcher(1), puzzleHash: puzzle(1), points: '3', amount: '600' },
      { launcherId: launcher(2), puzzleHash: puzzle(2), points: '2', amount: '384' },
    ],
  };
  const coins = [walletCoinFixture(1, 1000n), walletCoinFixture(2, 1000n), walletCoinFixture(3, 1000n)];
  return { plan: planFromDraftFixture(draft, coins, 1, { ledgerPosition }), coins };
}

/**
 * Payout 1 (PROP, of one reward of `rewardTotal`) that pays `draft` from `coins`, at most `maxAdditions` payments per
 * transaction; the rest of PayoutPlanned's fields as a plan of the fixtures would have them.
 */
export function planFromDraftFixture(
  draft: Pick<PayoutPlanned['data'], 'poolFee' | 'blockchainFee' | 'allocations'>,
  coins: readonly PayoutCoin[],
  maxAdditions: number,
  overrides: Partial<PayoutPlanned['data']> = {},
): PayoutPlanned['data'] {
  const paid = BigInt(draft.poolFee.amount) + BigInt(draft.blockchainFee) + draft.allocations.reduce((sum, a) => sum + BigInt(a.amount), 0n);
  return {
    ...draft,
    payoutId: 'payout-00000001',
    sequence: 1,
    ledgerPosition: '00000000000000000042',
    plannedAt: 5000,
    scheme: propScheme(),
    configVersion: 'v1',
    rewardCoinIds: [hex32('r1')],
    rewardTotal: paid.toString(),
    carried: [],
    transactions: buildPayoutTransactions(draft, asWalletCoins(coins), maxAdditions),
    ...overrides,
  };
}
