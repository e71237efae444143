import { createHash } from 'node:crypto';
import { describeWithVectors } from '@pool/testing';
import { Program } from 'clvm-lib';
import { readCoin } from '../rpc/chain-json';
import { JsonReader } from '../rpc/json-reader';
import { type JsonValue } from '../util/json-bigint';
import {
  calculatePoolReward,
  coinId,
  farmerParentId,
  normalizeCoin,
  poolParentId,
  poolRewardHeight,
  poolRewardPrefix,
} from './coin-id';

interface RpcCoin {
  parent_coin_info: string;
  puzzle_hash: string;
  amount: number;
}
interface PuzzlesFile {
  constants: { mainnet_genesis_challenge: string; mainnet_pool_reward_prefix: string; pool_reward_mojos_before_first_halving: number };
  absorb_spend_example: {
    singleton_spend: { coin: RpcCoin };
    reward_spend: { coin: RpcCoin; solution: string };
  };
  travel_spend_example: { coin: RpcCoin; npc_conds: { coin_id: string } };
}

const strip = (hex: string) => hex.replace(/^0x/, '');
const toCoin = (c: RpcCoin) => readCoin(JsonReader.of(c as unknown as JsonValue));

describe('coin id', () => {
  it('is sha256(parent || puzzle_hash || amount as a CLVM int atom)', () => {
    const parent = 'aa'.repeat(32);
    const ph = 'bb'.repeat(32);
    for (const amount of [0n, 1n, 127n, 128n, 255n, 1750000000000n, (1n << 64n) - 1n]) {
      const expected = createHash('sha256')
        .update(Buffer.from(parent + ph, 'hex'))
        .update(Program.fromBigInt(amount).atom)
        .digest('hex');
      expect(coinId({ parentCoinInfo: parent, puzzleHash: ph, amount })).toBe(expected);
    }
  });

  it('rejects amounts outside uint64 and bad hashes', () => {
    const coin = { parentCoinInfo: 'aa'.repeat(32), puzzleHash: 'bb'.repeat(32), amount: -1n };
    expect(() => coinId(coin)).toThrow(/uint64/);
    expect(() => coinId({ ...coin, amount: 1n << 64n })).toThrow(/uint64/);
    expect(() => coinId({ ...coin, amount: 1n, puzzleHash: 'bb' })).toThrow(/puzzle_hash: expected 32 bytes/);
  });
});

describe('normalizeCoin', () => {
  it('rewrites hashes as lowercase hex without 0x and rejects amounts outside uint64', () => {
    expect(normalizeCoin({ parentCoinInfo: `0x${'AB'.repeat(32)}`, puzzleHash: 'Cd'.repeat(32), amount: 5n })).toEqual({
      parentCoinInfo: 'ab'.repeat(32),
      puzzleHash: 'cd'.repeat(32),
      amount: 5n,
    });
    expect(() => normalizeCoin({ parentCoinInfo: 'ab'.repeat(32), puzzleHash: 'cd'.repeat(32), amount: -1n })).toThrow(/uint64/);
  });
});

describe('coinbase parent ids', () => {
  const genesis = '00112233445566778899aabbccddeeff' + 'ffeeddccbbaa99887766554433221100';

  it('pool parent = genesis[:16] || uint128 height; farmer parent uses genesis[16:]', () => {
    expect(poolParentId(genesis, 0x0102)).toBe('00112233445566778899aabbccddeeff' + '0'.repeat(28) + '0102');
    expect(farmerParentId(genesis, 0x0102)).toBe('ffeeddccbbaa99887766554433221100' + '0'.repeat(28) + '0102');
    expect(poolRewardPrefix(genesis)).toBe('00112233445566778899aabbccddeeff' + '0'.repeat(32));
  });

  it('reads the height back from a pool parent id, and only for this network', () => {
    for (const height of [0, 1, 3326204, 0xffffffff]) {
      expect(poolRewardHeight(poolParentId(genesis, height), genesis)).toBe(height);
    }
    expect(poolRewardHeight(farmerParentId(genesis, 5), genesis)).toBeUndefined();
    expect(poolRewardHeight('00112233445566778899aabbccddeeff' + 'ff'.repeat(16), genesis)).toBeUndefined();
  });

  it('rejects heights that are not uint32', () => {
    expect(() => poolParentId(genesis, -1)).toThrow(/uint32/);
    expect(() => poolParentId(genesis, 2 ** 32)).toThrow(/uint32/);
    expect(() => poolParentId(genesis, 1.5)).toThrow(/uint32/);
  });
});

describe('calculatePoolReward (chia block_rewards.py schedule)', () => {
  const year = 32 * 6 * 24 * 365;
  it.each([
    [0, 18_375_000_000_000_000_000n], // 7/8 of the 21M XCH prefarm
    [1, 1_750_000_000_000n],
    [3 * year - 1, 1_750_000_000_000n],
    [3 * year, 875_000_000_000n],
    [6 * year - 1, 875_000_000_000n],
    [6 * year, 437_500_000_000n],
    [9 * year, 218_750_000_000n],
    [12 * year - 1, 218_750_000_000n],
    [12 * year, 109_375_000_000n],
    [0xffffffff, 109_375_000_000n],
  ])('height %d pays %s mojos', (height, mojos) => {
    expect(calculatePoolReward(height)).toBe(mojos);
  });
});

describeWithVectors<PuzzlesFile>('coin ids and coinbase parents from mainnet (crypto/puzzles.json)', 'crypto/puzzles.json', (v) => {
  const genesis = v.constants.mainnet_genesis_challenge;

  it('reproduces the reward coin id named in the absorb p2 solution', () => {
    const rewardCoin = toCoin(v.absorb_spend_example.reward_spend.coin);
    const solution = Program.deserializeHex(strip(v.absorb_spend_example.reward_spend.solution)).toList();
    expect(coinId(rewardCoin)).toBe(solution[1].toHex());
  });

  it('reproduces the coin id the node reported for the travel spend', () => {
    expect(coinId(toCoin(v.travel_spend_example.coin))).toBe(strip(v.travel_spend_example.npc_conds.coin_id));
  });

  it('the absorbed reward coin has the pool coinbase parent of height 3326204 and the first-era reward', () => {
    const rewardCoin = toCoin(v.absorb_spend_example.reward_spend.coin);
    expect(poolParentId(genesis, 3326204)).toBe(rewardCoin.parentCoinInfo);
    expect(poolRewardHeight(rewardCoin.parentCoinInfo, genesis)).toBe(3326204);
    expect(poolRewardPrefix(genesis)).toBe(v.constants.mainnet_pool_reward_prefix);
    expect(calculatePoolReward(3326204)).toBe(BigInt(v.constants.pool_reward_mojos_before_first_halving));
    expect(rewardCoin.amount).toBe(calculatePoolReward(3326204));
  });
});
