import fc from 'fast-check';
import { describeWithVectors } from '@pool/testing';
import { type Program } from 'clvm-lib';
import { toHex } from './bytes-hex';
import { DELEGATED_PUZZLE_FEEDER, INDEX_WRAPPER, SINGLETON_MEMBER, SINGLETON_TOP_LAYER_V1_1 } from './puzzle-programs';
import { rewardPuzzle, rewardPuzzleHash, singletonMemberPuzzleHash } from './reward-puzzle';

interface V2File {
  reward_puzzle_hash: {
    launcher_id: string;
    singleton_member_puzzle_hash: string;
    'reward_puzzle_hash (v2 pool_contract_puzzle_hash)': string;
  }[];
}

describe('v2 RewardPuzzle', () => {
  it('the sha256 fast path equals the built program hash (random launcher ids)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }).map(toHex), (launcherId) => {
        expect(rewardPuzzleHash(launcherId)).toBe(rewardPuzzle(launcherId).hashHex());
      }),
      { numRuns: 30 },
    );
  });

  it('is INDEX_WRAPPER(0, DELEGATED_PUZZLE_FEEDER(SINGLETON_MEMBER(v1.1 singleton struct)))', () => {
    const launcherId = '5a'.repeat(32);
    const outer = rewardPuzzle(launcherId).uncurry() as [Program, Program[]];
    expect(outer[0].hashHex()).toBe(INDEX_WRAPPER.treeHash);
    expect(outer[1][0].isNull).toBe(true);
    const feeder = outer[1][1].uncurry() as [Program, Program[]];
    expect(feeder[0].hashHex()).toBe(DELEGATED_PUZZLE_FEEDER.treeHash);
    const member = feeder[1][0].uncurry() as [Program, Program[]];
    expect(member[0].hashHex()).toBe(SINGLETON_MEMBER.treeHash);
    expect(feeder[1][0].hashHex()).toBe(singletonMemberPuzzleHash(launcherId));
    const struct = member[1][0];
    expect(struct.first.toHex()).toBe(SINGLETON_TOP_LAYER_V1_1.treeHash);
    expect(struct.rest.first.toHex()).toBe(launcherId);
  });

  it('differs per launcher and rejects a malformed launcher id', () => {
    expect(rewardPuzzleHash('00'.repeat(32))).not.toBe(rewardPuzzleHash('00'.repeat(31) + '01'));
    expect(() => rewardPuzzleHash('00'.repeat(33))).toThrow(/launcher_id: expected 32 bytes/);
  });
});

describeWithVectors<V2File>(
  'v2 reward puzzle hashes (protocol/puzzle_hashes_v2_reward_puzzle.json)',
  'protocol/puzzle_hashes_v2_reward_puzzle.json',
  (v) => {
    it.each(v.reward_puzzle_hash.map((row) => [row.launcher_id.slice(0, 8), row] as const))('launcher %s…', (_id, row) => {
      expect(singletonMemberPuzzleHash(row.launcher_id)).toBe(row.singleton_member_puzzle_hash);
      expect(rewardPuzzleHash(row.launcher_id)).toBe(row['reward_puzzle_hash (v2 pool_contract_puzzle_hash)']);
      expect(rewardPuzzle(row.launcher_id).hashHex()).toBe(row['reward_puzzle_hash (v2 pool_contract_puzzle_hash)']);
    });
  },
);
