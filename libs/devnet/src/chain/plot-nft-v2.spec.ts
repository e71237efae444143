import { Program } from 'clvm-lib';
import {
  buildExitToWaitingRoomSpend,
  buildForwardPoolRewardSpends,
  buildJoinPoolSpend,
  chiaKeyGen,
  coinId,
  G2_INFINITY_HEX,
  loadBls,
  plotNftV2InnerPuzzleHash,
  plotNftV2Memo,
  plotNftV2PuzzleHash,
  rewardPuzzleHash,
  type BlsBackend,
  type CoinSpend,
  type OwnerSpendInput,
  type PlotNftV2Pool,
  type PlotNftV2State,
  type SpendBundle,
} from '@pool/chia';
import { DevnetChain } from './devnet-chain';
import { ConditionOpcode, clvmList, conditionProgram, createCoinCondition } from './devnet-puzzles';
import { type PlotNftV2View, PlotNftV2Simulator } from './plot-nft-v2';
import { blsSignatureVerifier, signRequired } from './signature-checks';

const POOL: PlotNftV2Pool = { poolClaimHash: '11'.repeat(32), relativeLockHeight: 5, poolMemoization: '80' };
const OTHER_POOL: PlotNftV2Pool = { poolClaimHash: '22'.repeat(32), relativeLockHeight: 7, poolMemoization: 'ff84706f6f6c80' };

/** Rebuilds the proper list `list` with element `index` replaced (after checking an unchanged rebuild gives the same bytes). */
function replaceAt(list: Program, index: number, replacement: (old: Program) => Program): Program {
  const items = list.toList(true);
  expect(clvmList(items).serializeHex()).toBe(list.serializeHex());
  return clvmList(items.map((item, i) => (i === index ? replacement(item) : item)));
}

/** A coin spend whose solution is edited by `edit`. */
function withSolution(spend: CoinSpend, edit: (solution: Program) => Program): CoinSpend {
  return { ...spend, solution: edit(Program.deserializeHex(spend.solution)).serializeHex() };
}

function ownerInput(view: PlotNftV2View): OwnerSpendInput {
  return { id: view.id, state: view.state, plotNftCoin: view.currentCoin, lineageProof: view.lineageProof };
}

describe('PlotNftV2Simulator (Chia v2 Plot NFTs on the devnet)', () => {
  let bls: BlsBackend;
  let ownerSk: Uint8Array;
  let ownerPk: string;

  beforeAll(async () => {
    bls = await loadBls();
    ownerSk = chiaKeyGen(new Uint8Array(32).fill(7));
    ownerPk = Buffer.from(bls.skToPk(ownerSk)).toString('hex');
  });

  const pooling = (pool: PlotNftV2Pool): PlotNftV2State => ({ ownerPublicKey: ownerPk, pool, exiting: false });
  const selfPooling = (): PlotNftV2State => ({ ownerPublicKey: ownerPk, pool: null, exiting: false });

  /** A chain that verifies signatures unless `verify` is false, with one Plot NFT launched in `pool` (null: self-pooling). */
  function setup(options: { pool?: PlotNftV2Pool | null; signed?: boolean; verify?: boolean } = {}) {
    const chain = new DevnetChain({
      seed: 'plot-nft-v2-spec',
      networkBlockEverySignagePoints: 0,
      ...(options.verify === false ? {} : { verifySignatures: blsSignatureVerifier(bls) }),
    });
    const nfts = new PlotNftV2Simulator(chain, options.signed === false ? {} : { bls, ownerSecretKeys: [ownerSk] });
    const launched = nfts.launch({ ownerPublicKey: ownerPk, pool: options.pool === undefined ? POOL : options.pool });
    chain.farmBlock();
    return { chain, nfts, launched };
  }

  const signed = (chain: DevnetChain, spends: CoinSpend[]): SpendBundle => {
    const unsigned = { coinSpends: spends, aggregatedSignature: G2_INFINITY_HEX };
    return { ...unsigned, aggregatedSignature: signRequired(bls, chain.requiredSignatures(unsigned), [ownerSk]) };
  };

  describe('launch and view', () => {
    it('launches straight into pooling at the puzzle hash the pool computes from key, pool and the chain’s genesis challenge', async () => {
      const { chain, nfts, launched } = setup();
      const id = { launcherId: launched.launcherId, genesisChallenge: chain.network.genesisChallenge };
      const records = await chain.getCoinRecordsByPuzzleHash(plotNftV2PuzzleHash(id, pooling(POOL)), { includeSpentCoins: true });
      expect(records.map((record) => coinId(record.coin))).toEqual([coinId(launched.singletonCoin)]);
      expect(launched.rewardPuzzleHash).toBe(rewardPuzzleHash(launched.launcherId));
      const view = nfts.view(launched.launcherId);
      expect(view.state).toEqual(pooling(POOL));
      expect(view.currentCoin).toEqual(records[0]!.coin);
      // The first coin's parent is the eve singleton, whose parent is the launcher.
      expect(view.lineageProof).toMatchObject({ parentParentCoinId: launched.launcherId, parentAmount: 1n });
    });

    it('launches self-pooling and joins a pool with an owner-signed spend; the view reads the new state from the chain', () => {
      const { chain, nfts, launched } = setup({ pool: null });
      const before = nfts.view(launched.launcherId);
      expect(before.state).toEqual(selfPooling());
      nfts.joinPool(launched.launcherId, POOL);
      chain.farmBlock();
      const after = nfts.view(launched.launcherId);
      expect(after.state).toEqual(pooling(POOL));
      expect(after.currentCoin.parentCoinInfo).toBe(coinId(before.currentCoin));
      expect(after.currentCoin.puzzleHash).toBe(plotNftV2PuzzleHash(after.id, pooling(POOL)));
      // A simulator that launched nothing reads the same: the state lives on the chain, not in the simulator.
      expect(new PlotNftV2Simulator(chain).view(launched.launcherId)).toEqual(after);
    });

    it('names a launcher that is not on the chain yet, and refuses moves the state does not allow', () => {
      const { chain, nfts, launched } = setup({ pool: null });
      const next = nfts.launch({ ownerPublicKey: ownerPk, pool: POOL });
      expect(() => nfts.view(next.launcherId)).toThrow(/PLOT_NFT_NOT_FOUND/);
      chain.farmBlock();
      expect(() => nfts.leavePool(launched.launcherId)).toThrow(/PLOT_NFT_WRONG_STATE: .* is self_pooling/);
      expect(() => nfts.joinPool(next.launcherId, OTHER_POOL)).toThrow(/PLOT_NFT_WRONG_STATE: .* is pooling/);
      expect(() => nfts.switchPool(next.launcherId, OTHER_POOL)).toThrow(/PLOT_NFT_WRONG_STATE/);
    });
  });

  describe('owner moves', () => {
    it('exits to the waiting room and leaves it only once the peak is the lock height past the exit', () => {
      const { chain, nfts, launched } = setup();
      nfts.leavePool(launched.launcherId);
      const exitHeight = chain.farmBlock().block.height;
      expect(nfts.view(launched.launcherId).state).toEqual({ ...pooling(POOL), exiting: true });
      chain.farmBlocks(POOL.relativeLockHeight - 1);
      expect(chain.peakHeight()).toBe(exitHeight + POOL.relativeLockHeight - 1);
      expect(() => nfts.switchPool(launched.launcherId, OTHER_POOL)).toThrow(/ASSERT_HEIGHT_RELATIVE_FAILED/);
      expect(chain.mempoolNames()).toEqual([]);
      chain.farmBlock();
      nfts.switchPool(launched.launcherId, OTHER_POOL);
      chain.farmBlock();
      const view = nfts.view(launched.launcherId);
      expect(view.state).toEqual(pooling(OTHER_POOL));
      expect(view.currentCoin.puzzleHash).toBe(plotNftV2PuzzleHash(view.id, pooling(OTHER_POOL)));
    });

    it('leaves the waiting room to self-pooling', () => {
      const { chain, nfts, launched } = setup();
      nfts.leavePool(launched.launcherId);
      chain.farmBlocks(POOL.relativeLockHeight + 1);
      nfts.switchPool(launched.launcherId, null);
      chain.farmBlock();
      expect(nfts.view(launched.launcherId).state).toEqual(selfPooling());
    });

    it('refuses an unsigned owner spend on a verifying chain', () => {
      const { nfts, launched } = setup({ signed: false });
      expect(() => nfts.leavePool(launched.launcherId)).toThrow(/BAD_AGGREGATE_SIGNATURE/);
    });

    it('refuses what the pooling restrictions forbid the owner: a message, or a coin anywhere but the waiting room', () => {
      const { chain, nfts, launched } = setup();
      const input = ownerInput(nfts.view(launched.launcherId));
      const message = conditionProgram(ConditionOpcode.SEND_MESSAGE, Program.fromInt(0x17), Program.fromBytes(new Uint8Array(32)), Program.fromBytes(new Uint8Array(32)));
      const elsewhere = createCoinCondition('33'.repeat(32), 0n);
      for (const extra of [message, elsewhere]) {
        const spend = buildExitToWaitingRoomSpend({ ...input, extraConditions: [extra] });
        expect(() => chain.addToMempool({ coinSpends: [spend.coinSpend], aggregatedSignature: G2_INFINITY_HEX })).toThrow(/GENERATOR_RUNTIME_ERROR/);
      }
      // The same exit without the extra condition is what the chain takes.
      chain.addToMempool(signed(chain, [buildExitToWaitingRoomSpend(input).coinSpend]));
    });

    it('refuses a join whose memo was changed after signing; unsigned, the chain takes it but a reader refuses the lying memo', () => {
      const lie = (join: CoinSpend, launcherId: string, genesisChallenge: string): CoinSpend =>
        // Singleton solution (lineage amount (dpuz dsol ())), dpuz = (q . ((51 inner 1 (hint . memo)))).
        withSolution(join, (solution) =>
          replaceAt(solution, 2, (inner) =>
            replaceAt(inner, 0, (dpuz) =>
              replaceAt(dpuz, 1, (createCoin) => replaceAt(createCoin, 3, (memos) => Program.cons(memos.first, plotNftV2Memo({ launcherId, genesisChallenge }, pooling(OTHER_POOL))))),
            ),
          ),
        );

      const verifying = setup({ pool: null });
      const join = buildJoinPoolSpend({ ...ownerInput(verifying.nfts.view(verifying.launched.launcherId)), pool: POOL });
      const honest = signed(verifying.chain, [join.coinSpend]);
      const tampered = lie(join.coinSpend, verifying.launched.launcherId, verifying.chain.network.genesisChallenge);
      expect(() => verifying.chain.addToMempool({ ...honest, coinSpends: [tampered] })).toThrow(/BAD_AGGREGATE_SIGNATURE/);

      const lax = setup({ pool: null, verify: false });
      const laxJoin = buildJoinPoolSpend({ ...ownerInput(lax.nfts.view(lax.launched.launcherId)), pool: POOL });
      lax.chain.addToMempool({ coinSpends: [lie(laxJoin.coinSpend, lax.launched.launcherId, lax.chain.network.genesisChallenge)], aggregatedSignature: G2_INFINITY_HEX });
      lax.chain.farmBlock();
      expect(() => lax.nfts.view(lax.launched.launcherId)).toThrow(/PLOT_NFT_UNREADABLE: .*does not rebuild/);
    });
  });

  describe('the pool’s claim path', () => {
    /** A pooling Plot NFT with one pool reward paid to its RewardPuzzle, and the honest forward of it. */
    function rewarded() {
      const t = setup();
      const rewardCoin = t.chain.farmBlock({ poolPuzzleHash: t.launched.rewardPuzzleHash }).poolRewardCoin;
      const view = t.nfts.view(t.launched.launcherId);
      const forward = buildForwardPoolRewardSpends({ ...ownerInput(view), rewardCoin });
      return { ...t, view, rewardCoin, forward };
    }

    it('forwards a reward to the pool unsigned, and the view follows the recreated Plot NFT', async () => {
      const { chain, nfts, launched, view, rewardCoin, forward } = rewarded();
      chain.addToMempool({ coinSpends: [forward.singletonSpend, forward.rewardSpend], aggregatedSignature: G2_INFINITY_HEX });
      chain.farmBlock();
      const paid = await chain.getCoinRecordsByPuzzleHash(POOL.poolClaimHash);
      expect(paid.map((record) => record.coin.amount)).toEqual([rewardCoin.amount]);
      const after = nfts.view(launched.launcherId);
      expect(after.state).toEqual(view.state);
      expect(after.currentCoin.parentCoinInfo).toBe(coinId(view.currentCoin));
    });

    it('refuses a claim that would recreate the Plot NFT elsewhere, even with both spends agreeing on it', () => {
      const { chain, view, forward } = rewarded();
      const selfInner = Program.fromHex(plotNftV2InnerPuzzleHash(view.id, selfPooling()));
      // Singleton inner solution (CLAIM (inner_ph height amount) proof POOL ()); reward solution (FWD (amount) inner_ph).
      const singleton = withSolution(forward.singletonSpend, (s) => replaceAt(s, 2, (inner) => replaceAt(inner, 1, (claim) => replaceAt(claim, 0, () => selfInner))));
      const reward = withSolution(forward.rewardSpend, (s) => replaceAt(s, 2, () => selfInner));
      expect(() => chain.addToMempool({ coinSpends: [singleton, reward], aggregatedSignature: G2_INFINITY_HEX })).toThrow(/ASSERT_MY_PUZZLEHASH_FAILED/);
    });

    it('refuses the pool member approving any delegated puzzle but the claim', () => {
      const { chain, view, forward } = rewarded();
      const move = Program.cons(Program.fromInt(1), clvmList([createCoinCondition(plotNftV2InnerPuzzleHash(view.id, selfPooling()), 1n)]));
      const singleton = withSolution(forward.singletonSpend, (s) => replaceAt(s, 2, (inner) => replaceAt(replaceAt(inner, 0, () => move), 1, () => Program.nil)));
      expect(() => chain.addToMempool({ coinSpends: [singleton], aggregatedSignature: G2_INFINITY_HEX })).toThrow(/GENERATOR_RUNTIME_ERROR/);
    });
  });
});
