import { describeWithVectors } from '@pool/testing';
import { Program } from 'clvm-lib';
import { type Coin, type CoinSpend } from '../chain/chain-types';
import { toHex } from '../puzzles/bytes-hex';
import { coinId } from '../puzzles/coin-id';
import { atomTreeHash, pairTreeHash } from '../puzzles/curry-tree-hash';
import { DELEGATED_PUZZLE_FEEDER, FIXED_CREATE_COIN_DESTINATIONS, INDEX_WRAPPER, ONE_OF_N, RESTRICTIONS, TIMELOCK } from '../puzzles/puzzle-programs';
import { rewardPuzzleHash, singletonMemberPuzzleHash } from '../puzzles/reward-puzzle';
import { runProgram } from '../puzzles/clvm-run';
import { decodePlotNftV2Spend } from './decode-plot-nft-v2-spend';
import { buildForwardPoolRewardSpends } from './forward-pool-reward';
import { buildExitToWaitingRoomSpend, buildJoinPoolSpend, buildLeaveWaitingRoomSpend, type OwnerSpend } from './owner-spends';
import { plotNftV2Layers } from './plot-nft-v2-layers';
import { plotNftV2Memo } from './plot-nft-v2-memo';
import { SEND_MESSAGE_BANNED_NODE, plotNftV2InnerPuzzle, plotNftV2Puzzle, plotNftV2Puzzles, validatorStackNode } from './plot-nft-v2-puzzle';
import { type PlotNftV2Identity, type PlotNftV2State, type PlotNftV2StateName, type SingletonLineageProof } from './plot-nft-v2-types';
import { type PuzzleNode, atomNode, curriedNode, intNode, listNode } from './puzzle-node';
import { singletonV11Node } from './singleton-v11';

/* Walks every value of shared/vectors/protocol/plotnft_v2.json (see the README section of that folder). */

type Labelled = Record<string, unknown>;

interface VectorCoin {
  parent_coin_info: string;
  puzzle_hash: string;
  amount: number;
  coin_id: string;
}
interface VectorCondition {
  serialized: string;
}
interface VectorSpend {
  coin: VectorCoin;
  puzzle_reveal: string;
  solution: string;
  solution_parts: Record<string, string>;
  expected_conditions: VectorCondition[];
  expected_conditions_serialized: string;
}
interface VectorCase {
  name: string;
  inputs: {
    genesis_challenge: string;
    launcher_id: string;
    synthetic_public_key: string;
    pool_config: Record<string, string | number>;
  };
  states: Record<PlotNftV2StateName, Labelled>;
  [label: string]: unknown;
}
interface ForwardVector {
  case: string;
  state: PlotNftV2StateName;
  parent_state: PlotNftV2StateName;
  reward_height: number;
  reward_amount: number;
  singleton_spend: VectorSpend & { lineage_proof: { parent_name: string; inner_puzzle_hash: string; amount: number } };
  reward_spend: VectorSpend;
  aggregated_signature: string;
}
interface TransitionVector {
  case: string;
  state: PlotNftV2StateName;
  parent_state: PlotNftV2StateName;
  coin: VectorCoin;
  puzzle_reveal: string;
  solution: string;
  solution_parts: Record<string, string>;
  agg_sig_me?: { public_key: string; message: string };
  expected_conditions: VectorCondition[];
}
interface PlotNftV2File {
  cases: VectorCase[];
  reveals_c1: Record<PlotNftV2StateName, { inner_puzzle: string; full_singleton_puzzle: string }>;
  diagnostic_wrong_variant_c1: Record<string, string>;
  forward_pool_reward_spends: ForwardVector[];
  farmer_transition_spends_c1: TransitionVector[];
}

const STATE_NAMES: PlotNftV2StateName[] = ['self_pooling', 'pooling', 'exiting'];

/** Vector keys carry an explanatory label after the name ("memo (CHIP-0043 …)"): keep the name. */
function byName<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).map(([label, value]) => [label.split(' ')[0]!, value]));
}

function identityOf(c: VectorCase): PlotNftV2Identity {
  return { launcherId: c.inputs.launcher_id, genesisChallenge: c.inputs.genesis_challenge };
}

function stateOf(c: VectorCase, name: PlotNftV2StateName): PlotNftV2State {
  const pool = byName(c.inputs.pool_config);
  return {
    ownerPublicKey: c.inputs.synthetic_public_key,
    pool:
      name === 'self_pooling'
        ? null
        : { poolClaimHash: pool.pool_puzzle_hash as string, relativeLockHeight: pool.heightlock as number, poolMemoization: pool.pool_memoization as string },
    exiting: name === 'exiting',
  };
}

/** The vectors' layer record of one state, with the wrappers' curried argument left out (checked on its own). */
function expectedLayers(vector: Labelled): Labelled {
  const named = byName(vector);
  const withoutArg = (wrapper: unknown) => {
    const { kind, puzzle_hash } = wrapper as Labelled;
    return { kind, puzzle_hash };
  };
  return {
    ...named,
    ...(named.restriction_wrapper_1 === undefined ? {} : { restriction_wrapper_1: withoutArg(named.restriction_wrapper_1) }),
  };
}

/** Our layers under the vectors' names, so a mismatch is reported by the name of the layer that differs. */
function actualLayers(id: PlotNftV2Identity, state: PlotNftV2State): Labelled {
  const layers = plotNftV2Layers(id, state);
  const pool = layers.pool;
  return {
    singleton_struct_hash: layers.singletonStructHash,
    bls_with_taproot_member_puzzle_hash: layers.blsWithTaprootMemberPuzzleHash,
    ...(pool === null
      ? {}
      : {
          forward_to_pool_puzzle_hash_dpuz_hash: pool.forwardToPoolPuzzleHashDpuzHash,
          claim_pool_rewards_dpuz_hash: pool.claimPoolRewardsDpuzHash,
          fixed_puzzle_member_puzzle_hash: pool.fixedPuzzleMemberPuzzleHash,
          pool_member_index_wrapped_hash: pool.poolMemberIndexWrappedHash,
          restriction_wrapper_1: { kind: pool.restrictionWrapper1.kind, puzzle_hash: pool.restrictionWrapper1.puzzleHash },
          restriction_wrapper_2: { kind: pool.restrictionWrapper2.kind, puzzle_hash: pool.restrictionWrapper2.puzzleHash },
          quoted_wrapper_hashes: pool.quotedWrapperHashes,
          validator_stack_restriction_hash: pool.validatorStackRestrictionHash,
          user_restriction_layer_hash: pool.userRestrictionLayerHash,
          user_member_index_wrapped_hash: pool.userMemberIndexWrappedHash,
          mofn_merkle_root: pool.mofnMerkleRoot,
          one_of_n_puzzle_hash: pool.oneOfNPuzzleHash,
        }),
    delegated_puzzle_feeder_hash: layers.delegatedPuzzleFeederHash,
    inner_puzzle_hash: layers.innerPuzzleHash,
    full_singleton_puzzle_hash: layers.fullSingletonPuzzleHash,
    memo: plotNftV2Memo(id, state).serializeHex(),
  };
}

function coinOf(coin: VectorCoin): Coin {
  return { parentCoinInfo: coin.parent_coin_info, puzzleHash: coin.puzzle_hash, amount: BigInt(coin.amount) };
}

/** Runs a spend as the chain would (the whole puzzle on its solution) and returns each condition serialized. */
function conditionsOf(spend: CoinSpend): string[] {
  const output = runProgram(Program.deserializeHex(spend.puzzleReveal), Program.deserializeHex(spend.solution)).value;
  return output.toList().map((condition) => condition.serializeHex());
}

describeWithVectors<PlotNftV2File>('v2 Plot NFT vectors (protocol/plotnft_v2.json)', 'protocol/plotnft_v2.json', (v) => {
  const caseNamed = (name: string): VectorCase => {
    const found = v.cases.find((c) => c.name === name);
    if (found === undefined) throw new Error(`no case ${name}`);
    return found;
  };

  describe('puzzle hashes, layer by layer', () => {
    const rows = v.cases.flatMap((c) => STATE_NAMES.map((name) => [c.name, name, c] as const));

    it.each(rows)('%s %s: every intermediate hash and the memo', (_case, name, c) => {
      expect(actualLayers(identityOf(c), stateOf(c, name))).toEqual(expectedLayers(c.states[name]));
    });

    it.each(rows)('%s %s: the first restriction wrapper is curried with the right argument', (_case, name, c) => {
      const wrapper = byName(c.states[name]).restriction_wrapper_1 as Labelled | undefined;
      if (name === 'self_pooling') return expect(wrapper).toBeUndefined();
      const curriedArg = byName(wrapper!).curried_arg;
      // Pooling may only move to the exiting state's INNER hash; exiting waits out the pool's lock height.
      const expected = name === 'pooling' ? byName(c.states.exiting).inner_puzzle_hash : stateOf(c, name).pool!.relativeLockHeight;
      expect(curriedArg).toEqual(expected);
    });

    it.each(rows)('%s %s: the built programs hash (by clvm-lib) to the same inner and full hashes', (_case, name, c) => {
      const expected = byName(c.states[name]);
      expect(plotNftV2InnerPuzzle(identityOf(c), stateOf(c, name)).hashHex()).toBe(expected.inner_puzzle_hash);
      expect(plotNftV2Puzzle(identityOf(c), stateOf(c, name)).hashHex()).toBe(expected.full_singleton_puzzle_hash);
    });

    it.each(v.cases.map((c) => [c.name, c] as const))('%s: reward and singleton member puzzle hashes', (_name, c) => {
      const named = byName(c as unknown as Record<string, unknown>);
      expect(rewardPuzzleHash(c.inputs.launcher_id)).toBe(named.reward_puzzle_hash);
      expect(singletonMemberPuzzleHash(c.inputs.launcher_id)).toBe(named.singleton_member_puzzle_hash);
    });

    it.each(STATE_NAMES)('c1 %s: the serialized reveals equal byte for byte', (name) => {
      const c1 = v.cases[0]!;
      expect(plotNftV2InnerPuzzle(identityOf(c1), stateOf(c1, name)).serializeHex()).toBe(v.reveals_c1[name].inner_puzzle);
      expect(plotNftV2Puzzle(identityOf(c1), stateOf(c1, name)).serializeHex()).toBe(v.reveals_c1[name].full_singleton_puzzle);
    });
  });

  it('the Timelock draft variant gives the diagnostic hashes, none of which are ours', () => {
    // Reassembled here from the same parts with chia_puzzles' TIMELOCK in place of the heightlock.
    const c1 = v.cases[0]!;
    const id = identityOf(c1);
    const exiting = stateOf(c1, 'exiting');
    const real = plotNftV2Puzzles(id, exiting);
    const custody = real.custody!;
    const variant = (wrapper1: PuzzleNode) => {
      const stack = validatorStackNode([wrapper1, SEND_MESSAGE_BANNED_NODE]);
      const user = curriedNode(INDEX_WRAPPER, [intNode(0n), curriedNode(RESTRICTIONS, [listNode([]), listNode([stack]), real.blsMember])]);
      const root = pairTreeHash(atomTreeHash(user.hash), atomTreeHash(custody.poolMember.hash));
      const inner = curriedNode(INDEX_WRAPPER, [intNode(0n), curriedNode(DELEGATED_PUZZLE_FEEDER, [curriedNode(ONE_OF_N, [atomNode(root)])])]);
      return { inner: toHex(inner.hash), full: toHex(singletonV11Node(id.launcherId, inner).hash), innerNode: inner };
    };
    const timelockExiting = variant(curriedNode(TIMELOCK, [intNode(BigInt(exiting.pool!.relativeLockHeight))]));
    const timelockPooling = variant(curriedNode(FIXED_CREATE_COIN_DESTINATIONS, [atomNode(timelockExiting.innerNode.hash)]));
    const d = v.diagnostic_wrong_variant_c1;
    expect([timelockExiting.inner, timelockExiting.full, timelockPooling.inner, timelockPooling.full]).toEqual([
      d.exiting_inner_puzzle_hash,
      d.exiting_full_singleton_puzzle_hash,
      d.pooling_inner_puzzle_hash,
      d.pooling_full_singleton_puzzle_hash,
    ]);
    const ours = STATE_NAMES.flatMap((name) => [byName(c1.states[name]).inner_puzzle_hash, byName(c1.states[name]).full_singleton_puzzle_hash]);
    expect(ours.filter((hash) => Object.values(d).includes(hash as string))).toEqual([]);
  });

  describe('forward_pool_reward spends', () => {
    it.each(v.forward_pool_reward_spends.map((f) => [`${f.case} ${f.state} (parent ${f.parent_state})`, f] as const))('%s', (_name, f) => {
      const c = caseNamed(f.case);
      const id = identityOf(c);
      const state = stateOf(c, f.state);
      const lineageProof: SingletonLineageProof = {
        parentParentCoinId: f.singleton_spend.lineage_proof.parent_name,
        parentInnerPuzzleHash: byName(c.states[f.parent_state]).inner_puzzle_hash as string,
        parentAmount: BigInt(f.singleton_spend.lineage_proof.amount),
      };
      expect(lineageProof.parentInnerPuzzleHash).toBe(f.singleton_spend.lineage_proof.inner_puzzle_hash);
      const rewardCoin = coinOf(f.reward_spend.coin);
      expect(rewardCoin.amount).toBe(BigInt(f.reward_amount));
      const spends = buildForwardPoolRewardSpends({ id, state, plotNftCoin: coinOf(f.singleton_spend.coin), lineageProof, rewardCoin });

      expect(spends.singletonSpend.puzzleReveal).toBe(f.singleton_spend.puzzle_reveal);
      expect(spends.singletonSpend.solution).toBe(f.singleton_spend.solution);
      expect(spends.rewardSpend.puzzleReveal).toBe(f.reward_spend.puzzle_reveal);
      expect(spends.rewardSpend.solution).toBe(f.reward_spend.solution);
      expect(coinId(spends.singletonSpend.coin)).toBe(f.singleton_spend.coin.coin_id);
      expect(coinId(spends.rewardSpend.coin)).toBe(f.reward_spend.coin.coin_id);

      for (const [built, vector] of [
        [spends.singletonSpend, f.singleton_spend],
        [spends.rewardSpend, f.reward_spend],
      ] as const) {
        const conditions = conditionsOf(built);
        expect(conditions).toEqual(vector.expected_conditions.map((condition) => condition.serialized));
        expect(runProgram(Program.deserializeHex(built.puzzleReveal), Program.deserializeHex(built.solution)).value.serializeHex()).toBe(
          vector.expected_conditions_serialized,
        );
      }
      expect(f.aggregated_signature).toBe('c0' + '00'.repeat(95));

      // Reading the singleton spend back: the same state, recreated under the spent coin.
      expect(decodePlotNftV2Spend(id, state, spends.singletonSpend)).toEqual({
        next: state,
        childCoin: { parentCoinInfo: f.singleton_spend.coin.coin_id, puzzleHash: f.singleton_spend.coin.puzzle_hash, amount: 1n },
        lineageProof: { parentParentCoinId: f.singleton_spend.coin.parent_coin_info, parentInnerPuzzleHash: byName(c.states[f.state]).inner_puzzle_hash, parentAmount: 1n },
      });
    });
  });

  describe('farmer transition spends (c1)', () => {
    const build: Record<PlotNftV2StateName, (input: Parameters<typeof buildExitToWaitingRoomSpend>[0], c: VectorCase) => OwnerSpend> = {
      // From self-pooling the owner joins c1's pool; from pooling it exits; from exiting it leaves to self-pooling.
      self_pooling: (input, c) => buildJoinPoolSpend({ ...input, pool: stateOf(c, 'pooling').pool! }),
      pooling: (input) => buildExitToWaitingRoomSpend({ ...input, delegation: 'passthrough' }),
      exiting: (input) => buildLeaveWaitingRoomSpend({ ...input, delegation: 'passthrough' }),
    };
    const nextName: Record<PlotNftV2StateName, PlotNftV2StateName> = { self_pooling: 'pooling', pooling: 'exiting', exiting: 'self_pooling' };

    it.each(v.farmer_transition_spends_c1.map((t) => [`${t.state} -> ${nextName[t.state]}`, t] as const))('%s', (_name, t) => {
      const c = caseNamed(t.case);
      const id = identityOf(c);
      const state = stateOf(c, t.state);
      // The vectors give the grandparent id only inside the solution; the parent's inner hash comes from our own hashes.
      const parentParentCoinId = Program.deserializeHex(t.solution).first.first.toHex();
      const lineageProof: SingletonLineageProof = {
        parentParentCoinId,
        parentInnerPuzzleHash: byName(c.states[t.parent_state]).inner_puzzle_hash as string,
        parentAmount: 1n,
      };
      const spend = build[t.state]({ id, state, plotNftCoin: coinOf(t.coin), lineageProof }, c);

      expect(spend.coinSpend.puzzleReveal).toBe(t.puzzle_reveal);
      expect(spend.coinSpend.solution).toBe(t.solution);
      const parts = byName(t.solution_parts);
      expect(spend.signTarget.message).toBe(t.agg_sig_me?.message ?? parts.delegated_puzzle_hash);
      expect(spend.signTarget.publicKey).toBe(c.inputs.synthetic_public_key);
      expect(spend.signTarget.coinId).toBe(t.coin.coin_id);
      expect(conditionsOf(spend.coinSpend)).toEqual(t.expected_conditions.map((condition) => condition.serialized));

      const next = stateOf(c, nextName[t.state]);
      expect(spend.next).toEqual(next);
      expect(decodePlotNftV2Spend(id, state, spend.coinSpend)).toEqual({
        next,
        childCoin: { parentCoinInfo: t.coin.coin_id, puzzleHash: byName(c.states[nextName[t.state]]).full_singleton_puzzle_hash, amount: 1n },
        lineageProof: { parentParentCoinId: t.coin.parent_coin_info, parentInnerPuzzleHash: byName(c.states[t.state]).inner_puzzle_hash, parentAmount: 1n },
      });
    });
  });
});
