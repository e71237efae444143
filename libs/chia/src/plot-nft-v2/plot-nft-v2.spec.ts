import fc from 'fast-check';
import { Program } from 'clvm-lib';
import { type Coin, type CoinSpend } from '../chain/chain-types';
import { parseHex, sha256, toHex } from '../puzzles/bytes-hex';
import { coinId, poolParentId } from '../puzzles/coin-id';
import { programTreeHash } from '../puzzles/curry-tree-hash';
import { listProgram } from '../puzzles/embedded-program';
import { poolSingletonPuzzle } from '../puzzles/pool-singleton-puzzles';
import { rewardPuzzleHash } from '../puzzles/reward-puzzle';
import { runProgram } from '../puzzles/clvm-run';
import { type PlotNftV2Moved, decodePlotNftV2Spend, isPlotNftV2Moved } from './decode-plot-nft-v2-spend';
import { buildForwardPoolRewardSpends } from './forward-pool-reward';
import { buildLaunchSpends } from './launch-plot-nft-v2';
import { type OwnerSpendInput, buildExitToWaitingRoomSpend, buildJoinPoolSpend, buildLeaveWaitingRoomSpend } from './owner-spends';
import { plotNftV2Layers } from './plot-nft-v2-layers';
import { plotNftV2Memo, plotNftV2StateFromMemo } from './plot-nft-v2-memo';
import { plotNftV2InnerPuzzle, plotNftV2InnerPuzzleHash, plotNftV2Puzzle, plotNftV2PuzzleHash, plotNftV2Puzzles } from './plot-nft-v2-puzzle';
import { type PlotNftV2Identity, type PlotNftV2Pool, type PlotNftV2State } from './plot-nft-v2-types';
import { type PuzzleNode } from './puzzle-node';
import { parseSingletonV11Puzzle, singletonStructHash, singletonV11PuzzleHash, singletonV11Struct } from './singleton-v11';

const OWNER = '97f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb';
const MAINNET = 'ccd5bb71183532bff220ba46c268991a3ff07eb358e8255a65c30a2dce0e5fbb';
const TESTNET11 = '37a90eb5185a9c4439a91ddc98bbadce7b4feba060d50116a067de66bf236615';
const POOL: PlotNftV2Pool = { poolClaimHash: '5c'.repeat(32), relativeLockHeight: 32, poolMemoization: '80' };
const OTHER_POOL: PlotNftV2Pool = { poolClaimHash: '6d'.repeat(32), relativeLockHeight: 100, poolMemoization: 'ff84706f6f6c80' };
const SELF: PlotNftV2State = { ownerPublicKey: OWNER, pool: null, exiting: false };
const POOLING: PlotNftV2State = { ownerPublicKey: OWNER, pool: POOL, exiting: false };
const EXITING: PlotNftV2State = { ...POOLING, exiting: true };
const ID: PlotNftV2Identity = { launcherId: '4a'.repeat(32), genesisChallenge: MAINNET };

const hex32 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map(toHex);
const memoizations = fc.constantFrom('80', 'ff84706f6f6c80', `ffffa0${'5c'.repeat(32)}8080`, '8568656c6c6f');
const states = fc.record({
  ownerPublicKey: fc.uint8Array({ minLength: 48, maxLength: 48 }).map(toHex),
  pool: fc.option(fc.record({ poolClaimHash: hex32, relativeLockHeight: fc.integer({ min: 0, max: 0xffffffff }), poolMemoization: memoizations }), { nil: null }),
  exiting: fc.boolean(),
}).map((s): PlotNftV2State => ({ ...s, exiting: s.pool !== null && s.exiting }));
const identities = fc.record({ launcherId: hex32, genesisChallenge: fc.constantFrom(MAINNET, TESTNET11) });

describe('v2 Plot NFT puzzle', () => {
  it('every layer hashed from hashes equals clvm-lib’s hash of the built layer', () => {
    fc.assert(
      fc.property(identities, states, (id, state) => {
        const puzzles = plotNftV2Puzzles(id, state);
        const custody = puzzles.custody;
        const nodes: PuzzleNode[] = [puzzles.struct, puzzles.blsMember, puzzles.feeder, puzzles.inner, puzzles.full];
        if (custody !== null) {
          nodes.push(custody.forward, custody.claim, custody.fixedMember, custody.poolMember, custody.wrapper1.node, custody.wrapper2);
          nodes.push(custody.validatorStack, custody.userRestrictionLayer, custody.userMember, custody.oneOfN);
        }
        for (const node of nodes) expect(toHex(node.hash)).toBe(node.program().hashHex());
      }),
      { numRuns: 15 },
    );
  });

  it('the layers report the hashes the puzzles are built from', () => {
    const layers = plotNftV2Layers(ID, POOLING);
    expect(layers.innerPuzzleHash).toBe(plotNftV2InnerPuzzle(ID, POOLING).hashHex());
    expect(layers.fullSingletonPuzzleHash).toBe(plotNftV2Puzzle(ID, POOLING).hashHex());
    expect(layers.fullSingletonPuzzleHash).toBe(singletonV11PuzzleHash(ID.launcherId, layers.innerPuzzleHash));
    expect(layers.singletonStructHash).toBe(toHex(programTreeHash(singletonV11Struct(ID.launcherId))));
    expect(layers.pool?.restrictionWrapper1.kind).toBe('fixed_create_coin_destinations');
    expect(plotNftV2Layers(ID, EXITING).pool?.restrictionWrapper1.kind).toBe('heightlock');
    expect(plotNftV2Layers(ID, SELF).pool).toBeNull();
  });

  it('self-pooling depends on launcher and key only; with a pool, on the network and every pool field', () => {
    const testnet: PlotNftV2Identity = { ...ID, genesisChallenge: TESTNET11 };
    expect(plotNftV2PuzzleHash(testnet, SELF)).toBe(plotNftV2PuzzleHash(ID, SELF));
    const variants: PlotNftV2State[] = [
      POOLING,
      EXITING,
      SELF,
      { ...POOLING, pool: { ...POOL, relativeLockHeight: 33 } },
      { ...POOLING, pool: { ...POOL, poolMemoization: 'ff84706f6f6c80' } },
      { ...POOLING, pool: { ...POOL, poolClaimHash: '5d'.repeat(32) } },
      { ...POOLING, ownerPublicKey: OWNER.replace(/^97/, '98') },
    ];
    const hashes = [...variants.map((s) => plotNftV2PuzzleHash(ID, s)), plotNftV2PuzzleHash(testnet, POOLING), plotNftV2PuzzleHash({ ...ID, launcherId: '4b'.repeat(32) }, SELF)];
    expect(new Set(hashes).size).toBe(hashes.length);
  });

  it.each<[string, PlotNftV2State, RegExp]>([
    ['exiting without a pool', { ...SELF, exiting: true }, /cannot be exiting/],
    ['a 47-byte key', { ...SELF, ownerPublicKey: OWNER.slice(2) }, /owner public key/],
    ['a lock height past uint32', { ...POOLING, pool: { ...POOL, relativeLockHeight: 2 ** 32 } }, /uint32/],
    ['a fractional lock height', { ...POOLING, pool: { ...POOL, relativeLockHeight: 1.5 } }, /uint32/],
    ['a short claim hash', { ...POOLING, pool: { ...POOL, poolClaimHash: '5c' } }, /pool_claim_hash/],
    ['a memoization that is not CLVM', { ...POOLING, pool: { ...POOL, poolMemoization: 'ff01' } }, /pool_memoization/],
  ])('refuses %s', (_what, state, message) => {
    expect(() => plotNftV2PuzzleHash(ID, state)).toThrow(message);
  });
});

describe('CHIP-0043 memo', () => {
  it('reads back the state it was written for', () => {
    fc.assert(
      fc.property(identities, states, (id, state) => {
        expect(plotNftV2StateFromMemo(plotNftV2Memo(id, state))).toEqual(state);
      }),
      { numRuns: 15 },
    );
  });

  it.each([
    ['not a list', Program.fromInt(5), /not a list/],
    ['another namespace', Program.fromList([Program.fromText('CHIP-0099'), Program.nil, Program.nil, Program.nil, Program.nil, Program.nil]), /not a CHIP-0043 memo/],
    ['no Plot NFT fields', Program.fromList([Program.fromText('CHIP-0043'), Program.nil, Program.nil, Program.nil, Program.nil]), /no Plot NFT fields/],
  ])('refuses a memo that is %s', (_what, memo, message) => {
    expect(() => plotNftV2StateFromMemo(memo)).toThrow(message);
  });
});

/** Runs a spend's whole puzzle (as the chain would) and returns its conditions as lists. */
function conditions(spend: CoinSpend): Program[][] {
  return runProgram(Program.deserializeHex(spend.puzzleReveal), Program.deserializeHex(spend.solution))
    .value.toList()
    .map((condition) => condition.toList());
}

/** Runs the spend, reads it back, and checks the reading names the coin the singleton layer actually created. */
function follow(id: PlotNftV2Identity, previous: PlotNftV2State | null, spend: CoinSpend): PlotNftV2Moved {
  const created = conditions(spend).filter((c) => c[0]!.toBigInt() === 51n && c[2]!.toBigInt() % 2n !== 0n);
  expect(created).toHaveLength(1);
  const reading = decodePlotNftV2Spend(id, previous, spend);
  if (!isPlotNftV2Moved(reading)) throw new Error(`not read as a move: ${JSON.stringify(reading)}`);
  expect(reading.childCoin).toEqual({ parentCoinInfo: coinId(spend.coin), puzzleHash: created[0]![1]!.toHex(), amount: 1n });
  return reading;
}

function rewardCoin(id: PlotNftV2Identity, height: number): Coin {
  return { parentCoinInfo: poolParentId(id.genesisChallenge, height), puzzleHash: rewardPuzzleHash(id.launcherId), amount: 1_750_000_000_000n };
}

describe('a Plot NFT’s life, built and read back', () => {
  const launched = buildLaunchSpends({ originCoinId: '0f'.repeat(32), genesisChallenge: MAINNET, state: SELF, hint: 'aa'.repeat(32) });
  const id = launched.id;
  const at = (moved: PlotNftV2Moved, state: PlotNftV2State): Omit<OwnerSpendInput, 'delegation'> => ({ id, state, plotNftCoin: moved.childCoin, lineageProof: moved.lineageProof });

  it('launch: the launcher creates the eve, whose spend creates the first coin with the memo of its state', () => {
    expect(id.launcherId).toBe(coinId(launched.launcherCoin));
    const launcherOut = conditions(launched.launcherSpend);
    expect(launcherOut[0]!.map((p) => p.toHex())).toEqual(['33', launched.eveSpend.coin.puzzleHash, '01']);
    // The origin asserts the launcher's announcement of its solution and the eve's empty announcement.
    const announced = [launcherOut[1]![1]!.atom, ...conditions(launched.eveSpend).filter((c) => c[0]!.toBigInt() === 60n).map((c) => c[1]!.atom)];
    const announcers = [id.launcherId, coinId(launched.eveSpend.coin)];
    const expected = announced.map((message, i) => toHex(sha256(parseHex(announcers[i]!), message)));
    expect(launched.originConditions.slice(1).map((c) => c.toList()[1]!.toHex())).toEqual(expected);
    expect(launched.originConditions[0]!.toList().map((p) => p.toHex())).toEqual(['33', launched.launcherCoin.puzzleHash, '01']);

    const first = follow(id, null, launched.eveSpend);
    expect(first).toEqual({ next: SELF, childCoin: launched.plotNftCoin, lineageProof: launched.lineageProof });
    const hint = conditions(launched.eveSpend).find((c) => c[0]!.toBigInt() === 51n)![3]!.first.toHex();
    expect(hint).toBe('aa'.repeat(32));
  });

  it('self-pooling → pooling → forwards → waiting room → forward → self-pooling, every step read back', () => {
    let moved: PlotNftV2Moved = { next: SELF, childCoin: launched.plotNftCoin, lineageProof: launched.lineageProof };
    const join = buildJoinPoolSpend({ ...at(moved, SELF), pool: POOL });
    expect(join.signTarget).toEqual({ publicKey: OWNER, message: expect.any(String), coinId: coinId(moved.childCoin) });
    expect(conditions(join.coinSpend).find((c) => c[0]!.toBigInt() === 50n)!.map((p) => p.toHex())).toEqual(['32', OWNER, join.signTarget.message]);
    moved = follow(id, SELF, join.coinSpend);
    expect(moved.next).toEqual(POOLING);
    // After the launch every Plot NFT coin is hinted with the struct hash.
    expect(conditions(join.coinSpend).find((c) => c[0]!.toBigInt() === 51n)![3]!.first.toHex()).toBe(singletonStructHash(id.launcherId));

    for (const height of [100, 101]) {
      const reward = rewardCoin(id, height);
      const forward = buildForwardPoolRewardSpends({ id, state: POOLING, plotNftCoin: moved.childCoin, lineageProof: moved.lineageProof, rewardCoin: reward });
      const sent = conditions(forward.singletonSpend).find((c) => c[0]!.toBigInt() === 66n)!;
      const received = conditions(forward.rewardSpend).find((c) => c[0]!.toBigInt() === 67n)!;
      // The message pairs them: same mode and message, each naming the other.
      expect(sent[1]!.toBigInt()).toBe(0x17n);
      expect(received.slice(1, 3).map((p) => p.toHex())).toEqual(sent.slice(1, 3).map((p) => p.toHex()));
      expect(sent[3]!.toHex()).toBe(coinId(reward));
      expect(received[3]!.toHex()).toBe(moved.childCoin.puzzleHash);
      const paid = conditions(forward.rewardSpend).find((c) => c[0]!.toBigInt() === 51n)!;
      expect([paid[1]!.toHex(), paid[2]!.toBigInt()]).toEqual([POOL.poolClaimHash, reward.amount]);
      moved = follow(id, POOLING, forward.singletonSpend);
      expect(moved.next).toEqual(POOLING);
    }

    moved = follow(id, POOLING, buildExitToWaitingRoomSpend(at(moved, POOLING)).coinSpend);
    expect(moved.next).toEqual(EXITING);
    // The pool path still works in the waiting room.
    const forward = buildForwardPoolRewardSpends({ id, state: EXITING, plotNftCoin: moved.childCoin, lineageProof: moved.lineageProof, rewardCoin: rewardCoin(id, 102) });
    moved = follow(id, EXITING, forward.singletonSpend);
    expect(moved.next).toEqual(EXITING);

    const leave = buildLeaveWaitingRoomSpend(at(moved, EXITING));
    expect(conditions(leave.coinSpend).some((c) => c[0]!.toBigInt() === 82n && c[1]!.toBigInt() === 32n)).toBe(true);
    expect(follow(id, EXITING, leave.coinSpend).next).toEqual(SELF);
    // Or straight to another pool: only the memo tells which, and it must rebuild the new puzzle hash.
    const switched = buildLeaveWaitingRoomSpend({ ...at(moved, EXITING), nextPool: OTHER_POOL, delegation: 'passthrough' });
    expect(follow(id, EXITING, switched.coinSpend).next).toEqual({ ownerPublicKey: OWNER, pool: OTHER_POOL, exiting: false });
  });

  describe('what the puzzles and builders refuse', () => {
    const pooling = buildLaunchSpends({ originCoinId: '1f'.repeat(32), genesisChallenge: MAINNET, state: POOLING, hint: 'aa'.repeat(32) });
    const start = { id: pooling.id, state: POOLING, plotNftCoin: pooling.plotNftCoin, lineageProof: pooling.lineageProof };
    const condition = (...items: Program[]) => listProgram(items);

    it('a pooling owner can neither pay anyone but the waiting room nor send a message', () => {
      const elsewhere = buildExitToWaitingRoomSpend({ ...start, extraConditions: [condition(Program.fromInt(51), Program.fromBytes(new Uint8Array(32).fill(9)), Program.fromInt(0))] });
      expect(() => conditions(elsewhere.coinSpend)).toThrow();
      const message = buildExitToWaitingRoomSpend({ ...start, extraConditions: [condition(Program.fromInt(66), Program.fromInt(0x17), Program.nil, Program.fromBytes(new Uint8Array(32)))] });
      expect(() => conditions(message.coinSpend)).toThrow();
      // The same spend without the extra condition runs.
      expect(() => conditions(buildExitToWaitingRoomSpend(start).coinSpend)).not.toThrow();
    });

    it('builders refuse a coin in another state, the wrong move, or a reward that is not this launcher’s coinbase', () => {
      expect(() => buildExitToWaitingRoomSpend({ ...start, state: EXITING })).toThrow(/needs a pooling Plot NFT/);
      expect(() => buildJoinPoolSpend({ ...start, pool: OTHER_POOL })).toThrow(/needs a self_pooling Plot NFT/);
      expect(() => buildExitToWaitingRoomSpend({ ...start, state: { ...POOLING, pool: OTHER_POOL } })).toThrow(/not this Plot NFT in the pooling state/);
      const forward = (state: PlotNftV2State, reward: Coin) => buildForwardPoolRewardSpends({ ...start, state, rewardCoin: reward });
      expect(() => forward(POOLING, { ...rewardCoin(pooling.id, 5), puzzleHash: rewardPuzzleHash('4a'.repeat(32)) })).toThrow(/RewardPuzzle/);
      expect(() => forward(POOLING, { ...rewardCoin(pooling.id, 5), parentCoinInfo: poolParentId(TESTNET11, 5) })).toThrow(/coinbase/);
      const selfPooling = buildLaunchSpends({ originCoinId: '2f'.repeat(32), genesisChallenge: MAINNET, state: SELF, hint: 'aa'.repeat(32) });
      expect(() => buildForwardPoolRewardSpends({ id: selfPooling.id, state: SELF, plotNftCoin: selfPooling.plotNftCoin, lineageProof: selfPooling.lineageProof, rewardCoin: rewardCoin(selfPooling.id, 5) })).toThrow(/no pool path/);
    });

    it('the reader refuses another launcher’s spend, a move it cannot verify, a reveal of another coin, and garbage', () => {
      const spend = buildExitToWaitingRoomSpend(start).coinSpend;
      expect(decodePlotNftV2Spend({ ...pooling.id, launcherId: '4a'.repeat(32) }, POOLING, spend)).toEqual({ error: expect.stringMatching(/another launcher/) });
      // The exit carries only the hint: without the owner's pool known it cannot be read.
      expect(decodePlotNftV2Spend(pooling.id, { ...POOLING, pool: OTHER_POOL }, spend)).toEqual({ error: expect.stringMatching(/none of the known states/) });
      expect(decodePlotNftV2Spend(pooling.id, null, spend)).toEqual({ error: expect.stringMatching(/none of the known states/) });
      expect(decodePlotNftV2Spend(pooling.id, POOLING, { ...spend, coin: { ...spend.coin, puzzleHash: '00'.repeat(32) } })).toEqual({ error: expect.stringMatching(/does not hash/) });
      expect(decodePlotNftV2Spend(pooling.id, POOLING, { ...spend, solution: 'ff80ff0180' })).toEqual({ error: expect.stringMatching(/inner/) });
      expect(decodePlotNftV2Spend(pooling.id, POOLING, { ...spend, puzzleReveal: 'zz' })).toEqual({ error: expect.any(String) });
      // A v1.0 singleton around the same inner puzzle is not a v2 Plot NFT.
      const v10 = poolSingletonPuzzle(pooling.id.launcherId, plotNftV2InnerPuzzle(pooling.id, POOLING));
      expect(decodePlotNftV2Spend(pooling.id, POOLING, { ...spend, coin: { ...spend.coin, puzzleHash: v10.hashHex() }, puzzleReveal: v10.serializeHex() })).toEqual({
        error: expect.stringMatching(/not a singleton v1.1/),
      });
    });

    it('reads a move from whatever state the reader knows of the same owner and pool (the pool knows only its own config)', () => {
      const exit = buildExitToWaitingRoomSpend(start).coinSpend;
      for (const known of [POOLING, EXITING]) expect(decodePlotNftV2Spend(pooling.id, known, exit)).toMatchObject({ next: EXITING });
      // Self-pooling knows no pool, and the exit carries only the hint: unreadable from there.
      expect(decodePlotNftV2Spend(pooling.id, SELF, exit)).toEqual({ error: expect.stringMatching(/none of the known states/) });
      // A join read by the pool, which knows the pooling state it expects rather than the self-pooling one before.
      const selfPooling = buildLaunchSpends({ originCoinId: '4f'.repeat(32), genesisChallenge: MAINNET, state: SELF, hint: 'aa'.repeat(32) });
      const join = buildJoinPoolSpend({ id: selfPooling.id, state: SELF, plotNftCoin: selfPooling.plotNftCoin, lineageProof: selfPooling.lineageProof, pool: POOL });
      expect(decodePlotNftV2Spend(selfPooling.id, POOLING, join.coinSpend)).toMatchObject({ next: POOLING });
      expect(decodePlotNftV2Spend(selfPooling.id, { ...POOLING, pool: OTHER_POOL }, join.coinSpend)).toMatchObject({ next: POOLING });
    });

    /** A self-pooling Plot NFT's spend delegating exactly `conditionList` (unsigned: the puzzles run without BLS). */
    function selfPoolingSpendOf(conditionList: Program[]) {
      const selfPooling = buildLaunchSpends({ originCoinId: '3f'.repeat(32), genesisChallenge: MAINNET, state: SELF, hint: 'aa'.repeat(32) });
      const innerSolution = listProgram([Program.cons(Program.fromInt(1), listProgram(conditionList)), Program.nil, Program.nil]);
      const proof = selfPooling.lineageProof;
      const solution = listProgram([
        listProgram([Program.fromHex(proof.parentParentCoinId), Program.fromHex(proof.parentInnerPuzzleHash), Program.fromInt(1)]),
        Program.fromInt(1),
        innerSolution,
      ]);
      const spend: CoinSpend = { coin: selfPooling.plotNftCoin, puzzleReveal: plotNftV2Puzzle(selfPooling.id, SELF).serializeHex(), solution: solution.serializeHex() };
      return { id: selfPooling.id, spend };
    }

    it('reads a melt (odd CREATE_COIN of -113) as the Plot NFT leaving the chain', () => {
      const { id, spend } = selfPoolingSpendOf([condition(Program.fromInt(51), Program.nil, Program.fromInt(-113))]);
      // The singleton layer accepts it and creates nothing.
      expect(conditions(spend).filter((c) => c[0]!.toBigInt() === 51n)).toEqual([]);
      expect(decodePlotNftV2Spend(id, SELF, spend)).toEqual({ melted: true });
    });

    it('refuses a memo that names another state than the coin it rides on, and two odd coins', () => {
      const { id } = selfPoolingSpendOf([]);
      const hint = Program.fromHex(singletonStructHash(id.launcherId));
      const memoOf = (state: PlotNftV2State) => Program.cons(hint, plotNftV2Memo(id, state));
      const createCoin = (state: PlotNftV2State, memo: Program) => condition(Program.fromInt(51), Program.fromHex(plotNftV2InnerPuzzleHash(id, state)), Program.fromInt(1), memo);
      const lying = selfPoolingSpendOf([createCoin(POOLING, memoOf({ ...POOLING, pool: OTHER_POOL }))]).spend;
      expect(decodePlotNftV2Spend(id, null, lying)).toEqual({ error: expect.stringMatching(/does not rebuild/) });
      const honest = selfPoolingSpendOf([createCoin(POOLING, memoOf(POOLING))]).spend;
      expect(decodePlotNftV2Spend(id, null, honest)).toMatchObject({ next: POOLING });
      const twice = selfPoolingSpendOf([createCoin(POOLING, memoOf(POOLING)), createCoin(SELF, memoOf(SELF))]).spend;
      expect(decodePlotNftV2Spend(id, null, twice)).toEqual({ error: expect.stringMatching(/exactly one odd coin/) });
    });
  });
});

describe('singleton v1.1 reveals', () => {
  it('recognises a v1.1 reveal and its launcher, and nothing else', () => {
    const puzzle = plotNftV2Puzzle(ID, POOLING);
    expect(parseSingletonV11Puzzle(puzzle.serializeHex())).toEqual({ launcherId: ID.launcherId, innerPuzzleHash: plotNftV2InnerPuzzleHash(ID, POOLING) });
    expect(parseSingletonV11Puzzle(poolSingletonPuzzle(ID.launcherId, plotNftV2InnerPuzzle(ID, POOLING)).serializeHex())).toBeNull();
    expect(parseSingletonV11Puzzle('80')).toBeNull();
    expect(parseSingletonV11Puzzle('not hex')).toBeNull();
  });
});
