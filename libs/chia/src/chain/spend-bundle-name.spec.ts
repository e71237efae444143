import { describeWithVectors } from '@pool/testing';
import { G2_INFINITY_HEX, type SpendBundle } from './chain-types';
import { spendBundleName } from './spend-bundle-name';

interface TravelSpend {
  spend_bundle_name: string;
  coin: { parent_coin_info: string; puzzle_hash: string; amount: number };
  puzzle_reveal: string;
  solution: string;
  aggregated_signature: string;
}

const bare = (hex: string): string => hex.replace(/^0x/, '');

describeWithVectors<{ travel_spend_example: TravelSpend }>('spend bundle name (crypto/puzzles.json)', 'crypto/puzzles.json', (v) => {
  const example = v.travel_spend_example;
  const bundle: SpendBundle = {
    coinSpends: [
      {
        coin: { parentCoinInfo: bare(example.coin.parent_coin_info), puzzleHash: bare(example.coin.puzzle_hash), amount: BigInt(example.coin.amount) },
        puzzleReveal: bare(example.puzzle_reveal),
        solution: bare(example.solution),
      },
    ],
    aggregatedSignature: bare(example.aggregated_signature),
  };

  it('is the transaction id the mainnet mempool reported for this spend', () => {
    expect(spendBundleName(bundle)).toBe(bare(example.spend_bundle_name));
  });

  it('names a different bundle differently (the signature is part of the name)', () => {
    expect(spendBundleName({ ...bundle, aggregatedSignature: G2_INFINITY_HEX })).not.toBe(bare(example.spend_bundle_name));
  });
});
