import { Program } from 'clvm-lib';
import { coinId, runProgram, type Coin, type SpendBundle } from '@pool/chia';
import { type PayoutCoin, type RecordedSpendBundle } from '@pool/domain';

const CREATE_COIN = 51n;

const hex = (value: string): string => value.toLowerCase().replace(/^0x/, '');

const recordedCoin = (coin: Coin): PayoutCoin => ({
  coinId: coinId(coin),
  parentCoinId: hex(coin.parentCoinInfo),
  puzzleHash: hex(coin.puzzleHash),
  amount: coin.amount.toString(),
});

/** A block's cost limit: no spend the chain could include costs more. */
const MAX_BLOCK_COST = 11_000_000_000n;

/**
 * What a spend bundle spends and creates, read from the bundle itself: each coin spend's puzzle run with its solution,
 * every CREATE_COIN a coin of that spend's coin. The wallet's own account of its transaction (the record's additions)
 * is not taken on trust: whatever input it made the parent, wherever it sent the change, these are the coins the chain
 * will create. Signatures are not checked here (the node does); the puzzles run as a node's mempool runs them.
 */
export function spendBundleEffects(bundle: SpendBundle): { spentCoins: PayoutCoin[]; createdCoins: PayoutCoin[] } {
  const spentCoins: PayoutCoin[] = [];
  const createdCoins: PayoutCoin[] = [];
  for (const spend of bundle.coinSpends) {
    spentCoins.push(recordedCoin(spend.coin));
    const parent = coinId(spend.coin);
    const output = runProgram(Program.deserializeHex(hex(spend.puzzleReveal)), Program.deserializeHex(hex(spend.solution)), { maxCost: MAX_BLOCK_COST }).value;
    for (const condition of output.toList()) {
      if (!condition.isCons || !condition.first.isAtom || condition.first.toBigInt() !== CREATE_COIN) continue;
      const [, puzzleHash, amount] = condition.toList(false);
      if (puzzleHash === undefined || amount === undefined || !puzzleHash.isAtom || puzzleHash.atom.length !== 32) {
        throw new Error(`a CREATE_COIN of coin ${parent} is malformed`);
      }
      createdCoins.push(recordedCoin({ parentCoinInfo: parent, puzzleHash: Buffer.from(puzzleHash.atom).toString('hex'), amount: amount.toBigInt() }));
    }
  }
  return { spentCoins, createdCoins };
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
