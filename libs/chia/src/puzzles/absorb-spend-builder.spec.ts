import { createHash } from 'node:crypto';
import { describeWithVectors } from '@pool/testing';
import { Program } from 'clvm-lib';
import { type AbsorbSpend, type AbsorbSpendInput, buildAbsorbSpend } from './absorb-spend-builder';
import { type Coin, G2_INFINITY_HEX } from '../chain/chain-types';
import { readCoin, spendBundleToJson } from '../rpc/chain-json';
import { JsonReader } from '../rpc/json-reader';
import { type JsonValue } from '../util/json-bigint';
import { coinId, poolParentId } from './coin-id';
import { p2SingletonOrDelayedPuzzleHash } from './p2-singleton-puzzle';
import { type PlotNftIdentity, poolStateToInnerPuzzle, poolStateToSingletonPuzzleHash } from './pool-singleton-puzzles';
import { type PoolState } from './pool-state-codec';
import { SINGLETON_LAUNCHER } from './puzzle-programs';
import { decodePoolSingletonSpend, singletonChildCoin } from './singleton-spend-decoder';

/** A coin spend as the vector file records it (Chia's RPC JSON). */
interface JsonCoinSpend {
  coin: { parent_coin_info: string; puzzle_hash: string; amount: number };
  puzzle_reveal: string;
  solution: string;
}
interface PuzzlesFile {
  constants: { mainnet_genesis_challenge: string };
  absorb_spend_example: { singleton_spend: JsonCoinSpend; reward_spend: JsonCoinSpend };
}

const coinFromJson = (json: JsonCoinSpend['coin']) => readCoin(JsonReader.of(json as unknown as JsonValue));
const unsignedBundleJson = (coinSpends: AbsorbSpend['coinSpends']) =>
  spendBundleToJson({ coinSpends: [...coinSpends], aggregatedSignature: G2_INFINITY_HEX });

const ASSERT_MY_COIN_ID = 70n;
const CREATE_COIN = 51n;
const ASSERT_COIN_ANNOUNCEMENT = 61n;
const CREATE_COIN_ANNOUNCEMENT = 60n;
const CREATE_PUZZLE_ANNOUNCEMENT = 62n;
const ASSERT_PUZZLE_ANNOUNCEMENT = 63n;

type Condition = [bigint, ...string[]];

/** Runs a built spend with clvm-lib and lists its conditions as [opcode, ...hex args]. */
function conditionsOf(spend: { puzzleReveal: string; solution: string }): Condition[] {
  const output = Program.deserializeHex(spend.puzzleReveal).run(Program.deserializeHex(spend.solution)).value;
  return output.toList().map((c) => {
    const [op, ...args] = c.toList();
    return [op.toBigInt(), ...args.map((a) => a.toHex())] as Condition;
  });
}

const sha256Hex = (...hex: string[]) => createHash('sha256').update(Buffer.from(hex.join(''), 'hex')).digest('hex');
const amountHex = (n: bigint) => Program.fromBigInt(n).toHex();

const genesis = '37a90eb5185a9c4439a91ddc98bbadce7b4feba060d50116a067de66bf236615';
const launcherCoin: Coin = { parentCoinInfo: '31'.repeat(32), puzzleHash: SINGLETON_LAUNCHER.treeHash, amount: 1n };
const launcherId = coinId(launcherCoin);
const identity: PlotNftIdentity = { launcherId, genesisChallenge: genesis, delayTime: 3600, delayPuzzleHash: '32'.repeat(32) };
const member: PoolState = {
  version: 1,
  state: 3,
  targetPuzzleHash: '33'.repeat(32),
  ownerPubkey: '34'.repeat(48),
  poolUrl: 'https://pool.example',
  relativeLockHeight: 32,
};
const selfPooling: PoolState = { ...member, state: 1, targetPuzzleHash: '35'.repeat(32), poolUrl: null };
const p2 = p2SingletonOrDelayedPuzzleHash(identity.launcherId, identity.delayTime, identity.delayPuzzleHash);

function eveInput(state: PoolState, height = 1000, amount = 1_750_000_000_000n): AbsorbSpendInput {
  return {
    launcherId,
    delayTime: identity.delayTime,
    delayPuzzleHash: identity.delayPuzzleHash,
    singletonCoin: { parentCoinInfo: launcherId, puzzleHash: poolStateToSingletonPuzzleHash(state, identity), amount: 1n },
    lineageProof: { parentName: launcherCoin.parentCoinInfo, amount: launcherCoin.amount },
    innerPuzzle: poolStateToInnerPuzzle(state, identity),
    rewardCoin: { parentCoinInfo: poolParentId(genesis, height), puzzleHash: p2, amount },
    rewardHeight: height,
  };
}

describe('buildAbsorbSpend (self-made plot NFT)', () => {
  it.each([
    ['member', member],
    ['waiting room', selfPooling],
  ] as const)('%s: the two spends pay the target and vouch for each other', (_kind, state) => {
    const input = eveInput(state);
    const absorb = buildAbsorbSpend(input);
    const [singletonSpend, rewardSpend] = absorb.coinSpends;
    expect(absorb.rewardCoinId).toBe(coinId(input.rewardCoin));

    const singletonConditions = conditionsOf(singletonSpend);
    expect(singletonConditions).toContainEqual([ASSERT_MY_COIN_ID, coinId(input.singletonCoin)]);
    expect(singletonConditions).toContainEqual([CREATE_COIN, input.singletonCoin.puzzleHash, '01']);
    expect(singletonConditions).toContainEqual([CREATE_COIN, state.targetPuzzleHash, amountHex(input.rewardCoin.amount)]);
    expect(singletonConditions).toContainEqual([ASSERT_COIN_ANNOUNCEMENT, absorb.feeAnnouncementId]);
    const puzzleAnnouncement = singletonConditions.find((c) => c[0] === CREATE_PUZZLE_ANNOUNCEMENT);
    expect(puzzleAnnouncement).toBeDefined();

    const rewardConditions = conditionsOf(rewardSpend);
    expect(rewardConditions).toContainEqual([ASSERT_MY_COIN_ID, absorb.rewardCoinId]);
    expect(rewardConditions).toContainEqual([CREATE_COIN_ANNOUNCEMENT, Buffer.from('$').toString('hex')]);
    expect(rewardConditions).toContainEqual([
      ASSERT_PUZZLE_ANNOUNCEMENT,
      sha256Hex(input.singletonCoin.puzzleHash, (puzzleAnnouncement as Condition)[1]),
    ]);
    // The singleton asserts the reward coin's "$" announcement: the id a fee spend must assert too.
    expect(absorb.feeAnnouncementId).toBe(sha256Hex(absorb.rewardCoinId, Buffer.from('$').toString('hex')));

    expect(decodePoolSingletonSpend(singletonSpend)).toMatchObject({
      kind: 'absorb',
      rewardAmount: input.rewardCoin.amount,
      rewardHeight: input.rewardHeight,
    });
    expect(singletonChildCoin(singletonSpend)).toEqual(absorb.nextSingletonCoin);
  });

  it('chains: the next absorb spends the recreated singleton with the returned lineage proof', () => {
    const first = buildAbsorbSpend(eveInput(member, 1000));
    const secondInput: AbsorbSpendInput = {
      ...eveInput(member, 1001),
      singletonCoin: first.nextSingletonCoin,
      lineageProof: first.nextLineageProof,
    };
    const second = buildAbsorbSpend(secondInput);
    expect(second.coinSpends[0].coin).toEqual(first.nextSingletonCoin);
    const lineage = Program.deserializeHex(second.coinSpends[0].solution).first.toList().map((p) => p.toHex());
    expect(lineage).toEqual([launcherId, first.nextLineageProof.innerPuzzleHash, '01']);
  });

  it('asks for a fee spend only when a fee is given', () => {
    expect(buildAbsorbSpend(eveInput(member)).feeRequest).toBeUndefined();
    const withFee = buildAbsorbSpend({ ...eveInput(member), fee: 5n });
    expect(withFee.feeRequest).toEqual({ fee: 5n, assertCoinAnnouncementId: withFee.feeAnnouncementId });
    expect(() => buildAbsorbSpend({ ...eveInput(member), fee: -1n })).toThrow(/fee/);
  });

  it('accepts coins written with 0x and upper case', () => {
    const input = eveInput(member);
    const shout = (coin: Coin): Coin => ({
      ...coin,
      parentCoinInfo: `0x${coin.parentCoinInfo.toUpperCase()}`,
      puzzleHash: `0X${coin.puzzleHash.toUpperCase()}`,
    });
    const absorb = buildAbsorbSpend({ ...input, singletonCoin: shout(input.singletonCoin), rewardCoin: shout(input.rewardCoin) });
    expect(absorb.coinSpends).toEqual(buildAbsorbSpend(input).coinSpends);
  });

  it('accepts the inner puzzle as serialized hex', () => {
    const input = eveInput(member);
    const fromHex = buildAbsorbSpend({ ...input, innerPuzzle: poolStateToInnerPuzzle(member, identity).serializeHex() });
    expect(fromHex.coinSpends).toEqual(buildAbsorbSpend(input).coinSpends);
  });

  it('refuses inconsistent inputs with a message that names the problem', () => {
    const input = eveInput(member);
    expect(() => buildAbsorbSpend({ ...input, innerPuzzle: poolStateToInnerPuzzle(selfPooling, identity) })).toThrow(
      /does not match the coin's puzzle hash/,
    );
    expect(() => buildAbsorbSpend({ ...input, rewardHeight: 1001 })).toThrow(/coinbase parent for height 1001/);
    expect(() => buildAbsorbSpend({ ...input, rewardCoin: { ...input.rewardCoin, puzzleHash: '00'.repeat(32) } })).toThrow(
      /reward coin is not paid to this plot NFT/,
    );
    expect(() => buildAbsorbSpend({ ...input, delayTime: 3601 })).toThrow(/different p2 singleton puzzle hash/);
    expect(() => buildAbsorbSpend({ ...input, lineageProof: { parentName: '00'.repeat(32), amount: 1n } })).toThrow(
      /lineage proof/,
    );
    expect(() =>
      buildAbsorbSpend({ ...input, singletonCoin: { ...input.singletonCoin, amount: 2n } }),
    ).toThrow(/odd/);
    expect(() => buildAbsorbSpend({ ...input, rewardHeight: -1 })).toThrow(/uint32/);
    expect(() => buildAbsorbSpend(eveInput(member, 0))).toThrow(/height 0/);
    expect(buildAbsorbSpend(eveInput(selfPooling, 0)).coinSpends).toHaveLength(2);
  });

  it('formats a push_tx bundle with the identity signature', () => {
    const absorb = buildAbsorbSpend(eveInput(member));
    const bundle = unsignedBundleJson(absorb.coinSpends);
    expect(bundle.aggregated_signature).toBe(`0xc0${'00'.repeat(95)}`);
    expect((bundle.coin_spends as JsonValue[])[1]).toEqual({
      coin: { parent_coin_info: `0x${poolParentId(genesis, 1000)}`, puzzle_hash: `0x${p2}`, amount: 1_750_000_000_000n },
      puzzle_reveal: `0x${absorb.coinSpends[1].puzzleReveal}`,
      solution: `0x${absorb.coinSpends[1].solution}`,
    });
  });
});

describeWithVectors<PuzzlesFile>('buildAbsorbSpend vs the mainnet absorb at block 3326213 (crypto/puzzles.json)', 'crypto/puzzles.json', (v) => {
  const chain = v.absorb_spend_example;
  const mainnet: PlotNftIdentity = {
    launcherId: '1844ac993a536e7b25c5e33f19ca103f31e62ce2cda83fe440c8bae8fe99338f',
    genesisChallenge: v.constants.mainnet_genesis_challenge,
    delayTime: 604800,
    delayPuzzleHash: '64dfc086d72c4e27434c86cc7af122e25abf79e34374f7e6fb4ffb2f71300b7d',
  };
  const state: PoolState = {
    version: 1,
    state: 3,
    targetPuzzleHash: '0213db9cb540a52c39071ef70acdf81796303189061b5aa0ee8098a05d5ceff5',
    ownerPubkey: 'a16b798de8c9d15d163e96755e85d7be75cafd62683dbc02640f4c505f8c72b16927e94682d81aa962415a6c69e507d0',
    poolUrl: null,
    relativeLockHeight: 32,
  };
  const build = () =>
    buildAbsorbSpend({
      launcherId: mainnet.launcherId,
      delayTime: mainnet.delayTime,
      delayPuzzleHash: mainnet.delayPuzzleHash,
      singletonCoin: coinFromJson(chain.singleton_spend.coin),
      // The parent singleton coin as recorded on chain (its parent, inner puzzle hash and amount).
      lineageProof: {
        parentName: '37ad3fd0a81a40c14b182fdf37f27db0dda05261df84fe304f83f507ccc2f515',
        innerPuzzleHash: 'd05636e1bf40d6077c23fbbecdeac4b7f812af15b08289f57e00bcb0e5770e58',
        amount: 1n,
      },
      innerPuzzle: poolStateToInnerPuzzle(state, mainnet),
      rewardCoin: coinFromJson(chain.reward_spend.coin),
      rewardHeight: 3326204,
    });

  it('rebuilds both coin spends byte for byte', () => {
    const bundle = unsignedBundleJson(build().coinSpends);
    const expected = [chain.singleton_spend, chain.reward_spend].map((s) => ({
      coin: { ...s.coin, amount: BigInt(s.coin.amount) },
      puzzle_reveal: s.puzzle_reveal,
      solution: s.solution,
    }));
    expect(bundle.coin_spends).toEqual(expected);
  });

  it('the fee announcement id is the one the on-chain singleton asserted', () => {
    const onChain = conditionsOf({
      puzzleReveal: chain.singleton_spend.puzzle_reveal.slice(2),
      solution: chain.singleton_spend.solution.slice(2),
    });
    expect(onChain).toContainEqual([ASSERT_COIN_ANNOUNCEMENT, build().feeAnnouncementId]);
  });
});
