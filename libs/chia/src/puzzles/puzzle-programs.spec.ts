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
