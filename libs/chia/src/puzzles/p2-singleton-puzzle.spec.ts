import fc from 'fast-check';
import { describeWithVectors } from '@pool/testing';
import { Program } from 'clvm-lib';
import { toHex } from './bytes-hex';
import { p2SingletonOrDelayedPuzzle, p2SingletonOrDelayedPuzzleHash } from './p2-singleton-puzzle';
import { P2_SINGLETON_OR_DELAYED_PUZHASH, SINGLETON_LAUNCHER, SINGLETON_TOP_LAYER_V1_0 } from './puzzle-programs';

interface V1File {
  p2_singleton_puzzle_hash: {
    launcher_id: string;
    delay_time: number;
    delay_puzzle_hash: string;
    p2_singleton_puzzle_hash: string;
  }[];
}
interface PuzzlesFile {
  absorb_spend_example: { reward_spend: { coin: { puzzle_hash: string }; puzzle_reveal: string } };
}

const hex32 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map(toHex);
const delay = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });

describe('p2_singleton_or_delayed_puzhash', () => {
  it('the sha256 fast path equals hashing the clvm-lib curried puzzle (random inputs)', () => {
    fc.assert(
      fc.property(hex32, delay, hex32, (launcherId, delayTime, delayPh) => {
        expect(p2SingletonOrDelayedPuzzleHash(launcherId, delayTime, delayPh)).toBe(
          p2SingletonOrDelayedPuzzle(launcherId, delayTime, delayPh).hashHex(),
        );
      }),
      { numRuns: 60 },
    );
  });

  it('curries the five arguments in Chia order', () => {
    const launcherId = 'ab'.repeat(32);
    const delayPh = 'cd'.repeat(32);
    const uncurried = p2SingletonOrDelayedPuzzle(launcherId, 604800, delayPh).uncurry();
    expect(uncurried).not.toBeNull();
    const [mod, args] = uncurried as [Program, Program[]];
    expect(mod.hashHex()).toBe(P2_SINGLETON_OR_DELAYED_PUZHASH.treeHash);
    expect(args.map((a) => a.toHex())).toEqual([
      SINGLETON_TOP_LAYER_V1_0.treeHash,
      launcherId,
      SINGLETON_LAUNCHER.treeHash,
      Program.fromBigInt(604800n).toHex(),
      delayPh,
    ]);
  });

  it('accepts 0x prefixes and number or bigint delays alike', () => {
    const a = p2SingletonOrDelayedPuzzleHash('11'.repeat(32), 3600, '22'.repeat(32));
    expect(p2SingletonOrDelayedPuzzleHash(`0x${'11'.repeat(32)}`, 3600n, `0X${'22'.repeat(32)}`)).toBe(a);
    expect(p2SingletonOrDelayedPuzzleHash('11'.repeat(32), 3601, '22'.repeat(32))).not.toBe(a);
  });

  it('rejects malformed inputs', () => {
    expect(() => p2SingletonOrDelayedPuzzleHash('11'.repeat(31), 1, '22'.repeat(32))).toThrow(/launcher_id: expected 32 bytes/);
    expect(() => p2SingletonOrDelayedPuzzleHash('11'.repeat(32), -1, '22'.repeat(32))).toThrow(/uint64/);
    expect(() => p2SingletonOrDelayedPuzzleHash('11'.repeat(32), 1.5, '22'.repeat(32))).toThrow(/whole number/);
    expect(() => p2SingletonOrDelayedPuzzleHash('11'.repeat(32), 1n << 64n, '22'.repeat(32))).toThrow(/uint64/);
    expect(() => p2SingletonOrDelayedPuzzleHash('11'.repeat(32), 1, 'xyz')).toThrow(/delay_puzzle_hash: contains a character that is not a hex digit/);
  });
});

describeWithVectors<V1File>(
  'p2_singleton_puzzle_hash vectors (protocol/puzzle_hashes_v1_pool_singleton.json)',
  'protocol/puzzle_hashes_v1_pool_singleton.json',
  (v) => {
    it.each(v.p2_singleton_puzzle_hash.map((row) => [row.launcher_id.slice(0, 8), row] as const))(
      'launcher %s…',
      (_id, row) => {
        expect(p2SingletonOrDelayedPuzzleHash(row.launcher_id, row.delay_time, row.delay_puzzle_hash)).toBe(
          row.p2_singleton_puzzle_hash,
        );
        expect(p2SingletonOrDelayedPuzzle(row.launcher_id, row.delay_time, row.delay_puzzle_hash).hashHex()).toBe(
          row.p2_singleton_puzzle_hash,
        );
      },
    );
  },
);

describeWithVectors<PuzzlesFile>('mainnet reward coin puzzle (crypto/puzzles.json)', 'crypto/puzzles.json', (v) => {
  it('rebuilds the revealed p2 puzzle of the absorbed reward coin byte for byte', () => {
    const { reward_spend: spend } = v.absorb_spend_example;
    // Launcher id, delay and delay puzzle hash as curried in the on-chain reveal (block 3326213).
    const launcherId = '1844ac993a536e7b25c5e33f19ca103f31e62ce2cda83fe440c8bae8fe99338f';
    const delayPh = '64dfc086d72c4e27434c86cc7af122e25abf79e34374f7e6fb4ffb2f71300b7d';
    expect(p2SingletonOrDelayedPuzzle(launcherId, 604800, delayPh).serializeHex()).toBe(spend.puzzle_reveal.slice(2));
    expect(p2SingletonOrDelayedPuzzleHash(launcherId, 604800, delayPh)).toBe(spend.coin.puzzle_hash.slice(2));
  });
});
