import { Program } from 'clvm-lib';
import { type Coin, type CoinRecord, type CoinSpend, type Hex, G2_INFINITY_HEX, coinId } from '@pool/chia';
import { describeWithVectors } from '@pool/testing';
import { clvmList } from './devnet-puzzles';
import { type SpendContext, type ValidatedBundle, validateSpendBundle } from './spend-validator';

interface VectorCoin {
  parent_coin_info: string;
  puzzle_hash: string;
  amount: number;
  coin_id: string;
}
interface ExpectedCondition {
  opcode: number;
  serialized: string;
}
interface VectorSpend {
  coin: VectorCoin;
  puzzle_reveal: string;
  solution: string;
  expected_conditions: ExpectedCondition[];
}
interface ForwardPair {
  case: string;
  reward_height: number;
  singleton_spend: VectorSpend;
  reward_spend: VectorSpend;
  aggregated_signature: string;
}
interface TransitionSpend extends VectorSpend {
  case: string;
  state: string;
  agg_sig_me?: { public_key: string; message: string };
}
interface PlotNftV2File {
  cases: { name: string; inputs: { genesis_challenge: string } }[];
  forward_pool_reward_spends: ForwardPair[];
  farmer_transition_spends_c1: TransitionSpend[];
}

/** Height the devnet context says each spent coin was confirmed at (the vectors do not fix one). */
const CONFIRMED = 1_000;

const toCoin = (coin: VectorCoin): Coin => ({ parentCoinInfo: coin.parent_coin_info, puzzleHash: coin.puzzle_hash, amount: BigInt(coin.amount) });
const toSpend = (spend: VectorSpend, solution = spend.solution): CoinSpend => ({ coin: toCoin(spend.coin), puzzleReveal: spend.puzzle_reveal, solution });

function contextWith(coins: Coin[], genesisChallenge: Hex, nextHeight: number): SpendContext {
  const records = new Map<Hex, CoinRecord>(
    coins.map((coin) => [coinId(coin), { coin, confirmedBlockIndex: CONFIRMED, spentBlockIndex: 0, coinbase: false, timestamp: 1_700_000_000, spent: false }]),
  );
  return { nextHeight, nextTimestamp: 1_700_010_000, genesisChallenge, unspentCoin: (id) => records.get(id) };
}

/** The bundle of `spends` (no signature check: the context has no verifier), both pair coins unspent. */
function validate(spends: CoinSpend[], unspent: Coin[], genesis: Hex, nextHeight = CONFIRMED + 1): ValidatedBundle {
  return validateSpendBundle({ coinSpends: spends, aggregatedSignature: G2_INFINITY_HEX }, contextWith(unspent, genesis, nextHeight));
}

/** (puzzle_hash, amount) of the vector's expected CREATE_COIN conditions. */
function expectedCreations(spend: VectorSpend): { puzzleHash: Hex; amount: bigint }[] {
  return spend.expected_conditions
    .filter((condition) => condition.opcode === 51)
    .map((condition) => Program.deserializeHex(condition.serialized).toList())
    .map((args) => ({ puzzleHash: args[1].toHex(), amount: args[2].toBigInt() }));
}

/** Rebuilds `list` with element `index` replaced, checking first that rebuilding unchanged gives the same bytes. */
function replaceAt(list: Program, index: number, replacement: (old: Program) => Program): Program {
  const items = list.toList(true);
  expect(clvmList(items).serializeHex()).toBe(list.serializeHex());
  return clvmList(items.map((item, i) => (i === index ? replacement(item) : item)));
}

const plusOne = (amount: Program) => Program.fromBigInt(amount.toBigInt() + 1n);

/** Singleton solution `(lineage_proof my_amount inner_solution)`, inner `(claim_dpuz (inner_ph height amount) …)`. */
function withClaimAmountPlusOne(solutionHex: Hex): Hex {
  const solution = Program.deserializeHex(solutionHex);
  return replaceAt(solution, 2, (inner) => replaceAt(inner, 1, (claim) => replaceAt(claim, 2, plusOne))).serializeHex();
}

/** Reward solution `(forward_dpuz (amount) singleton_inner_puzzle_hash)`. */
function withForwardAmountPlusOne(solutionHex: Hex): Hex {
  const solution = Program.deserializeHex(solutionHex);
  return replaceAt(solution, 1, (dsol) => replaceAt(dsol, 0, plusOne)).serializeHex();
}

describeWithVectors<PlotNftV2File>('validateSpendBundle on real v2 Plot NFT spends', 'protocol/plotnft_v2.json', (vectors) => {
  const genesisOf = (name: string): Hex => {
    const found = vectors.cases.find((c) => c.name === name);
    if (found === undefined) throw new Error(`no case ${name} in the vectors`);
    return found.inputs.genesis_challenge;
  };

  describe.each(vectors.forward_pool_reward_spends.map((pair) => [pair.case, pair] as const))('pool reward forward, %s', (name, pair) => {
    const genesis = genesisOf(name);
    const singleton = toSpend(pair.singleton_spend);
    const reward = toSpend(pair.reward_spend);
    const both = [singleton.coin, reward.coin];

    it('accepts the singleton and reward spends together, recreating the singleton and paying the pool', () => {
      expect(coinId(reward.coin)).toBe(pair.reward_spend.coin.coin_id);
      const validated = validate([singleton, reward], both, genesis);
      const created = validated.additions.map((addition) => ({ puzzleHash: addition.coin.puzzleHash, amount: addition.coin.amount }));
      expect(created).toEqual([...expectedCreations(pair.singleton_spend), ...expectedCreations(pair.reward_spend)]);
      expect(validated.fee).toBe(0n);
      expect(validated.signatures).toEqual([]);
      expect(pair.aggregated_signature).toBe(G2_INFINITY_HEX);
    });

    it('refuses either spend alone: its message has no partner', () => {
      expect(() => validate([singleton], both, genesis)).toThrow(/MESSAGE_NOT_SENT_OR_RECEIVED/);
      expect(() => validate([reward], both, genesis)).toThrow(/MESSAGE_NOT_SENT_OR_RECEIVED/);
    });

    it('refuses a claim naming another reward amount: the singleton then messages a coin that is not spent', () => {
      const tampered = { ...singleton, solution: withClaimAmountPlusOne(singleton.solution) };
      expect(() => validate([tampered, reward], both, genesis)).toThrow(/MESSAGE_NOT_SENT_OR_RECEIVED/);
    });

    it('refuses a forward of another amount than the reward coin holds', () => {
      const tampered = { ...reward, solution: withForwardAmountPlusOne(reward.solution) };
      expect(() => validate([singleton, tampered], both, genesis)).toThrow(/ASSERT_MY_AMOUNT_FAILED/);
    });
  });

  describe('owner spends of c1', () => {
    const genesis = genesisOf('c1_mainnet_basic');
    const leave = vectors.farmer_transition_spends_c1.find((spend) => spend.expected_conditions.some((condition) => condition.opcode === 82));
    const lockCondition = leave?.expected_conditions.find((condition) => condition.opcode === 82);

    it('has a leave spend carrying a heightlock', () => {
      expect(leave?.state).toBe('exiting');
      expect(lockCondition).toBeDefined();
    });

    it('refuses the leave spend before the lock height and accepts it from the lock height on', () => {
      const spend = toSpend(leave!);
      const lock = Program.deserializeHex(lockCondition!.serialized).toList()[1].toBigInt();
      expect(lock).toBeGreaterThan(0n);
      const lockHeight = CONFIRMED + Number(lock);
      // A node measures from its peak: the next block may spend the coin once the peak is at the lock height.
      for (const peak of [CONFIRMED, lockHeight - 1]) {
        expect(() => validate([spend], [spend.coin], genesis, peak + 1)).toThrow(/ASSERT_HEIGHT_RELATIVE_FAILED/);
      }
      for (const peak of [lockHeight, lockHeight + 1, lockHeight + 500]) {
        expect(() => validate([spend], [spend.coin], genesis, peak + 1)).not.toThrow();
      }
    });

    it.each(vectors.farmer_transition_spends_c1.map((spend) => [spend.state, spend] as const))(
      'asks the owner to sign the vector message for the %s-state spend, and creates the expected coin',
      (_state, transition) => {
        const spend = toSpend(transition);
        const validated = validate([spend], [spend.coin], genesis, CONFIRMED + 10_000);
        const created = validated.additions.map((addition) => ({ puzzleHash: addition.coin.puzzleHash, amount: addition.coin.amount }));
        expect(created).toEqual(expectedCreations(transition));
        const signature = validated.signatures.map((s) => ({ publicKey: Buffer.from(s.publicKey).toString('hex'), message: Buffer.from(s.message).toString('hex') }));
        const signed = transition.expected_conditions.find((condition) => condition.opcode === 50);
        const [, publicKey, message] = Program.deserializeHex(signed!.serialized).toList();
        // AGG_SIG_ME signs message ‖ coin id ‖ genesis challenge.
        expect(signature).toEqual([{ publicKey: publicKey.toHex(), message: message.toHex() + transition.coin.coin_id + genesis }]);
      },
    );
  });
});
