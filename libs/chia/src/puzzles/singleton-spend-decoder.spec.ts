import { describeWithVectors } from '@pool/testing';
import { Program } from 'clvm-lib';
import { lineageProofFromParentSpend } from './absorb-spend-builder';
import { type Coin, type CoinSpend } from '../chain/chain-types';
import { readCoinSpend } from '../rpc/chain-json';
import { JsonReader } from '../rpc/json-reader';
import { type JsonValue } from '../util/json-bigint';
import { coinId } from './coin-id';
import { type PlotNftIdentity, poolSingletonPuzzle, poolStateToInnerPuzzle } from './pool-singleton-puzzles';
import { type PoolState, encodePoolState } from './pool-state-codec';
import { SINGLETON_LAUNCHER, SINGLETON_TOP_LAYER_V1_0 } from './puzzle-programs';
import {
  decodeLauncherSpend,
  decodePoolSingletonSpend,
  poolStateFromSpend,
  singletonChildCoin,
} from './singleton-spend-decoder';

/** A coin spend as the vector file records it (Chia's RPC JSON). */
interface JsonCoinSpend {
  coin: { parent_coin_info: string; puzzle_hash: string; amount: number };
  puzzle_reveal: string;
  solution: string;
}
interface PuzzlesFile {
  absorb_spend_example: { singleton_spend: JsonCoinSpend; reward_spend: JsonCoinSpend };
  travel_spend_example: JsonCoinSpend & {
    npc_conds: { create_coin: [string, number, null][]; coin_id: string };
    decoded_pool_state: {
      version: number;
      state: number;
      target_puzzle_hash: string;
      owner_pubkey: string;
      pool_url: string | null;
      relative_lock_height: number;
    };
  };
}

const coinSpendFromJson = (json: JsonCoinSpend) => readCoinSpend(JsonReader.of(json as unknown as JsonValue));
const bytes = (hex: string) => Program.fromBytes(Uint8Array.from(Buffer.from(hex, 'hex')));
const int = (n: bigint | number) => Program.fromBigInt(BigInt(n));
const text = (s: string) => Program.fromText(s);
const list = (...items: Program[]) => Program.fromList(items);
const kv = (state: PoolState) => list(Program.cons(text('p'), Program.fromBytes(encodePoolState(state))));

const genesis = 'ccd5bb71183532bff220ba46c268991a3ff07eb358e8255a65c30a2dce0e5fbb';
const launcherCoin: Coin = { parentCoinInfo: '77'.repeat(32), puzzleHash: SINGLETON_LAUNCHER.treeHash, amount: 1n };
const launcherId = coinId(launcherCoin);
const identity: PlotNftIdentity = { launcherId, genesisChallenge: genesis, delayTime: 604800, delayPuzzleHash: '88'.repeat(32) };
const selfPooling: PoolState = {
  version: 1,
  state: 1,
  targetPuzzleHash: '99'.repeat(32),
  ownerPubkey: 'a0'.repeat(48),
  poolUrl: null,
  relativeLockHeight: 0,
};
const farming: PoolState = {
  ...selfPooling,
  state: 3,
  targetPuzzleHash: 'bb'.repeat(32),
  poolUrl: 'https://pool.example',
  relativeLockHeight: 64,
};

function singletonSpend(state: PoolState, innerSolution: Program, parent = 'cc'.repeat(32)): CoinSpend {
  const puzzle = poolSingletonPuzzle(launcherId, poolStateToInnerPuzzle(state, identity));
  const lineage = list(bytes('dd'.repeat(32)), bytes('ee'.repeat(32)), int(1));
  return {
    coin: { parentCoinInfo: parent, puzzleHash: puzzle.hashHex(), amount: 1n },
    puzzleReveal: puzzle.serializeHex(),
    solution: list(lineage, int(1), innerSolution).serializeHex(),
  };
}

describe('decoding plot NFT spends (self-made spends)', () => {
  it('reads PoolState, delay time and delay puzzle hash from a launcher spend', () => {
    const fullPh = '12'.repeat(32);
    const extra = list(
      Program.cons(text('p'), Program.fromBytes(encodePoolState(selfPooling))),
      Program.cons(text('t'), int(604800)),
      Program.cons(text('h'), bytes('88'.repeat(32))),
    );
    const spend: CoinSpend = {
      coin: launcherCoin,
      puzzleReveal: SINGLETON_LAUNCHER.hex,
      solution: list(bytes(fullPh), int(1), extra).serializeHex(),
    };
    expect(decodePoolSingletonSpend(spend)).toEqual({
      kind: 'launcher',
      launcherId,
      singletonPuzzleHash: fullPh,
      singletonAmount: 1n,
      poolState: selfPooling,
      delayTime: 604800n,
      delayPuzzleHash: '88'.repeat(32),
    });
    expect(poolStateFromSpend(spend)).toEqual(selfPooling);
    expect(lineageProofFromParentSpend(spend)).toEqual({ parentName: launcherCoin.parentCoinInfo, amount: 1n });

    const withoutDelay: CoinSpend = { ...spend, solution: list(bytes(fullPh), int(1), kv(selfPooling)).serializeHex() };
    expect(() => decodeLauncherSpend(withoutDelay)).toThrow(/delay_time/);
    expect(decodePoolSingletonSpend(withoutDelay)).toMatchObject({ kind: 'unknown' });
  });

  it('member: (reward_amount height) is an absorb, (((p . state)) 0) a travel', () => {
    const absorb = decodePoolSingletonSpend(singletonSpend(farming, list(int(1750000000000n), int(5000))));
    expect(absorb).toMatchObject({ kind: 'absorb', rewardAmount: 1750000000000n, rewardHeight: 5000 });
    expect(absorb.kind === 'absorb' && absorb.puzzle).toMatchObject({
      launcherId,
      innerPuzzle: 'member',
      targetPuzzleHash: farming.targetPuzzleHash,
      ownerPubkey: farming.ownerPubkey,
    });

    const leaving: PoolState = { ...farming, state: 2 };
    const travelSpend = singletonSpend(farming, list(kv(leaving), int(0)));
    expect(decodePoolSingletonSpend(travelSpend)).toMatchObject({ kind: 'travel', poolState: leaving });
    expect(poolStateFromSpend(travelSpend)).toEqual(leaving);
  });

  it('waiting room: (0 amount height) is an absorb, (1 ((p . state)) destination) a travel', () => {
    const absorb = decodePoolSingletonSpend(singletonSpend(selfPooling, list(int(0), int(1750000000000n), int(77))));
    expect(absorb).toMatchObject({ kind: 'absorb', rewardAmount: 1750000000000n, rewardHeight: 77 });
    expect(absorb.kind === 'absorb' && absorb.puzzle.innerPuzzle).toBe('waiting-room');
    expect(absorb.kind === 'absorb' && absorb.puzzle.relativeLockHeight).toBe(0);

    const destination = poolStateToInnerPuzzle(farming, identity).hashHex();
    const travel = decodePoolSingletonSpend(singletonSpend(selfPooling, list(int(1), kv(farming), bytes(destination))));
    expect(travel).toMatchObject({ kind: 'travel', poolState: farming, destinationInnerPuzzleHash: destination });
  });

  it('reports unknown (with a reason) instead of throwing on foreign or malformed spends', () => {
    const good = singletonSpend(farming, list(int(1), int(2)));
    expect(decodePoolSingletonSpend({ ...good, coin: { ...good.coin, puzzleHash: '00'.repeat(32) } })).toEqual({
      kind: 'unknown',
      reason: "puzzle reveal does not hash to the coin's puzzle hash",
    });
    const wrongArity = singletonSpend(farming, list(int(1), int(2), int(3)));
    expect(decodePoolSingletonSpend(wrongArity)).toEqual({
      kind: 'unknown',
      reason: 'member inner solution must have 2 elements, got 3',
    });
    const forgedStruct = Program.cons(bytes('00'.repeat(32)), Program.cons(bytes(launcherId), bytes(SINGLETON_LAUNCHER.treeHash)));
    const forged = Program.deserializeHex(SINGLETON_TOP_LAYER_V1_0.hex).curry([forgedStruct, poolStateToInnerPuzzle(farming, identity)]);
    expect(
      decodePoolSingletonSpend({
        coin: { ...good.coin, puzzleHash: forged.hashHex() },
        puzzleReveal: forged.serializeHex(),
        solution: good.solution,
      }),
    ).toEqual({ kind: 'unknown', reason: 'singleton struct does not name the v1.0 singleton and launcher puzzles' });
    // The member puzzle treats height 0 as a travel, so (amount 0) is a malformed travel, not an absorb.
    const zeroHeight = singletonSpend(farming, list(int(1750000000000n), int(0)));
    expect(decodePoolSingletonSpend(zeroHeight)).toEqual({ kind: 'unknown', reason: 'key-value list must be a list' });
    const badState = singletonSpend(farming, list(list(Program.cons(text('p'), bytes('0102'))), int(0)));
    expect(decodePoolSingletonSpend(badState)).toMatchObject({ kind: 'unknown', reason: expect.stringMatching(/PoolState/) });
    const plain = Program.deserializeHex('ff0180');
    expect(
      decodePoolSingletonSpend({
        coin: { parentCoinInfo: '00'.repeat(32), puzzleHash: plain.hashHex(), amount: 1n },
        puzzleReveal: plain.serializeHex(),
        solution: '80',
      }),
    ).toEqual({ kind: 'unknown', reason: 'puzzle is not a v1.0 singleton' });
    expect(decodePoolSingletonSpend({ ...good, solution: 'ff01' })).toMatchObject({
      kind: 'unknown',
      reason: expect.stringMatching(/solution is not a serialized CLVM program/),
    });
  });

  it('finds the odd-amount child of a singleton spend', () => {
    const spend = singletonSpend(farming, list(kv({ ...farming, state: 2 }), int(0)));
    const child = singletonChildCoin(spend);
    expect(child?.parentCoinInfo).toBe(coinId(spend.coin));
    expect(child?.amount).toBe(1n);
    const leavingPuzzle = poolSingletonPuzzle(launcherId, poolStateToInnerPuzzle({ ...farming, state: 2 }, identity));
    expect(child?.puzzleHash).toBe(leavingPuzzle.hashHex());
  });
});

describeWithVectors<PuzzlesFile>('decoding mainnet plot NFT spends (crypto/puzzles.json)', 'crypto/puzzles.json', (v) => {
  it('the pool.space travel spend leaves the pool with the documented PoolState', () => {
    const spend = coinSpendFromJson(v.travel_spend_example);
    const d = v.travel_spend_example.decoded_pool_state;
    const decoded = decodePoolSingletonSpend(spend);
    expect(decoded).toMatchObject({
      kind: 'travel',
      poolState: {
        version: d.version,
        state: d.state,
        targetPuzzleHash: d.target_puzzle_hash,
        ownerPubkey: d.owner_pubkey,
        poolUrl: d.pool_url,
        relativeLockHeight: d.relative_lock_height,
      },
      puzzle: { innerPuzzle: 'member', ownerPubkey: d.owner_pubkey },
    });
    expect(decoded.kind === 'travel' && decoded.destinationInnerPuzzleHash).toBeUndefined();
  });

  it('the travel spend creates the child coin the node reported', () => {
    const spend = coinSpendFromJson(v.travel_spend_example);
    const [childPh, childAmount] = v.travel_spend_example.npc_conds.create_coin[0];
    expect(singletonChildCoin(spend)).toEqual({
      parentCoinInfo: v.travel_spend_example.npc_conds.coin_id.slice(2),
      puzzleHash: childPh.slice(2),
      amount: BigInt(childAmount),
    });
  });

  it('the block 3326213 singleton spend is a member absorb of 1.75 XCH farmed at 3326204', () => {
    const spend = coinSpendFromJson(v.absorb_spend_example.singleton_spend);
    expect(decodePoolSingletonSpend(spend)).toMatchObject({
      kind: 'absorb',
      rewardAmount: 1750000000000n,
      rewardHeight: 3326204,
      puzzle: {
        launcherId: '1844ac993a536e7b25c5e33f19ca103f31e62ce2cda83fe440c8bae8fe99338f',
        innerPuzzle: 'member',
        p2SingletonPuzzleHash: v.absorb_spend_example.reward_spend.coin.puzzle_hash.slice(2),
      },
    });
    expect(poolStateFromSpend(spend)).toBeUndefined();
    // An absorb recreates the singleton with the same puzzle.
    expect(singletonChildCoin(spend)).toEqual({ parentCoinInfo: coinId(spend.coin), puzzleHash: spend.coin.puzzleHash, amount: 1n });
  });

  it('the lineage proof the absorb carried leads to its coin; the next one names this spend', () => {
    const spend = coinSpendFromJson(v.absorb_spend_example.singleton_spend);
    const proof = Program.deserializeHex(spend.solution).first.toList();
    const next = lineageProofFromParentSpend(spend);
    expect(next).toEqual({ parentName: spend.coin.parentCoinInfo, innerPuzzleHash: proof[1].toHex(), amount: 1n });
    // Parent had the same inner puzzle: its id is coin(parent_parent, same full puzzle hash, 1).
    expect(coinId({ parentCoinInfo: proof[0].toHex(), puzzleHash: spend.coin.puzzleHash, amount: 1n })).toBe(
      spend.coin.parentCoinInfo,
    );
  });

  it('the p2 reward coin spend is not a singleton spend', () => {
    expect(decodePoolSingletonSpend(coinSpendFromJson(v.absorb_spend_example.reward_spend))).toMatchObject({ kind: 'unknown' });
  });
});
