import { describeWithVectors } from '@pool/testing';
import { p2SingletonOrDelayedPuzzle } from './p2-singleton-puzzle';
import { handlePoolPuzzleHashLine } from './pool-puzzle-hash-cli';
import { rewardPuzzle } from './reward-puzzle';

interface V1File {
  p2_singleton_puzzle_hash: { launcher_id: string; delay_time: number; delay_puzzle_hash: string; p2_singleton_puzzle_hash: string }[];
}
interface V2File {
  reward_puzzle_hash: { launcher_id: string; 'reward_puzzle_hash (v2 pool_contract_puzzle_hash)': string }[];
}

const launcher = 'ae'.repeat(32);
const delayPh = 'c2'.repeat(32);

describe('handlePoolPuzzleHashLine', () => {
  it('answers v1 requests with the p2 singleton puzzle hash (object or JSON text, 0x optional)', () => {
    const expected = p2SingletonOrDelayedPuzzle(launcher, 604800, delayPh).hashHex();
    expect(handlePoolPuzzleHashLine({ launcher_id: launcher, delay_time: 604800, delay_puzzle_hash: delayPh })).toEqual({
      puzzle_hash: expected,
    });
    expect(
      handlePoolPuzzleHashLine(
        JSON.stringify({ launcher_id: `0x${launcher}`, delay_time: 604800, delay_puzzle_hash: `0x${delayPh}`, version: 1 }),
      ),
    ).toEqual({ puzzle_hash: expected });
    expect(handlePoolPuzzleHashLine({ launcher_id: launcher, delay_time: '604800', delay_puzzle_hash: delayPh })).toEqual({
      puzzle_hash: expected,
    });
  });

  it('answers v2 requests with the reward puzzle hash', () => {
    expect(handlePoolPuzzleHashLine({ launcher_id: `0x${launcher}`, version: 2 })).toEqual({
      puzzle_hash: rewardPuzzle(launcher).hashHex(),
    });
  });

  it.each([
    ['not json', /not valid JSON/],
    ['[1,2]', /JSON object/],
    [null, /JSON object/],
    [42, /JSON object/],
    [{}, /missing "launcher_id"/],
    [{ launcher_id: 'zz', version: 2 }, /"launcher_id" must be 32 bytes of hex/],
    [{ launcher_id: 'ae'.repeat(31), version: 2 }, /"launcher_id" must be 32 bytes/],
    [{ launcher_id: 7, version: 2 }, /"launcher_id" must be a hex string/],
    [{ launcher_id: 'ae'.repeat(32), version: 3 }, /"version" must be 1 or 2/],
    [{ launcher_id: 'ae'.repeat(32) }, /missing "delay_time"/],
    [{ launcher_id: 'ae'.repeat(32), delay_time: 60 }, /missing "delay_puzzle_hash"/],
    [{ launcher_id: 'ae'.repeat(32), delay_time: -1, delay_puzzle_hash: 'c2'.repeat(32) }, /"delay_time" must be a whole number/],
    [{ launcher_id: 'ae'.repeat(32), delay_time: 1.5, delay_puzzle_hash: 'c2'.repeat(32) }, /"delay_time"/],
    [{ launcher_id: 'ae'.repeat(32), delay_time: '18446744073709551616', delay_puzzle_hash: 'c2'.repeat(32) }, /"delay_time"/],
  ])('%p -> error', (input, message) => {
    const result = handlePoolPuzzleHashLine(input);
    expect(result).toEqual({ error: expect.stringMatching(message) });
  });
});

describeWithVectors<V1File>('CLI v1 vectors', 'protocol/puzzle_hashes_v1_pool_singleton.json', (v) => {
  it('matches every p2_singleton_puzzle_hash row', () => {
    for (const row of v.p2_singleton_puzzle_hash) {
      const { launcher_id, delay_time, delay_puzzle_hash } = row;
      expect(handlePoolPuzzleHashLine({ launcher_id, delay_time, delay_puzzle_hash })).toEqual({
        puzzle_hash: row.p2_singleton_puzzle_hash,
      });
    }
  });
});

describeWithVectors<V2File>('CLI v2 vectors', 'protocol/puzzle_hashes_v2_reward_puzzle.json', (v) => {
  it('matches every reward_puzzle_hash row', () => {
    for (const row of v.reward_puzzle_hash) {
      expect(handlePoolPuzzleHashLine({ launcher_id: row.launcher_id, version: 2 })).toEqual({
        puzzle_hash: row['reward_puzzle_hash (v2 pool_contract_puzzle_hash)'],
      });
    }
  });
});
