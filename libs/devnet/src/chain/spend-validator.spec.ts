import { Program } from 'clvm-lib';
import { type Coin, type CoinSpend, type Hex, G2_INFINITY_HEX, coinId } from '@pool/chia';
import { ConditionOpcode, clvmList, conditionProgram, conditionsPuzzle, createCoinCondition } from './devnet-puzzles';
import { type SpendContext, type ValidatedBundle, validateSpendBundle } from './spend-validator';

const GENESIS = 'cc'.repeat(32);
/** Height every coin of a test's context was confirmed at. */
const CONFIRMED = 100;

const bytes = (hex: Hex) => Program.fromHex(hex);
const int = (value: bigint | number) => Program.fromBigInt(BigInt(value));

function coinAt(tag: string, amount: bigint, parentCoinInfo: Hex = 'a1'.repeat(32)): Coin {
  return { parentCoinInfo, puzzleHash: conditionsPuzzle(tag).hashHex(), amount };
}

/** A spend of `coin` at the key-less conditions puzzle of `tag`: the solution is the list of conditions. */
function spendOf(tag: string, coin: Coin, conditions: Program[]): CoinSpend {
  return { coin, puzzleReveal: conditionsPuzzle(tag).serializeHex(), solution: clvmList(conditions).serializeHex() };
}

function contextWith(unspent: Coin[], nextHeight: number): SpendContext {
  const records = new Map(unspent.map((coin) => [coinId(coin), coin]));
  return {
    nextHeight,
    nextTimestamp: 1_700_000_000,
    genesisChallenge: GENESIS,
    unspentCoin: (id) => {
      const coin = records.get(id);
      return coin === undefined ? undefined : { coin, confirmedBlockIndex: CONFIRMED, spentBlockIndex: 0, coinbase: false, timestamp: 1_600_000_000, spent: false };
    },
  };
}

/** Validates the spends as one bundle, every spent coin confirmed at CONFIRMED unless `unspent` says otherwise. */
function validate(spends: CoinSpend[], options: { nextHeight?: number; unspent?: Coin[] } = {}): ValidatedBundle {
  const context = contextWith(options.unspent ?? spends.map((spend) => spend.coin), options.nextHeight ?? CONFIRMED + 1);
  return validateSpendBundle({ coinSpends: spends, aggregatedSignature: G2_INFINITY_HEX }, context);
}

const SENDER_TAG = 'sender';
const RECEIVER_TAG = 'receiver';
const SENDER = coinAt(SENDER_TAG, 7n, 'b1'.repeat(32));
const RECEIVER = coinAt(RECEIVER_TAG, 900n, 'b2'.repeat(32));
const MESSAGE = bytes('6d657373616765');

type Field = 'parent' | 'puzzle' | 'amount';

/** The arguments by which one side states the other side's committed fields (`bits` of the mode, 4/2/1). */
function statedFields(coin: Coin, bits: number): Program[] {
  if (bits === 0b111) return [bytes(coinId(coin))];
  const fields: Program[] = [];
  if (bits & 0b100) fields.push(bytes(coin.parentCoinInfo));
  if (bits & 0b010) fields.push(bytes(coin.puzzleHash));
  if (bits & 0b001) fields.push(int(coin.amount));
  return fields;
}

function committedFields(bits: number): Field[] {
  return (['parent', 'puzzle', 'amount'] as const).filter((_, i) => bits & (0b100 >> i));
}

function withChanged(coin: Coin, field: Field): Coin {
  if (field === 'parent') return { ...coin, parentCoinInfo: 'ee'.repeat(32) };
  if (field === 'puzzle') return { ...coin, puzzleHash: 'ef'.repeat(32) };
  return { ...coin, amount: coin.amount + 1n };
}

const send = (mode: number, receiverView: Coin, message = MESSAGE) =>
  conditionProgram(ConditionOpcode.SEND_MESSAGE, int(mode), message, ...statedFields(receiverView, mode & 0b111));
const receive = (mode: number, senderView: Coin, message = MESSAGE) =>
  conditionProgram(ConditionOpcode.RECEIVE_MESSAGE, int(mode), message, ...statedFields(senderView, mode >> 3));

function messagePair(sendConditions: Program[], receiveConditions: Program[]): CoinSpend[] {
  return [spendOf(SENDER_TAG, SENDER, sendConditions), spendOf(RECEIVER_TAG, RECEIVER, receiveConditions)];
}

const ALL_MODES = Array.from({ length: 64 }, (_, mode) => mode);

describe('validateSpendBundle: CHIP-25 messages', () => {
  it.each(ALL_MODES)('pairs a message sent and received with mode %i', (mode) => {
    expect(() => validate(messagePair([send(mode, RECEIVER)], [receive(mode, SENDER)]))).not.toThrow();
  });

  it.each(ALL_MODES.filter((mode) => (mode & 0b111) !== 0))('mode %i: a sender that states another receiver is unmatched', (mode) => {
    for (const field of committedFields(mode & 0b111)) {
      const pair = messagePair([send(mode, withChanged(RECEIVER, field))], [receive(mode, SENDER)]);
      expect(() => validate(pair)).toThrow(/MESSAGE_NOT_SENT_OR_RECEIVED/);
    }
  });

  it.each(ALL_MODES.filter((mode) => mode >> 3 !== 0))('mode %i: a receiver that states another sender is unmatched', (mode) => {
    for (const field of committedFields(mode >> 3)) {
      const pair = messagePair([send(mode, RECEIVER)], [receive(mode, withChanged(SENDER, field))]);
      expect(() => validate(pair)).toThrow(/MESSAGE_NOT_SENT_OR_RECEIVED/);
    }
  });

  it('refuses a message whose bytes or mode differ between the two sides', () => {
    expect(() => validate(messagePair([send(0x17, RECEIVER)], [receive(0x17, SENDER, bytes('6f74686572'))]))).toThrow(/MESSAGE_NOT_SENT_OR_RECEIVED/);
    // 0x17 and 0x16 both commit the sender's puzzle hash; the receiver side differs (coin id vs parent and puzzle).
    expect(() => validate(messagePair([send(0x17, RECEIVER)], [receive(0x16, SENDER)]))).toThrow(/MESSAGE_NOT_SENT_OR_RECEIVED/);
  });

  it('refuses a message sent or received by one spend only, naming the error as the node does', () => {
    expect(() => validate([spendOf(SENDER_TAG, SENDER, [send(0x17, RECEIVER)])])).toThrow(/MESSAGE_NOT_SENT_OR_RECEIVED.*sent but not received/);
    expect(() => validate([spendOf(RECEIVER_TAG, RECEIVER, [receive(0x17, SENDER)])])).toThrow(/MESSAGE_NOT_SENT_OR_RECEIVED.*received but not sent/);
  });

  it('pairs each send with one receipt: twice sent needs twice received', () => {
    expect(() => validate(messagePair([send(0x17, RECEIVER), send(0x17, RECEIVER)], [receive(0x17, SENDER)]))).toThrow(/MESSAGE_NOT_SENT_OR_RECEIVED/);
    expect(() => validate(messagePair([send(0x17, RECEIVER), send(0x17, RECEIVER)], [receive(0x17, SENDER), receive(0x17, SENDER)]))).not.toThrow();
  });

  it('lets a spend message itself', () => {
    const self = [send(0x3f, SENDER), receive(0x3f, SENDER)];
    expect(() => validate([spendOf(SENDER_TAG, SENDER, self)])).not.toThrow();
  });

  it.each([
    ['above six bits', bytes('40')],
    ['a zero byte (not canonical)', bytes('00')],
    ['padded (not canonical)', bytes('0017')],
    ['negative', int(-1)],
    ['a pair', clvmList([int(1)])],
  ])('refuses a mode %s', (_label, mode) => {
    const condition = conditionProgram(ConditionOpcode.SEND_MESSAGE, mode, MESSAGE, bytes(coinId(RECEIVER)));
    expect(() => validate(messagePair([condition], [receive(0x07, SENDER)]))).toThrow(/INVALID_MESSAGE_MODE/);
  });

  it.each([
    ['a 31-byte coin id', 0x07, [bytes('ab'.repeat(31))], /INVALID_COIN_ID/],
    ['a 33-byte puzzle hash', 0x02, [bytes('ab'.repeat(33))], /INVALID_CONDITION/],
    ['a 31-byte parent id', 0x04, [bytes('ab'.repeat(31))], /INVALID_CONDITION/],
    ['a negative amount', 0x01, [int(-5)], /COIN_AMOUNT_NEGATIVE/],
    ['an amount above a uint64', 0x01, [bytes('010000000000000000')], /COIN_AMOUNT_EXCEEDS_MAXIMUM/],
    ['an amount with a redundant leading zero', 0x01, [bytes('0005')], /INVALID_CONDITION/],
    ['a missing committed field', 0x03, [bytes(RECEIVER.puzzleHash)], /INVALID_CONDITION/],
    ['an extra argument (the mempool counts arguments strictly)', 0x07, [bytes(coinId(RECEIVER)), int(1)], /INVALID_CONDITION/],
  ])('refuses a message stating %s', (_label, mode, stated, error) => {
    const condition = conditionProgram(ConditionOpcode.SEND_MESSAGE, int(mode), MESSAGE, ...(stated as Program[]));
    expect(() => validate(messagePair([condition], [receive(mode, SENDER)]))).toThrow(error);
  });

  it('takes messages up to 1024 bytes', () => {
    const longest = bytes('ab'.repeat(1024));
    expect(() => validate(messagePair([send(0x17, RECEIVER, longest)], [receive(0x17, SENDER, longest)]))).not.toThrow();
    const tooLong = bytes('ab'.repeat(1025));
    expect(() => validate(messagePair([send(0x17, RECEIVER, tooLong)], [receive(0x17, SENDER, tooLong)]))).toThrow(/INVALID_CONDITION/);
  });
});

describe('validateSpendBundle: assertions about the spent coin', () => {
  const COIN = coinAt('asserting', 1234n, 'c1'.repeat(32));
  const assertSpend = (opcode: bigint, arg: Program) => [spendOf('asserting', COIN, [conditionProgram(opcode, arg)])];

  it.each([
    ['ASSERT_MY_AMOUNT', ConditionOpcode.ASSERT_MY_AMOUNT, int(COIN.amount), int(COIN.amount - 1n)],
    ['ASSERT_MY_PARENT_ID', ConditionOpcode.ASSERT_MY_PARENT_ID, bytes(COIN.parentCoinInfo), bytes('c2'.repeat(32))],
    ['ASSERT_MY_PUZZLEHASH', ConditionOpcode.ASSERT_MY_PUZZLEHASH, bytes(COIN.puzzleHash), bytes(conditionsPuzzle('other').hashHex())],
    ['ASSERT_MY_COIN_ID', ConditionOpcode.ASSERT_MY_COIN_ID, bytes(coinId(COIN)), bytes(coinId({ ...COIN, amount: 1n }))],
  ])('%s holds for the coin and fails for another value', (name, opcode, right, wrong) => {
    expect(() => validate(assertSpend(opcode, right))).not.toThrow();
    expect(() => validate(assertSpend(opcode, wrong))).toThrow(new RegExp(`${name}_FAILED`));
  });

  it('compares ASSERT_MY_AMOUNT only when the amount is written canonically', () => {
    expect(() => validate(assertSpend(ConditionOpcode.ASSERT_MY_AMOUNT, bytes('0004d2')))).toThrow(/ASSERT_MY_AMOUNT_FAILED/);
  });

  it('refuses an ASSERT_MY_PARENT_ID of the wrong length with its own error', () => {
    expect(() => validate(assertSpend(ConditionOpcode.ASSERT_MY_PARENT_ID, bytes('c1'.repeat(31))))).toThrow(/ASSERT_MY_PARENT_ID_FAILED/);
  });
});

describe('validateSpendBundle: height locks, counted from the peak as a node does', () => {
  const COIN = coinAt('locked', 10n);
  const lockedBy = (opcode: bigint, value: Program) => [spendOf('locked', COIN, [conditionProgram(opcode, value)])];

  it('ASSERT_HEIGHT_RELATIVE holds once the peak is the confirmed height plus the lock', () => {
    const spends = lockedBy(ConditionOpcode.ASSERT_HEIGHT_RELATIVE, int(5));
    // The block at CONFIRMED + 5 follows the peak CONFIRMED + 4: too early.
    expect(() => validate(spends, { nextHeight: CONFIRMED + 5 })).toThrow(/ASSERT_HEIGHT_RELATIVE_FAILED/);
    expect(() => validate(spends, { nextHeight: CONFIRMED + 6 })).not.toThrow();
    expect(() => validate(spends, { nextHeight: CONFIRMED + 60 })).not.toThrow();
  });

  it('ASSERT_HEIGHT_RELATIVE 0 holds in the block after the one that confirmed the coin; a negative lock always holds', () => {
    expect(() => validate(lockedBy(ConditionOpcode.ASSERT_HEIGHT_RELATIVE, int(0)), { nextHeight: CONFIRMED + 1 })).not.toThrow();
    expect(() => validate(lockedBy(ConditionOpcode.ASSERT_HEIGHT_RELATIVE, int(-3)), { nextHeight: CONFIRMED + 1 })).not.toThrow();
  });

  it('refuses an ASSERT_HEIGHT_RELATIVE wider than a height or written with a padding byte', () => {
    expect(() => validate(lockedBy(ConditionOpcode.ASSERT_HEIGHT_RELATIVE, bytes('0100000000')), { nextHeight: 10_000 })).toThrow(
      /ASSERT_HEIGHT_RELATIVE_FAILED/,
    );
    expect(() => validate(lockedBy(ConditionOpcode.ASSERT_HEIGHT_RELATIVE, bytes('0005')), { nextHeight: 10_000 })).toThrow(/ASSERT_HEIGHT_RELATIVE_FAILED/);
  });

  it('refuses a relative lock on a coin created in the same bundle', () => {
    const parent = coinAt('parent', 10n);
    const child = { parentCoinInfo: coinId(parent), puzzleHash: conditionsPuzzle('child').hashHex(), amount: 10n };
    const spends = [
      spendOf('parent', parent, [createCoinCondition(child.puzzleHash, 10n)]),
      spendOf('child', child, [conditionProgram(ConditionOpcode.ASSERT_HEIGHT_RELATIVE, int(0))]),
    ];
    expect(() => validate(spends, { nextHeight: 10_000, unspent: [parent] })).toThrow(/EPHEMERAL_RELATIVE_CONDITION/);
    // Without the lock the same ephemeral spend is fine.
    spends[1] = spendOf('child', child, []);
    expect(() => validate(spends, { nextHeight: 10_000, unspent: [parent] })).not.toThrow();
  });

  it('ASSERT_HEIGHT_ABSOLUTE holds once the peak has reached the height', () => {
    const spends = lockedBy(ConditionOpcode.ASSERT_HEIGHT_ABSOLUTE, int(150));
    expect(() => validate(spends, { nextHeight: 150 })).toThrow(/ASSERT_HEIGHT_ABSOLUTE_FAILED/);
    expect(() => validate(spends, { nextHeight: 151 })).not.toThrow();
  });
});

describe('validateSpendBundle: puzzles run as the mempool runs them', () => {
  // (c (c (q . 70) (c (coinid 2 5 11) ())) ()): ((ASSERT_MY_COIN_ID coinid(parent, puzzle_hash, amount))) from its solution.
  const SELF_ID_PUZZLE = Program.fromSource('(c (c (q . 70) (c (0x30 2 5 11) ())) ())');
  const coin: Coin = { parentCoinInfo: 'd1'.repeat(32), puzzleHash: SELF_ID_PUZZLE.hashHex(), amount: 77n };
  const spendWith = (puzzle: Program, solution: Program): CoinSpend => ({ coin: { ...coin, puzzleHash: puzzle.hashHex() }, puzzleReveal: puzzle.serializeHex(), solution: solution.serializeHex() });

  it('computes coinid inside a puzzle', () => {
    const solution = (amount: bigint) => clvmList([bytes(coin.parentCoinInfo), bytes(coin.puzzleHash), int(amount)]);
    expect(() => validate([spendWith(SELF_ID_PUZZLE, solution(77n))])).not.toThrow();
    expect(() => validate([spendWith(SELF_ID_PUZZLE, solution(78n))])).toThrow(/ASSERT_MY_COIN_ID_FAILED/);
  });

  it('refuses a puzzle calling an operator the node does not know', () => {
    const unknown = Program.fromSource('(c (0x3e (q . 1)) ())');
    expect(() => validate([spendWith(unknown, Program.nil)])).toThrow(/GENERATOR_RUNTIME_ERROR.*unknown operator/);
  });
});

describe('validateSpendBundle: CREATE_COIN memos', () => {
  const COIN = coinAt('creator', 50n);

  it('keeps the memo list of a CREATE_COIN and ignores a non-list fourth element', () => {
    const withMemos = conditionProgram(ConditionOpcode.CREATE_COIN, bytes('aa'.repeat(32)), int(20), clvmList([bytes('bb'.repeat(32)), bytes('0102')]));
    const withAtom = conditionProgram(ConditionOpcode.CREATE_COIN, bytes('ab'.repeat(32)), int(30), Program.fromText('pool'));
    const { additions, fee } = validate([spendOf('creator', COIN, [withMemos, withAtom])]);
    expect(additions.map((a) => ({ ph: a.coin.puzzleHash, amount: a.coin.amount, memos: a.memos.map((m) => Buffer.from(m).toString('hex')) }))).toEqual([
      { ph: 'aa'.repeat(32), amount: 20n, memos: ['bb'.repeat(32), '0102'] },
      { ph: 'ab'.repeat(32), amount: 30n, memos: [] },
    ]);
    expect(fee).toBe(0n);
  });
});

describe('validateSpendBundle: ASSERT_CONCURRENT_SPEND', () => {
  const ASSERT_CONCURRENT_SPEND = 64n;
  const PAYER = coinAt('payer', 50n, 'd1'.repeat(32));
  const OTHER = coinAt('other', 60n, 'd2'.repeat(32));
  const asserting = (arg: Program) => spendOf('payer', PAYER, [conditionProgram(ASSERT_CONCURRENT_SPEND, arg)]);

  it('holds when the named coin is spent in the same bundle, and fails when it is not', () => {
    expect(() => validate([asserting(bytes(coinId(OTHER))), spendOf('other', OTHER, [])])).not.toThrow();
    expect(() => validate([asserting(bytes(coinId(OTHER)))], { unspent: [PAYER, OTHER] })).toThrow(/ASSERT_CONCURRENT_SPEND_FAILED/);
  });

  it('refuses a coin id that is not 32 bytes with its own error', () => {
    expect(() => validate([asserting(bytes(coinId(OTHER).slice(2))), spendOf('other', OTHER, [])])).toThrow(/ASSERT_CONCURRENT_SPEND_FAILED/);
  });
});
