import { G2_INFINITY_HEX, type Coin, type SpendBundle, coinId, spendBundleName } from '@pool/chia';
import { DevnetChain, type DevnetChainOptions } from './devnet-chain';
import { clvmList, conditionsPuzzle, createCoinCondition } from './devnet-puzzles';
import { MEMPOOL_MIN_FEE_INCREASE } from './mempool-policy';

const TAG = 'mempool-spec';
const WALLET_PH = conditionsPuzzle(TAG).hashHex();
const PAYEE = 'ab'.repeat(32);
const COIN = 1_000_000_000_000n;

/** A spend of `coin` paying PAYEE everything but `fee` (one output, so every such spend costs about the same). */
function spend(coin: Coin, fee: bigint, outputs = 1): SpendBundle {
  const each = (coin.amount - fee) / BigInt(outputs);
  const rest = coin.amount - fee - each * BigInt(outputs);
  const conditions = Array.from({ length: outputs }, (_, i) => createCoinCondition(`${(i + 1).toString(16).padStart(2, '0')}`.repeat(32), each + (i === 0 ? rest : 0n)));
  return { coinSpends: [{ coin, puzzleReveal: conditionsPuzzle(TAG).serializeHex(), solution: clvmList(conditions).serializeHex() }], aggregatedSignature: G2_INFINITY_HEX };
}

/** Spending both coins in one bundle, as a replacement that spends more than the original. */
function spendBoth(a: Coin, b: Coin, fee: bigint): SpendBundle {
  const first = spend(a, fee);
  const second = { coin: b, puzzleReveal: conditionsPuzzle(TAG).serializeHex(), solution: clvmList([createCoinCondition(PAYEE, b.amount)]).serializeHex() };
  return { coinSpends: [...first.coinSpends, second], aggregatedSignature: G2_INFINITY_HEX };
}

function chainWith(options: Partial<DevnetChainOptions> = {}): { chain: DevnetChain; coins: Coin[] } {
  const chain = new DevnetChain({ seed: 'mempool-spec', networkBlockEverySignagePoints: 0, ...options });
  const coins = Array.from({ length: 12 }, () => chain.mint(WALLET_PH, COIN));
  chain.farmBlock();
  return { chain, coins };
}

/** The cost the devnet gives a one-output spend (every such spend of these coins has the same bytes). */
function costOfOneSpend(): bigint {
  const { chain, coins } = chainWith();
  chain.addToMempool(spend(coins[0]!, 0n));
  return chain.mempoolItems()[0]!.cost;
}

const spentIn = async (chain: DevnetChain, coin: Coin): Promise<number | undefined> => (await chain.getCoinRecordByName(coinId(coin)))?.spentBlockIndex;

describe('DevnetChain mempool: blocks take the best fee per cost first', () => {
  const cost = costOfOneSpend();

  it('leaves the lowest payer waiting when a block is full, and takes it in a later block', async () => {
    const { chain, coins } = chainWith({ blockMaxCost: cost * 2n + cost / 2n });
    const [cheap, dear, dearer] = coins;
    chain.addToMempool(spend(cheap!, 1_000n));
    chain.addToMempool(spend(dear!, 50_000_000n));
    chain.addToMempool(spend(dearer!, 90_000_000n));
    const first = chain.farmBlock();
    expect(first.includedTransactions).toHaveLength(2);
    expect(await spentIn(chain, dear!)).toBe(first.block.height);
    expect(await spentIn(chain, dearer!)).toBe(first.block.height);
    expect(await spentIn(chain, cheap!)).toBe(0);
    expect(chain.mempoolItems().map((item) => item.fee)).toEqual([1_000n]);
    const second = chain.farmBlock();
    expect(await spentIn(chain, cheap!)).toBe(second.block.height);
    expect(first.block.fees).toBe(140_000_000n);
  });

  it('reports the mempool in get_blockchain_state: its cost, fees and limits', async () => {
    const { chain, coins } = chainWith({ blockMaxCost: 10n * cost, mempoolMaxTotalCost: 30n * cost });
    chain.addToMempool(spend(coins[0]!, 7n));
    chain.addToMempool(spend(coins[1]!, 5n));
    const state = await chain.getBlockchainState();
    expect(state).toMatchObject({ mempoolSize: 2, mempoolCost: 2n * cost, mempoolFees: 12n, blockMaxCost: 10n * cost, mempoolMaxTotalCost: 30n * cost });
  });
});

describe('DevnetChain mempool: replacing a waiting bundle (Chia can_replace)', () => {
  it('replaces a bundle by one spending the same coin with a fee higher by at least the minimum increase', async () => {
    const { chain, coins } = chainWith();
    const original = spend(coins[0]!, 1_000n);
    chain.addToMempool(original);
    // One mojo more per cost is not enough: the total must rise by MEMPOOL_MIN_FEE_INCREASE.
    expect(() => chain.addToMempool(spend(coins[0]!, 1_000n + MEMPOOL_MIN_FEE_INCREASE - 1n))).toThrow(/MEMPOOL_CONFLICT/);
    const bumped = spend(coins[0]!, 1_000n + MEMPOOL_MIN_FEE_INCREASE);
    expect(chain.addToMempool(bumped)).toEqual({ status: 'SUCCESS' });
    expect(chain.mempoolItems().map((item) => item.name)).toEqual([spendBundleName(bumped)]);
    const block = chain.farmBlock();
    expect(block.includedTransactions).toEqual([spendBundleName(bumped)]);
    expect(block.block.fees).toBe(1_000n + MEMPOOL_MIN_FEE_INCREASE);
  });

  it('refuses a replacement that drops a coin the waiting bundle spends, or pays less per cost', async () => {
    const { chain, coins } = chainWith();
    const both = spendBoth(coins[0]!, coins[1]!, 20_000_000n);
    chain.addToMempool(both);
    expect(() => chain.addToMempool(spend(coins[0]!, 500_000_000n))).toThrow(/MEMPOOL_CONFLICT.*does not spend coin/);
    // The same fee spread over more outputs: more fee in total than required, but more cost too.
    const { chain: other, coins: others } = chainWith();
    other.addToMempool(spend(others[0]!, 100_000_000n));
    expect(() => other.addToMempool(spend(others[0]!, 110_000_000n, 40))).toThrow(/MEMPOOL_CONFLICT.*fee per cost/);
    // A superset paying more per cost (it costs about twice as much) and more in total replaces.
    other.addToMempool(spendBoth(others[0]!, others[1]!, 250_000_000n));
    expect(other.mempoolItems()).toHaveLength(1);
    expect(chain.mempoolItems().map((item) => item.name)).toEqual([spendBundleName(both)]);
  });
});

describe('DevnetChain mempool: a full mempool', () => {
  const cost = costOfOneSpend();

  it('refuses a bundle that pays no more per cost than what it would evict, and evicts the lowest payer for one that does', () => {
    const { chain, coins } = chainWith({ blockMaxCost: cost + cost / 2n, mempoolMaxTotalCost: 3n * cost + cost / 2n });
    for (const [i, fee] of [300_000_000n, 100_000_000n, 200_000_000n].entries()) chain.addToMempool(spend(coins[i]!, fee));
    expect(() => chain.addToMempool(spend(coins[3]!, 100_000_000n))).toThrow(/INVALID_FEE_LOW_FEE/);
    // Below Chia's minimum of 5 mojos per cost, even an empty slot's worth of eviction is refused.
    expect(() => chain.addToMempool(spend(coins[3]!, 1n))).toThrow(/INVALID_FEE_LOW_FEE/);
    chain.addToMempool(spend(coins[3]!, 150_000_000n));
    expect(chain.mempoolItems().map((item) => item.fee)).toEqual([300_000_000n, 200_000_000n, 150_000_000n]);
  });
});

describe('DevnetChain get_fee_estimate', () => {
  const cost = costOfOneSpend();

  it('asks nothing of an empty mempool, and answers with the fields and units of Chia', async () => {
    const { chain } = chainWith();
    const estimate = await chain.getFeeEstimate({ targetTimes: [300, 60], cost: 10_000_000n });
    expect(estimate).toMatchObject({ estimates: [0n, 0n], targetTimes: [60, 300], numSpends: 0, mempoolSize: 0n, fullNodeSynced: true, peakHeight: chain.peakHeight() });
    await expect(chain.getFeeEstimate({ targetTimes: [60] } as never)).rejects.toThrow(/exactly one/);
    expect((await chain.getFeeEstimate({ targetTimes: [60], spendType: 'send_xch_transaction', spendCount: 2 })).estimates).toEqual([0n]);
  });

  it('prices a congested mempool so that paying the estimate gets in within the target, and paying less does not', async () => {
    const blockMaxCost = 4n * cost;
    const { chain, coins } = chainWith({ blockMaxCost, mempoolMaxTotalCost: 100n * cost });
    // Eight competing spends: two blocks' worth, the fees rising.
    for (let i = 0; i < 8; i++) chain.addToMempool(spend(coins[i]!, 40_000_000n + BigInt(i) * 1_000_000n));
    // Only calls farm here, so the estimate counts on Chia's pace of 32 blocks a sub-slot (2 s on the devnet's 64 s
    // sub-slots): within 1 s is the next block, within 4 s the next two.
    const { estimates } = await chain.getFeeEstimate({ targetTimes: [1, 4, 600], spendBundle: spend(coins[8]!, 0n) });
    const [nextBlock, twoBlocks, later] = estimates as [bigint, bigint, bigint];
    expect(nextBlock).toBeGreaterThan(twoBlocks);
    expect(later).toBe(0n);

    chain.addToMempool(spend(coins[8]!, nextBlock));
    chain.addToMempool(spend(coins[9]!, nextBlock - 2_000_000n));
    const block = chain.farmBlock();
    expect(await spentIn(chain, coins[8]!)).toBe(block.block.height);
    expect(await spentIn(chain, coins[9]!)).toBe(0);
  });
});
