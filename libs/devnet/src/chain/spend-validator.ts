import { Program } from 'clvm-lib';
import { type Coin, type CoinRecord, type Hex, type SpendBundle, G2_INFINITY_HEX, coinId } from '@pool/chia';
import { DevnetChainError } from './chain-errors';
import { ConditionOpcode } from './devnet-puzzles';
import { bytesToHex, hexToBytes, sha256 } from '@pool/chia';

/** One created coin with the memos its CREATE_COIN carried. */
export interface CreatedCoin {
  coin: Coin;
  id: Hex;
  memos: Uint8Array[];
}

/** A signature the bundle must carry: AGG_SIG_ME messages already include coin id and genesis challenge. */
export interface RequiredSignature {
  publicKey: Uint8Array;
  message: Uint8Array;
}

export interface ValidatedBundle {
  removals: { coin: Coin; id: Hex }[];
  additions: CreatedCoin[];
  fee: bigint;
  signatures: RequiredSignature[];
}

/** What the validator needs to know about the chain the bundle would be added to. */
export interface SpendContext {
  /** The unspent coin record, or undefined when the coin is unknown or already spent. */
  unspentCoin(id: Hex): CoinRecord | undefined;
  /** Height and unix seconds of the block that would include the bundle. */
  nextHeight: number;
  nextTimestamp: number;
  genesisChallenge: Hex;
  /** Checks the aggregate signature; when absent signatures are not verified (see DevnetChain docs). */
  verifySignatures?: (signatures: RequiredSignature[], aggregated: Uint8Array) => boolean;
}

const CLVM_MAX_COST = 11_000_000_000n;

function fail(code: string, message: string): never {
  throw new DevnetChainError(code, message);
}

function atomArg(condition: Program[], index: number, label: string): Uint8Array {
  const arg = condition[index];
  if (arg === undefined || !arg.isAtom) fail('INVALID_CONDITION', `${label} must be an atom`);
  return arg.atom;
}

function intArg(condition: Program[], index: number, label: string): bigint {
  atomArg(condition, index, label);
  return condition[index].toBigInt();
}

function hexArg(condition: Program[], index: number, label: string, length: number): Hex {
  const bytes = atomArg(condition, index, label);
  if (bytes.length !== length) fail('INVALID_CONDITION', `${label} must be ${length} bytes`);
  return bytesToHex(bytes);
}

function runPuzzle(puzzleHex: Hex, solutionHex: Hex, coinName: Hex): Program[] {
  try {
    const puzzle = Program.deserializeHex(puzzleHex);
    const solution = Program.deserializeHex(solutionHex);
    const output = puzzle.run(solution, { maxCost: CLVM_MAX_COST }).value;
    return output.toList(true);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return fail('GENERATOR_RUNTIME_ERROR', `puzzle of coin ${coinName} failed: ${reason}`);
  }
}

interface Collected {
  createdCoinAnnouncements: Set<Hex>;
  createdPuzzleAnnouncements: Set<Hex>;
  assertedCoinAnnouncements: Hex[];
  assertedPuzzleAnnouncements: Hex[];
  reserveFee: bigint;
}

/**
 * Checks a spend bundle the way a mempool would, for the conditions pool and wallet spends use: every coin exists
 * and is unspent (or is created by another spend of the same bundle), each puzzle reveal hashes to its coin's
 * puzzle hash, the puzzles run (clvm-lib) and their conditions hold (announcements, ASSERT_MY_*, height and
 * seconds locks), outputs do not exceed inputs and no coin is created twice. Signatures are checked only when
 * the context provides a verifier; without one any 96-byte signature passes. Unknown conditions are ignored.
 */
export function validateSpendBundle(bundle: SpendBundle, context: SpendContext): ValidatedBundle {
  if (bundle.coinSpends.length === 0) fail('INVALID_SPEND_BUNDLE', 'a spend bundle must spend at least one coin');
  if (!/^[0-9a-f]{192}$/.test(bundle.aggregatedSignature)) {
    fail('INVALID_SPEND_BUNDLE', 'aggregated signature must be 96 bytes of hex');
  }
  const removals: ValidatedBundle['removals'] = [];
  const additions: CreatedCoin[] = [];
  const signatures: RequiredSignature[] = [];
  const collected: Collected = {
    createdCoinAnnouncements: new Set(),
    createdPuzzleAnnouncements: new Set(),
    assertedCoinAnnouncements: [],
    assertedPuzzleAnnouncements: [],
    reserveFee: 0n,
  };
  const heightLocks: { id: Hex; relative: bigint | null; absolute: bigint | null }[] = [];
  const secondsLocks: { id: Hex; relative: bigint | null; absolute: bigint | null }[] = [];
  const genesis = hexToBytes(context.genesisChallenge);

  for (const spend of bundle.coinSpends) {
    const coin = spend.coin;
    const id = coinId(coin);
    if (removals.some((removal) => removal.id === id)) fail('DOUBLE_SPEND', `coin ${id} is spent twice in the bundle`);
    removals.push({ coin, id });
    const revealHash = Program.deserializeHex(spend.puzzleReveal).hashHex();
    if (revealHash !== coin.puzzleHash) fail('WRONG_PUZZLE_HASH', `puzzle reveal of coin ${id} does not hash to its puzzle hash`);

    for (const condition of runPuzzle(spend.puzzleReveal, spend.solution, id)) {
      const args = condition.toList();
      if (args.length === 0 || !args[0].isAtom) continue;
      const opcode = args[0].toBigInt();
      switch (opcode) {
        case ConditionOpcode.CREATE_COIN: {
          const puzzleHash = hexArg(args, 1, 'CREATE_COIN puzzle hash', 32);
          const amount = intArg(args, 2, 'CREATE_COIN amount');
          if (amount < 0n || amount >= 1n << 64n) fail('COIN_AMOUNT_EXCEEDS_MAXIMUM', 'CREATE_COIN amount must be a uint64');
          const memos = args[3] !== undefined && args[3].isCons ? args[3].toList().filter((m) => m.isAtom).map((m) => m.atom) : [];
          const created = { parentCoinInfo: id, puzzleHash, amount };
          additions.push({ coin: created, id: coinId(created), memos });
          break;
        }
        case ConditionOpcode.RESERVE_FEE:
          collected.reserveFee += intArg(args, 1, 'RESERVE_FEE amount');
          break;
        case ConditionOpcode.CREATE_COIN_ANNOUNCEMENT:
          collected.createdCoinAnnouncements.add(bytesToHex(sha256(hexToBytes(id), atomArg(args, 1, 'message'))));
          break;
        case ConditionOpcode.CREATE_PUZZLE_ANNOUNCEMENT:
          collected.createdPuzzleAnnouncements.add(
            bytesToHex(sha256(hexToBytes(coin.puzzleHash), atomArg(args, 1, 'message'))),
          );
          break;
        case ConditionOpcode.ASSERT_COIN_ANNOUNCEMENT:
          collected.assertedCoinAnnouncements.push(hexArg(args, 1, 'announcement id', 32));
          break;
        case ConditionOpcode.ASSERT_PUZZLE_ANNOUNCEMENT:
          collected.assertedPuzzleAnnouncements.push(hexArg(args, 1, 'announcement id', 32));
          break;
        case ConditionOpcode.ASSERT_MY_COIN_ID:
          if (hexArg(args, 1, 'coin id', 32) !== id) fail('ASSERT_MY_COIN_ID_FAILED', `coin ${id}`);
          break;
        case ConditionOpcode.ASSERT_MY_PARENT_ID:
          if (hexArg(args, 1, 'parent id', 32) !== coin.parentCoinInfo) fail('ASSERT_MY_PARENT_ID_FAILED', `coin ${id}`);
          break;
        case ConditionOpcode.ASSERT_MY_PUZZLEHASH:
          if (hexArg(args, 1, 'puzzle hash', 32) !== coin.puzzleHash) fail('ASSERT_MY_PUZZLEHASH_FAILED', `coin ${id}`);
          break;
        case ConditionOpcode.ASSERT_MY_AMOUNT:
          if (intArg(args, 1, 'amount') !== coin.amount) fail('ASSERT_MY_AMOUNT_FAILED', `coin ${id}`);
          break;
        case ConditionOpcode.ASSERT_HEIGHT_RELATIVE:
          heightLocks.push({ id, relative: intArg(args, 1, 'height'), absolute: null });
          break;
        case ConditionOpcode.ASSERT_HEIGHT_ABSOLUTE:
          heightLocks.push({ id, relative: null, absolute: intArg(args, 1, 'height') });
          break;
        case ConditionOpcode.ASSERT_SECONDS_RELATIVE:
          secondsLocks.push({ id, relative: intArg(args, 1, 'seconds'), absolute: null });
          break;
        case ConditionOpcode.ASSERT_SECONDS_ABSOLUTE:
          secondsLocks.push({ id, relative: null, absolute: intArg(args, 1, 'seconds') });
          break;
        case ConditionOpcode.AGG_SIG_UNSAFE:
          signatures.push({ publicKey: atomArg(args, 1, 'public key'), message: atomArg(args, 2, 'message') });
          break;
        case ConditionOpcode.AGG_SIG_ME:
          signatures.push({
            publicKey: atomArg(args, 1, 'public key'),
            message: new Uint8Array([...atomArg(args, 2, 'message'), ...hexToBytes(id), ...genesis]),
          });
          break;
        default:
          break;
      }
    }
  }

  // Coins created inside the bundle may be spent by it (the launcher coin of a plot NFT is such an ephemeral coin).
  const createdHere = new Map(additions.map((addition) => [addition.id, addition]));
  const confirmedHeight = new Map<Hex, number>();
  const confirmedTimestamp = new Map<Hex, number>();
  let inputs = 0n;
  for (const removal of removals) {
    const record = context.unspentCoin(removal.id);
    if (record !== undefined) {
      confirmedHeight.set(removal.id, record.confirmedBlockIndex);
      confirmedTimestamp.set(removal.id, record.timestamp);
    } else if (createdHere.has(removal.id)) {
      confirmedHeight.set(removal.id, context.nextHeight);
      confirmedTimestamp.set(removal.id, context.nextTimestamp);
    } else {
      fail('UNKNOWN_UNSPENT', `coin ${removal.id} does not exist or is already spent`);
    }
    inputs += removal.coin.amount;
  }
  const seen = new Set<Hex>();
  let outputs = 0n;
  for (const addition of additions) {
    if (seen.has(addition.id)) fail('DUPLICATE_OUTPUT', `coin ${addition.id} is created twice`);
    seen.add(addition.id);
    outputs += addition.coin.amount;
  }
  if (outputs > inputs) fail('MINTING_COIN', `outputs ${outputs} exceed inputs ${inputs}`);
  const fee = inputs - outputs;
  if (collected.reserveFee > fee) fail('RESERVE_FEE_CONDITION_FAILED', `fee ${fee} is below the reserved ${collected.reserveFee}`);
  for (const announcement of collected.assertedCoinAnnouncements) {
    if (!collected.createdCoinAnnouncements.has(announcement)) fail('ASSERT_ANNOUNCE_CONSUMED_FAILED', `coin announcement ${announcement}`);
  }
  for (const announcement of collected.assertedPuzzleAnnouncements) {
    if (!collected.createdPuzzleAnnouncements.has(announcement)) fail('ASSERT_ANNOUNCE_CONSUMED_FAILED', `puzzle announcement ${announcement}`);
  }
  for (const lock of heightLocks) {
    const needed = lock.relative !== null ? BigInt(confirmedHeight.get(lock.id) ?? 0) + lock.relative : (lock.absolute ?? 0n);
    if (BigInt(context.nextHeight) < needed) {
      fail(lock.relative !== null ? 'ASSERT_HEIGHT_RELATIVE_FAILED' : 'ASSERT_HEIGHT_ABSOLUTE_FAILED', `coin ${lock.id} is locked until height ${needed}`);
    }
  }
  for (const lock of secondsLocks) {
    const needed = lock.relative !== null ? BigInt(confirmedTimestamp.get(lock.id) ?? 0) + lock.relative : (lock.absolute ?? 0n);
    if (BigInt(context.nextTimestamp) < needed) {
      fail(lock.relative !== null ? 'ASSERT_SECONDS_RELATIVE_FAILED' : 'ASSERT_SECONDS_ABSOLUTE_FAILED', `coin ${lock.id} is locked until ${needed}`);
    }
  }
  if (context.verifySignatures !== undefined) {
    const aggregated = hexToBytes(bundle.aggregatedSignature);
    const ok = signatures.length === 0 ? bundle.aggregatedSignature === G2_INFINITY_HEX : context.verifySignatures(signatures, aggregated);
    if (!ok) fail('BAD_AGGREGATE_SIGNATURE', 'the aggregated signature does not match the AGG_SIG conditions');
  }
  return { removals, additions, fee, signatures };
}

