import { Program } from 'clvm-lib';
import {
  parseSingletonV11Puzzle,
  plotNftV2InnerPuzzle,
  plotNftV2InnerPuzzleHash,
  plotNftV2Puzzle,
  plotNftV2PuzzleHash,
  type PlotNftV2State,
} from './plot-nft-v2-puzzle';
import { poolSingletonPuzzle } from './pool-singleton-puzzles';

const OWNER = 'a16b798de8c9d15d163e96755e85d7be75cafd62683dbc02640f4c505f8c72b16927e94682d81aa962415a6c69e507d0';
const LAUNCHER = 'ae4ef3b9bfe68949691281a015a9c16630fc8f66d48c19ca548fb80768791afa';
const POOLING: PlotNftV2State = { ownerPublicKey: OWNER, pool: { poolClaimHash: '11'.repeat(32), relativeLockHeight: 32, poolMemoization: '80' }, exiting: false };
const EXITING: PlotNftV2State = { ...POOLING, exiting: true };
const SELF: PlotNftV2State = { ownerPublicKey: OWNER, pool: null, exiting: false };
const MEMO: PlotNftV2State = { ...POOLING, pool: { ...POOLING.pool!, poolMemoization: 'ff8568656c6c6f80' } };

describe('devnet v2 plot NFT puzzle', () => {
  it.each([
    ['pooling', POOLING],
    ['exiting', EXITING],
    ['self-pooling', SELF],
    ['with a memoization', MEMO],
  ])('hashes the same by sha256 alone as the built program (%s)', (_name, state) => {
    expect(plotNftV2InnerPuzzleHash(state)).toBe(plotNftV2InnerPuzzle(state).hashHex());
    expect(plotNftV2PuzzleHash(LAUNCHER, state)).toBe(plotNftV2Puzzle(LAUNCHER, state).hashHex());
  });

  it('gives every state, pool and owner its own puzzle hash', () => {
    const hashes = [POOLING, EXITING, SELF, MEMO, { ...POOLING, pool: { ...POOLING.pool!, relativeLockHeight: 33 } }].map((s) => plotNftV2PuzzleHash(LAUNCHER, s));
    expect(new Set(hashes).size).toBe(hashes.length);
  });

  it('only the owner moves it, and an exiting one waits out the lock height', () => {
    const destination = Program.fromBytes(new Uint8Array(32).fill(5));
    const run = (state: PlotNftV2State) => plotNftV2InnerPuzzle(state).run(Program.fromList([destination])).value.toList().map((c) => c.toList());
    const pooling = run(POOLING);
    expect(pooling.map((c) => c[0]!.toBigInt())).toEqual([51n, 50n]);
    expect(pooling[1]![1]!.toHex()).toBe(OWNER);
    const exiting = run(EXITING);
    expect(exiting.map((c) => c[0]!.toBigInt())).toEqual([51n, 50n, 82n]);
    expect(exiting[2]![1]!.toBigInt()).toBe(32n);
  });

  it('recognises a singleton v1.1 reveal and its launcher, and nothing else', () => {
    const puzzle = plotNftV2Puzzle(LAUNCHER, POOLING);
    expect(parseSingletonV11Puzzle(puzzle.serializeHex())).toEqual({ launcherId: LAUNCHER, innerPuzzleHash: plotNftV2InnerPuzzleHash(POOLING) });
    // The same inner puzzle on the v1.0 singleton is not a v2 plot NFT.
    expect(parseSingletonV11Puzzle(poolSingletonPuzzle(LAUNCHER, plotNftV2InnerPuzzle(POOLING)).serializeHex())).toBeNull();
    expect(parseSingletonV11Puzzle('80')).toBeNull();
  });
});
