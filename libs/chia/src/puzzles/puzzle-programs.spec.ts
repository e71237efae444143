import { describeWithVectors } from '@pool/testing';
import { Program } from 'clvm-lib';
import * as puzzles from './puzzle-programs';
import { EMBEDDED_PUZZLES } from './puzzle-programs';

interface PuzzlesFile {
  puzzles: Record<string, { tree_hash: string; hex: string; serialized_length: number }>;
}
interface V1HashesFile {
  mod_hashes: Record<string, string>;
}
interface V2HashesFile {
  mod_hashes: Record<string, string>;
}

describe('embedded puzzle programs', () => {
  it.each(EMBEDDED_PUZZLES.map((p) => [p.name, p] as const))('%s hashes to its declared tree hash', (_name, puzzle) => {
    const program = Program.deserializeHex(puzzle.hex);
    expect(program.hashHex()).toBe(puzzle.treeHash);
    expect(program.serializeHex()).toBe(puzzle.hex);
  });

  it('lists every exported puzzle exactly once', () => {
    const exported = Object.values(puzzles).filter(
      (value): value is puzzles.EmbeddedPuzzle => typeof value === 'object' && value !== null && 'treeHash' in value,
    );
    expect(new Set(EMBEDDED_PUZZLES)).toEqual(new Set(exported));
  });

  it('INDEX_WRAPPER is (a 5 7)', () => {
    const program = Program.deserializeHex(puzzles.INDEX_WRAPPER.hex);
    expect(program.toList().map((p) => p.toBigInt())).toEqual([2n, 5n, 7n]);
  });
});

describeWithVectors<PuzzlesFile>('embedded puzzles equal chia_puzzles (crypto/puzzles.json)', 'crypto/puzzles.json', (v) => {
  const pairs: [string, puzzles.EmbeddedPuzzle][] = [
    ['SINGLETON_TOP_LAYER', puzzles.SINGLETON_TOP_LAYER_V1_0],
    ['SINGLETON_LAUNCHER', puzzles.SINGLETON_LAUNCHER],
    ['P2_SINGLETON_OR_DELAYED_PUZHASH', puzzles.P2_SINGLETON_OR_DELAYED_PUZHASH],
    ['POOL_MEMBER_INNERPUZ', puzzles.POOL_MEMBER_INNERPUZ],
    ['POOL_WAITINGROOM_INNERPUZ', puzzles.POOL_WAITINGROOM_INNERPUZ],
    ['SINGLETON_TOP_LAYER_V1_1', puzzles.SINGLETON_TOP_LAYER_V1_1],
  ];
  it.each(pairs)('%s', (vectorName, embedded) => {
    const vector = v.puzzles[vectorName];
    expect(embedded.hex).toBe(vector.hex);
    expect(embedded.treeHash).toBe(vector.tree_hash);
    expect(embedded.hex.length / 2).toBe(vector.serialized_length);
  });
});

describeWithVectors<V1HashesFile>(
  'v1 mod hashes (protocol/puzzle_hashes_v1_pool_singleton.json)',
  'protocol/puzzle_hashes_v1_pool_singleton.json',
  (v) => {
    it('match the embedded programs', () => {
      expect(v.mod_hashes).toEqual({
        singleton_top_layer: puzzles.SINGLETON_TOP_LAYER_V1_0.treeHash,
        p2_singleton_or_delayed_puzhash: puzzles.P2_SINGLETON_OR_DELAYED_PUZHASH.treeHash,
        singleton_launcher: puzzles.SINGLETON_LAUNCHER.treeHash,
        pool_member_innerpuz: puzzles.POOL_MEMBER_INNERPUZ.treeHash,
        pool_waitingroom_innerpuz: puzzles.POOL_WAITINGROOM_INNERPUZ.treeHash,
      });
    });
  },
);

describeWithVectors<V2HashesFile>(
  'v2 mod hashes (protocol/puzzle_hashes_v2_reward_puzzle.json)',
  'protocol/puzzle_hashes_v2_reward_puzzle.json',
  (v) => {
    it('match the embedded programs', () => {
      expect(v.mod_hashes).toEqual({
        singleton_member: puzzles.SINGLETON_MEMBER.treeHash,
        delegated_puzzle_feeder: puzzles.DELEGATED_PUZZLE_FEEDER.treeHash,
        singleton_top_layer_v1_1: puzzles.SINGLETON_TOP_LAYER_V1_1.treeHash,
        singleton_launcher: puzzles.SINGLETON_LAUNCHER.treeHash,
        'index_wrapper (a 5 7)': puzzles.INDEX_WRAPPER.treeHash,
      });
    });
  },
);

interface PlotNftV2File {
  mod_hashes: Record<string, string>;
}

describeWithVectors<PlotNftV2File>('v2 Plot NFT mod hashes (protocol/plotnft_v2.json)', 'protocol/plotnft_v2.json', (v) => {
  // Vector key (its label, up to the first space) -> the embedded module that must carry that hash.
  const pairs: [string, puzzles.EmbeddedPuzzle][] = [
    ['singleton_top_layer_v1_1', puzzles.SINGLETON_TOP_LAYER_V1_1],
    ['singleton_launcher', puzzles.SINGLETON_LAUNCHER],
    ['1_of_n', puzzles.ONE_OF_N],
    ['delegated_puzzle_feeder', puzzles.DELEGATED_PUZZLE_FEEDER],
    ['restrictions', puzzles.RESTRICTIONS],
    ['bls_with_taproot_member', puzzles.BLS_WITH_TAPROOT_MEMBER],
    ['fixed_puzzle_member', puzzles.FIXED_PUZZLE_MEMBER],
    ['singleton_member', puzzles.SINGLETON_MEMBER],
    ['add_dpuz_wrapper', puzzles.ADD_DPUZ_WRAPPER],
    ['enforce_dpuz_wrappers', puzzles.ENFORCE_DPUZ_WRAPPERS],
    ['timelock', puzzles.TIMELOCK],
    ['claim_pool_rewards_dpuz', puzzles.CLAIM_POOL_REWARDS_DPUZ],
    ['forward_to_pool_puzzle_hash_dpuz', puzzles.FORWARD_TO_POOL_PUZZLE_HASH_DPUZ],
    ['fixed_create_coin_destinations', puzzles.FIXED_CREATE_COIN_DESTINATIONS],
    ['heightlock', puzzles.HEIGHTLOCK],
    ['send_message_banned', puzzles.SEND_MESSAGE_BANNED],
    ['index_wrapper', puzzles.INDEX_WRAPPER],
  ];
  const byShortName = new Map(Object.entries(v.mod_hashes).map(([label, hash]) => [label.split(' ')[0]!, hash]));

  it.each(pairs)('%s: the embedded bytes hash to the vectors’ mod hash', (shortName, embedded) => {
    expect(byShortName.get(shortName)).toBeDefined();
    expect(Program.deserializeHex(embedded.hex).hashHex()).toBe(byShortName.get(shortName));
  });

  it('names every module the vectors list', () => {
    const listed = [...byShortName.keys()].filter((name) => name !== 'quoted_add_dpuz_wrapper_hash');
    expect(listed.sort()).toEqual(pairs.map(([name]) => name).sort());
  });

  it('quoted_add_dpuz_wrapper_hash is sha256tree((q . add_dpuz_wrapper))', () => {
    const quoted = Program.cons(Program.fromInt(1), Program.deserializeHex(puzzles.ADD_DPUZ_WRAPPER.hex));
    expect(quoted.hashHex()).toBe(byShortName.get('quoted_add_dpuz_wrapper_hash'));
  });
});
