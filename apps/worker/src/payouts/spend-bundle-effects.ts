import { coinId, createdCoinsOfSpend, type Coin, type SpendBundle } from '@pool/chia';
import { type PayoutCoin, type RecordedSpendBundle } from '@pool/domain';

const hex = (value: string): string => value.toLowerCase().replace(/^0x/, '');

const recordedCoin = (coin: Coin): PayoutCoin => ({
  coinId: coinId(coin),
  parentCoinId: hex(coin.parentCoinInfo),
  puzzleHash: hex(coin.puzzleHash),
  amount: coin.amount.toString(),
});

/**
 * What a spend bundle spends and creates, read from the bundle itself: each coin spend's puzzle run with its solution
 * (createdCoinsOfSpend), every CREATE_COIN a coin of that spend's coin, with its memos when it has any. The wallet's own
 * account of its transaction (the record's additions) is not taken on trust: whatever input it made the parent,
 * wherever it sent the change, these are the coins the chain will create.
 */
export function spendBundleEffects(bundle: SpendBundle): { spentCoins: PayoutCoin[]; createdCoins: PayoutCoin[] } {
  return {
    spentCoins: bundle.coinSpends.map((spend) => recordedCoin(spend.coin)),
    createdCoins: bundle.coinSpends.flatMap((spend) => createdCoinsOfSpend(spend).map(({ coin, memos }) => (memos.length === 0 ? recordedCoin(coin) : { ...recordedCoin(coin), memos }))),
  };
}

/** A spend bundle as the ledger keeps it (JSON-safe), and back. */
export function recordSpendBundle(bundle: SpendBundle): RecordedSpendBundle {
  return {
    coinSpends: bundle.coinSpends.map((s) => ({
      coin: { parentCoinInfo: hex(s.coin.parentCoinInfo), puzzleHash: hex(s.coin.puzzleHash), amount: s.coin.amount.toString() },
      puzzleReveal: hex(s.puzzleReveal),
      solution: hex(s.solution),
    })),
    aggregatedSignature: hex(bundle.aggregatedSignature),
  };
}

export function spendBundleOf(recorded: RecordedSpendBundle): SpendBundle {
  return {
    coinSpends: recorded.coinSpends.map((s) => ({ coin: { ...s.coin, amount: BigInt(s.coin.amount) }, puzzleReveal: s.puzzleReveal, solution: s.solution })),
    aggregatedSignature: recorded.aggregatedSignature,
  };
}
