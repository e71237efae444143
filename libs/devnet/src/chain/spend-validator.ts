import { Program } from 'clvm-lib';
import {
  type Coin,
  type CoinRecord,
  type Hex,
  type SpendBundle,
  G2_INFINITY_HEX,
  bytesToHex,
  coinId,
  hexToBytes,
  runProgram,
  sha256,
} from '@pool/chia';
import { DevnetChainError } from './chain-errors';
import { ConditionOpcode } from './devnet-puzzles';

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
  /** CLVM cost of running every puzzle on its solution (the mempool adds byte and condition costs). */
  executionCost: bigint;
}

/** What the validator needs to know about the chain the bundle would be added to. */
export interface SpendContext {
  /** The unspent coin record, or undefined when the coin is unknown or already spent. */
  unspentCoin(id: Hex): CoinRecord | undefined;
  /**
   * Height and unix seconds of the block that would include the bundle. Every devnet block is a transaction
   * block, so the previous transaction block, which a node measures height locks against, is `nextHeight - 1`.
   */
  nextHeight: number;
  nextTimestamp: number;
  genesisChallenge: Hex;
  /** Checks the aggregate signature; when absent signatures are not verified (see DevnetChain docs). */
  verifySignatures?: (signatures: RequiredSignature[], aggregated: Uint8Array) => boolean;
}

const CLVM_MAX_COST = 11_000_000_000n;
/**
 * ASSERT_CONCURRENT_SPEND (chia_rs opcodes.rs, in consensus since chia 2.0): the coin id (exactly 32 bytes) must be
 * spent by the same bundle. A v2 reward forward's fee spend carries it to be valid only beside the forward.
 */
const ASSERT_CONCURRENT_SPEND = 64n;
/** Longest message an announcement or CHIP-25 message may carry (chia_rs `sanitize_announce_msg`). */
const MAX_MESSAGE_BYTES = 1024;

function fail(code: string, message: string): never {
  throw new DevnetChainError(code, message);
}

function atomArg(condition: Program[], index: number, label: string, code = 'INVALID_CONDITION'): Uint8Array {
  const arg = condition[index];
  // A missing argument is a malformed condition whatever the opcode; a pair where an atom belongs fails as the
  // condition's own check would (chia_rs gives each sanitizer its error code).
  if (arg === undefined) fail('INVALID_CONDITION', `${label} is missing`);
  if (!arg.isAtom) fail(code, `${label} must be an atom`);
  return arg.atom;
}

function intArg(condition: Program[], index: number, label: string): bigint {
  atomArg(condition, index, label);
  return condition[index].toBigInt();
}

function hexArg(condition: Program[], index: number, label: string, length: number, code = 'INVALID_CONDITION'): Hex {
  const bytes = atomArg(condition, index, label, code);
  if (bytes.length !== length) fail(code, `${label} must be ${length} bytes`);
  return bytesToHex(bytes);
}

type SanitizedUint = { kind: 'ok'; value: bigint } | { kind: 'negative' } | { kind: 'too-large' };

/**
 * An unsigned integer argument read as chia_rs `sanitize_uint` reads it: a redundant leading zero byte fails with
 * `code`; negative and too-wide values are returned for each condition to judge (some ignore them, some fail).
 */
function uintArg(condition: Program[], index: number, label: string, maxBytes: number, code: string): SanitizedUint {
  const bytes = atomArg(condition, index, label, code);
  if (bytes.length === 0) return { kind: 'ok', value: 0n };
  if ((bytes[0] & 0x80) !== 0) return { kind: 'negative' };
  if (bytes[0] === 0 && (bytes.length === 1 || (bytes[1] & 0x80) === 0)) fail(code, `${label} has a redundant leading zero`);
  const widest = bytes[0] === 0 ? maxBytes + 1 : maxBytes;
  if (bytes.length > widest) return { kind: 'too-large' };
  return { kind: 'ok', value: BigInt(`0x${bytesToHex(bytes)}`) };
}

/**
 * The value of a height or seconds lock, or null when the condition always holds: a negative lock is true, a lock
 * wider than heights (4 bytes) or seconds (8 bytes) can never be met (chia_rs conditions.rs).
 */
function lockArg(condition: Program[], label: string, maxBytes: number, code: string): bigint | null {
  const parsed = uintArg(condition, 1, label, maxBytes, code);
  if (parsed.kind === 'negative') return null;
  if (parsed.kind === 'too-large') fail(code, `${label} exceeds ${maxBytes} bytes`);
  return parsed.value;
}

function runPuzzle(puzzleHex: Hex, solutionHex: Hex, coinName: Hex): { conditions: Program[]; cost: bigint } {
  try {
    const puzzle = Program.deserializeHex(puzzleHex);
    const solution = Program.deserializeHex(solutionHex);
    const output = runProgram(puzzle, solution, { maxCost: CLVM_MAX_COST });
    return { conditions: output.value.toList(true), cost: output.cost };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return fail('GENERATOR_RUNTIME_ERROR', `puzzle of coin ${coinName} failed: ${reason}`);
  }
}

// CHIP-25 messages (chia_rs messages.rs). A mode byte holds two 3-bit groups, the sender's in bits 5-3 and the
// receiver's in bits 2-0; in each group parent id = 4, puzzle hash = 2, amount = 1, and all three together are
// written as the coin id. Each side states the other side's committed fields as arguments and has its own taken
// from the coin it spends; a message is the pair (sender commitment, receiver commitment, bytes).
const COMMITS_PARENT = 0b100;
const COMMITS_PUZZLE = 0b010;
const COMMITS_AMOUNT = 0b001;
const COMMITS_COIN_ID = 0b111;

/** A mode is 0 (nil) or one canonical byte up to 0x3f: six bits, nothing else (chia_rs `sanitize_message_mode`). */
function messageMode(condition: Program[]): number {
  const arg = condition[1];
  if (arg === undefined) fail('INVALID_CONDITION', 'message mode is missing');
  if (arg.isAtom && arg.atom.length === 0) return 0;
  if (arg.isAtom && arg.atom.length === 1 && arg.atom[0] <= 0x3f && arg.atom[0] !== 0) return arg.atom[0];
  return fail('INVALID_MESSAGE_MODE', 'a message mode is a canonical integer of at most six bits');
}

function messageBytes(condition: Program[]): Hex {
  const bytes = atomArg(condition, 2, 'message');
  if (bytes.length > MAX_MESSAGE_BYTES) fail('INVALID_CONDITION', `a message carries at most ${MAX_MESSAGE_BYTES} bytes`);
  return bytesToHex(bytes);
}

function commitment(bits: number, parent: Hex, puzzleHash: Hex, amount: bigint | null): string {
  return [bits, bits & COMMITS_PARENT ? parent : '', bits & COMMITS_PUZZLE ? puzzleHash : '', bits & COMMITS_AMOUNT ? amount : ''].join(':');
}

/** What the spending coin commits to about itself. */
function ownCommitment(bits: number, coin: Coin, id: Hex): string {
  return bits === COMMITS_COIN_ID ? `${bits}:${id}` : commitment(bits, coin.parentCoinInfo, coin.puzzleHash, coin.amount);
}

function statedAmount(condition: Program[], index: number): bigint {
  const parsed = uintArg(condition, index, 'message amount', 8, 'INVALID_CONDITION');
  if (parsed.kind === 'negative') fail('COIN_AMOUNT_NEGATIVE', 'a message amount is negative');
  if (parsed.kind === 'too-large') fail('COIN_AMOUNT_EXCEEDS_MAXIMUM', 'a message amount exceeds a uint64');
  return parsed.value;
}

/** What a condition states about the other side, read from its arguments from `start`; `next` follows them. */
function statedCommitment(condition: Program[], start: number, bits: number): { commitment: string; next: number } {
  if (bits === COMMITS_COIN_ID) {
    return { commitment: `${bits}:${hexArg(condition, start, 'message coin id', 32, 'INVALID_COIN_ID')}`, next: start + 1 };
  }
  let next = start;
  const parent = bits & COMMITS_PARENT ? hexArg(condition, next++, 'message parent id', 32) : '';
  const puzzleHash = bits & COMMITS_PUZZLE ? hexArg(condition, next++, 'message puzzle hash', 32) : '';
  const amount = bits & COMMITS_AMOUNT ? statedAmount(condition, next++) : null;
  return { commitment: commitment(bits, parent, puzzleHash, amount), next };
}

function endsInNil(program: Program): boolean {
  let rest = program;
  while (rest.isCons) rest = rest.rest;
  return rest.isNull;
}

/**
 * The message a SEND_MESSAGE or RECEIVE_MESSAGE condition names. The mempool counts arguments strictly
 * (chia_rs `STRICT_ARGS_COUNT` in `MEMPOOL_MODE`), so nothing may follow the stated commitment.
 */
function messageKey(condition: Program, args: Program[], sending: boolean, coin: Coin, id: Hex): string {
  const mode = messageMode(args);
  const bytes = messageBytes(args);
  const senderBits = mode >> 3;
  const receiverBits = mode & 0b111;
  const stated = statedCommitment(args, 3, sending ? receiverBits : senderBits);
  if (stated.next !== args.length || !endsInNil(condition)) fail('INVALID_CONDITION', 'a message condition has extra arguments');
  const own = ownCommitment(sending ? senderBits : receiverBits, coin, id);
  const [sender, receiver] = sending ? [own, stated.commitment] : [stated.commitment, own];
  return `${sender}|${receiver}|${bytes}`;
}

interface TimeLock {
  id: Hex;
  relative: bigint | null;
  absolute: bigint | null;
}

interface Collected {
  createdCoinAnnouncements: Set<Hex>;
  createdPuzzleAnnouncements: Set<Hex>;
  assertedCoinAnnouncements: Hex[];
  assertedPuzzleAnnouncements: Hex[];
  /** Coin ids that must be spent by this bundle (ASSERT_CONCURRENT_SPEND). */
  concurrentSpends: Hex[];
  reserveFee: bigint;
  /** Sends minus receipts per message; every count must end at zero. */
  messages: Map<string, number>;
  heightLocks: TimeLock[];
  secondsLocks: TimeLock[];
  /** Spends with a relative time condition: the node refuses those on a coin created in the same bundle. */
  relativeConditionSpends: Set<Hex>;
  additions: CreatedCoin[];
  signatures: RequiredSignature[];
}

/** Applies one output condition of the spend of `coin` (id `id`); assertions about the coin itself fail at once. */
function collectCondition(collected: Collected, condition: Program, coin: Coin, id: Hex, genesis: Uint8Array): void {
  const args = condition.toList();
  if (args.length === 0 || !args[0].isAtom) return;
  const opcode = args[0].toBigInt();
  switch (opcode) {
    case ConditionOpcode.CREATE_COIN: {
      const puzzleHash = hexArg(args, 1, 'CREATE_COIN puzzle hash', 32);
      const amount = intArg(args, 2, 'CREATE_COIN amount');
      if (amount < 0n || amount >= 1n << 64n) fail('COIN_AMOUNT_EXCEEDS_MAXIMUM', 'CREATE_COIN amount must be a uint64');
      const memos = args[3] !== undefined && args[3].isCons ? args[3].toList().filter((m) => m.isAtom).map((m) => m.atom) : [];
      const created = { parentCoinInfo: id, puzzleHash, amount };
      collected.additions.push({ coin: created, id: coinId(created), memos });
      return;
    }
    case ConditionOpcode.RESERVE_FEE:
      collected.reserveFee += intArg(args, 1, 'RESERVE_FEE amount');
      return;
    case ConditionOpcode.CREATE_COIN_ANNOUNCEMENT:
      collected.createdCoinAnnouncements.add(bytesToHex(sha256(hexToBytes(id), atomArg(args, 1, 'message'))));
      return;
    case ConditionOpcode.CREATE_PUZZLE_ANNOUNCEMENT:
      collected.createdPuzzleAnnouncements.add(bytesToHex(sha256(hexToBytes(coin.puzzleHash), atomArg(args, 1, 'message'))));
      return;
    case ConditionOpcode.ASSERT_COIN_ANNOUNCEMENT:
      collected.assertedCoinAnnouncements.push(hexArg(args, 1, 'announcement id', 32));
      return;
    case ConditionOpcode.ASSERT_PUZZLE_ANNOUNCEMENT:
      collected.assertedPuzzleAnnouncements.push(hexArg(args, 1, 'announcement id', 32));
      return;
    case ASSERT_CONCURRENT_SPEND:
      // chia_rs sanitize_hash: an id that is not 32 bytes fails with the condition's own error.
      collected.concurrentSpends.push(hexArg(args, 1, 'concurrent spend coin id', 32, 'ASSERT_CONCURRENT_SPEND_FAILED'));
      return;
    case ConditionOpcode.SEND_MESSAGE:
    case ConditionOpcode.RECEIVE_MESSAGE: {
      const sending = opcode === ConditionOpcode.SEND_MESSAGE;
      const key = messageKey(condition, args, sending, coin, id);
      collected.messages.set(key, (collected.messages.get(key) ?? 0) + (sending ? 1 : -1));
      return;
    }
    case ConditionOpcode.ASSERT_MY_COIN_ID:
      if (hexArg(args, 1, 'coin id', 32, 'ASSERT_MY_COIN_ID_FAILED') !== id) fail('ASSERT_MY_COIN_ID_FAILED', `coin ${id}`);
      return;
    case ConditionOpcode.ASSERT_MY_PARENT_ID:
      if (hexArg(args, 1, 'parent id', 32, 'ASSERT_MY_PARENT_ID_FAILED') !== coin.parentCoinInfo) fail('ASSERT_MY_PARENT_ID_FAILED', `coin ${id}`);
      return;
    case ConditionOpcode.ASSERT_MY_PUZZLEHASH:
      if (hexArg(args, 1, 'puzzle hash', 32, 'ASSERT_MY_PUZZLEHASH_FAILED') !== coin.puzzleHash) fail('ASSERT_MY_PUZZLEHASH_FAILED', `coin ${id}`);
      return;
    case ConditionOpcode.ASSERT_MY_AMOUNT: {
      // chia_rs `parse_amount`: the amount must be a canonical uint64 to be compared at all.
      const amount = uintArg(args, 1, 'amount', 8, 'ASSERT_MY_AMOUNT_FAILED');
      if (amount.kind !== 'ok' || amount.value !== coin.amount) fail('ASSERT_MY_AMOUNT_FAILED', `coin ${id}`);
      return;
    }
    case ConditionOpcode.ASSERT_HEIGHT_RELATIVE: {
      collected.relativeConditionSpends.add(id);
      const relative = lockArg(args, 'relative height', 4, 'ASSERT_HEIGHT_RELATIVE_FAILED');
      if (relative !== null) collected.heightLocks.push({ id, relative, absolute: null });
      return;
    }
    case ConditionOpcode.ASSERT_HEIGHT_ABSOLUTE: {
      const absolute = lockArg(args, 'height', 4, 'ASSERT_HEIGHT_ABSOLUTE_FAILED');
      if (absolute !== null) collected.heightLocks.push({ id, relative: null, absolute });
      return;
    }
    case ConditionOpcode.ASSERT_SECONDS_RELATIVE: {
      collected.relativeConditionSpends.add(id);
      const relative = lockArg(args, 'relative seconds', 8, 'ASSERT_SECONDS_RELATIVE_FAILED');
      if (relative !== null) collected.secondsLocks.push({ id, relative, absolute: null });
      return;
    }
    case ConditionOpcode.ASSERT_SECONDS_ABSOLUTE: {
      const absolute = lockArg(args, 'seconds', 8, 'ASSERT_SECONDS_ABSOLUTE_FAILED');
      if (absolute !== null) collected.secondsLocks.push({ id, relative: null, absolute });
      return;
    }
    case ConditionOpcode.AGG_SIG_UNSAFE:
      collected.signatures.push({ publicKey: atomArg(args, 1, 'public key'), message: atomArg(args, 2, 'message') });
      return;
    case ConditionOpcode.AGG_SIG_ME:
      collected.signatures.push({
        publicKey: atomArg(args, 1, 'public key'),
        message: new Uint8Array([...atomArg(args, 2, 'message'), ...hexToBytes(id), ...genesis]),
      });
      return;
    default:
      return;
  }
}

/** Every message must be received exactly as many times as it is sent (chia_rs `validate_conditions`). */
function checkMessagesPaired(messages: Map<string, number>): void {
  for (const [key, count] of messages) {
    if (count === 0) continue;
    const [sender, receiver, bytes] = key.split('|');
    const what = count > 0 ? 'sent but not received' : 'received but not sent';
    fail('MESSAGE_NOT_SENT_OR_RECEIVED', `message ${bytes} (sender ${sender}, receiver ${receiver}) is ${what} in the bundle`);
  }
}

/**
 * A node checks height locks against the previous transaction block (chia_rs `check_time_locks`; chia-blockchain's
 * mempool_manager.py passes its peak, the block before the next one): a relative lock counts from the height the
 * coin was confirmed at, so a coin confirmed at h with lock n can be spent in the block after peak h + n.
 */
function checkHeightLocks(locks: TimeLock[], confirmedHeight: Map<Hex, number>, nextHeight: number): void {
  const previousHeight = BigInt(nextHeight) - 1n;
  for (const lock of locks) {
    const needed = lock.relative !== null ? BigInt(confirmedHeight.get(lock.id) ?? 0) + lock.relative : (lock.absolute ?? 0n);
    if (previousHeight < needed) {
      fail(
        lock.relative !== null ? 'ASSERT_HEIGHT_RELATIVE_FAILED' : 'ASSERT_HEIGHT_ABSOLUTE_FAILED',
        `coin ${lock.id} is locked until height ${needed} is the peak (it is ${previousHeight})`,
      );
    }
  }
}

/** Seconds locks against the next block's timestamp (the context knows no peak timestamp). */
function checkSecondsLocks(locks: TimeLock[], confirmedTimestamp: Map<Hex, number>, nextTimestamp: number): void {
  for (const lock of locks) {
    const needed = lock.relative !== null ? BigInt(confirmedTimestamp.get(lock.id) ?? 0) + lock.relative : (lock.absolute ?? 0n);
    if (BigInt(nextTimestamp) < needed) {
      fail(lock.relative !== null ? 'ASSERT_SECONDS_RELATIVE_FAILED' : 'ASSERT_SECONDS_ABSOLUTE_FAILED', `coin ${lock.id} is locked until ${needed}`);
    }
  }
}

/**
 * Checks a spend bundle the way a node's mempool would, for the conditions pool, wallet and v2 Plot NFT spends
 * use: every coin exists and is unspent (or is created by another spend of the same bundle), each puzzle reveal
 * hashes to its coin's puzzle hash, the puzzles run (clvm-lib with `coinid`, unknown operators refused) and their
 * conditions hold (announcements, CHIP-25 messages, ASSERT_CONCURRENT_SPEND, ASSERT_MY_*, height and seconds locks), outputs do not exceed
 * inputs and no coin is created twice. Signatures are checked only when the context provides a verifier; without
 * one any 96-byte signature passes. Unknown conditions are ignored.
 */
export function validateSpendBundle(bundle: SpendBundle, context: SpendContext): ValidatedBundle {
  if (bundle.coinSpends.length === 0) fail('INVALID_SPEND_BUNDLE', 'a spend bundle must spend at least one coin');
  if (!/^[0-9a-f]{192}$/.test(bundle.aggregatedSignature)) {
    fail('INVALID_SPEND_BUNDLE', 'aggregated signature must be 96 bytes of hex');
  }
  const removals: ValidatedBundle['removals'] = [];
  const collected: Collected = {
    createdCoinAnnouncements: new Set(),
    createdPuzzleAnnouncements: new Set(),
    assertedCoinAnnouncements: [],
    assertedPuzzleAnnouncements: [],
    concurrentSpends: [],
    reserveFee: 0n,
    messages: new Map(),
    heightLocks: [],
    secondsLocks: [],
    relativeConditionSpends: new Set(),
    additions: [],
    signatures: [],
  };
  const genesis = hexToBytes(context.genesisChallenge);
  let executionCost = 0n;

  for (const spend of bundle.coinSpends) {
    const coin = spend.coin;
    const id = coinId(coin);
    if (removals.some((removal) => removal.id === id)) fail('DOUBLE_SPEND', `coin ${id} is spent twice in the bundle`);
    removals.push({ coin, id });
    const revealHash = Program.deserializeHex(spend.puzzleReveal).hashHex();
    if (revealHash !== coin.puzzleHash) fail('WRONG_PUZZLE_HASH', `puzzle reveal of coin ${id} does not hash to its puzzle hash`);
    const ran = runPuzzle(spend.puzzleReveal, spend.solution, id);
    executionCost += ran.cost;
    for (const condition of ran.conditions) collectCondition(collected, condition, coin, id, genesis);
  }
  const { additions, signatures } = collected;

  // Coins created inside the bundle may be spent by it (the launcher coin of a plot NFT is such an ephemeral coin).
  const createdHere = new Map(additions.map((addition) => [addition.id, addition]));
  for (const id of collected.relativeConditionSpends) {
    if (createdHere.has(id)) fail('EPHEMERAL_RELATIVE_CONDITION', `coin ${id} is created in this bundle and cannot carry a relative time lock`);
  }
  const confirmedHeight = new Map<Hex, number>();
  const confirmedTimestamp = new Map<Hex, number>();
  let inputs = 0n;
  for (const removal of removals) {
    const record = context.unspentCoin(removal.id);
    if (record !== undefined) {
      confirmedHeight.set(removal.id, record.confirmedBlockIndex);
      confirmedTimestamp.set(removal.id, record.timestamp);
    } else if (!createdHere.has(removal.id)) {
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
  // chia_rs validate_conditions: every asserted id is among the coins this bundle spends.
  for (const id of collected.concurrentSpends) {
    if (!removals.some((removal) => removal.id === id)) fail('ASSERT_CONCURRENT_SPEND_FAILED', `coin ${id} is not spent in the bundle`);
  }
  checkMessagesPaired(collected.messages);
  checkHeightLocks(collected.heightLocks, confirmedHeight, context.nextHeight);
  checkSecondsLocks(collected.secondsLocks, confirmedTimestamp, context.nextTimestamp);
  if (context.verifySignatures !== undefined) {
    const aggregated = hexToBytes(bundle.aggregatedSignature);
    const ok = signatures.length === 0 ? bundle.aggregatedSignature === G2_INFINITY_HEX : context.verifySignatures(signatures, aggregated);
    if (!ok) fail('BAD_AGGREGATE_SIGNATURE', 'the aggregated signature does not match the AGG_SIG conditions');
  }
  return { removals, additions, fee, signatures, executionCost };
}
