import { createHash } from 'node:crypto';
import { Program } from 'clvm-lib';
import { runProgram } from './clvm-run';

// coinid cases from clvm_rs op-tests/test-bls-ops.txt and run_program.rs (upstream facts, not this code's output).
const PARENT = '1234500000000000000000000000000000000000000000000000000000000000';
const PUZZLE_HASH = '6789abcdef000000000000000000000000000000000000000000000000000000';
const ZERO32 = '00'.repeat(32);

function coinIdProgram(parent: string, puzzleHash: string, amountHex: string): Program {
  return Program.fromSource(`(0x30 (q . 0x${parent}) (q . 0x${puzzleHash}) (q . ${amountHex}))`);
}

function run(source: Program | string, env: Program = Program.nil) {
  const program = typeof source === 'string' ? Program.fromSource(source) : source;
  return runProgram(program, env);
}

describe('runProgram: clvm-lib with coinid, unknown operators refused as in mempool mode', () => {
  it.each([
    [ZERO32, ZERO32, '()', 'f5a5fd42d16a20302798ef6ed309979b43003d2320d9f0e8ea9831a92759fb4b'],
    [ZERO32, ZERO32, '0x075bcd15', '2f6c01d9205e70f55b940367dcdc1b518f077ee7308788ec4467447708a76e79'],
    [PARENT, PUZZLE_HASH, '0x075bcd15', '69bfe81b052bfc6bd7f3fb9167fec61793175b897c16a35827f947d5cc98e4bc'],
    [PARENT, PUZZLE_HASH, '0x00ffffffffffffffff', '609d2d5e3081fbc1106950950f3ea3dbb4eaec96a57a544ba83b8a762b457168'],
  ])('coinid(%s, %s, %s) is the upstream coin id', (parent, puzzleHash, amount, expected) => {
    expect(run(coinIdProgram(parent, puzzleHash, amount)).value.toHex()).toBe(expected);
  });

  it('computes the same id as hashing the three parts directly', () => {
    const expected = createHash('sha256')
      .update(Buffer.from(PARENT + PUZZLE_HASH + '075bcd15', 'hex'))
      .digest('hex');
    expect(run(coinIdProgram(PARENT, PUZZLE_HASH, '0x075bcd15')).value.toHex()).toBe(expected);
  });

  it('charges what clvm_rs charges for a coinid call with three quoted arguments (861)', () => {
    expect(run(coinIdProgram(PARENT, PUZZLE_HASH, '0x075bcd15')).cost).toBe(861n);
  });

  it.each([
    ['a 33-byte parent', `${PARENT}00`, PUZZLE_HASH, '0x075bcd15'],
    ['a 31-byte parent', PARENT.slice(2), PUZZLE_HASH, '0x075bcd15'],
    ['a 33-byte puzzle hash', PARENT, `${PUZZLE_HASH}00`, '0x075bcd15'],
    ['a 31-byte puzzle hash', PARENT, PUZZLE_HASH.slice(2), '0x075bcd15'],
    ['an amount above a uint64', PARENT, PUZZLE_HASH, '0x010000000000000000'],
    ['a negative amount', PARENT, PUZZLE_HASH, '-1'],
    ['an amount with a redundant leading zero', PARENT, PUZZLE_HASH, '0x00001234'],
    ['a zero amount written as 0x00', PARENT, PUZZLE_HASH, '0x00'],
  ])('refuses coinid with %s', (_label, parent, puzzleHash, amount) => {
    expect(() => run(coinIdProgram(parent, puzzleHash, amount))).toThrow(/coinid/);
  });

  it('refuses coinid with a pair argument or the wrong number of arguments', () => {
    expect(() => run(`(0x30 (q . (1 2)) (q . 0x${PUZZLE_HASH}) (q . 1))`)).toThrow(/coinid/);
    expect(() => run(`(0x30 (q . 0x${PARENT}) (q . 0x${PUZZLE_HASH}))`)).toThrow(/3 arguments/);
    expect(() => run(`(0x30 (q . 0x${PARENT}) (q . 0x${PUZZLE_HASH}) (q . 1) (q . 1))`)).toThrow(/3 arguments/);
  });

  it("gives the same values and costs as clvm-lib's own run for the operators clvm-lib implements", () => {
    const sources = [
      '(sha256 (q . "a") (q . "bc"))',
      '(+ 2 5 (q . 7))',
      '(i (= 2 (q . 3)) (q . "yes") (q . "no"))',
      '(c (f 1) (r 1))',
      '(concat (substr (q . "hello") (q . 1) (q . 3)) (strlen (q . "xyz")))',
      '(a (q . (* 2 5)) 1)',
      '(divmod (q . 17) (q . 5))',
      '(logand (q . 12) (lognot (q . 10)))',
      '(all (l 1) (not ()) (any () (q . 1)))',
      '(ash (q . 3) (q . 4))',
    ];
    const env = Program.fromSource('(3 4 5)');
    for (const source of sources) {
      const program = Program.fromSource(source);
      const expected = program.run(env);
      const actual = runProgram(program, env);
      expect({ source, value: actual.value.toString(), cost: actual.cost }).toEqual({ source, value: expected.value.toString(), cost: expected.cost });
    }
  });

  it('refuses operators the node does not know, where clvm-lib alone lets them pass as no-ops', () => {
    // 0x0f and 0x1c have never been operators; 0x23 is a name in clvm-lib's table with no operator behind it.
    for (const opcode of ['0x0f', '0x1c', '0x23', '0x00']) {
      const program = Program.fromSource(`(${opcode} (q . 1))`);
      expect(program.run(Program.nil).value.isNull).toBe(true);
      expect(() => runProgram(program, Program.nil)).toThrow(/unknown operator/);
    }
  });

  it('refuses 0x3e (keccak256, unknown to clvm-lib), which clvm-lib alone reads as the text ">" and compares', () => {
    const program = Program.fromSource('(0x3e (q . 2) (q . 1))');
    expect(program.run(Program.nil).value.toBigInt()).toBe(1n);
    expect(() => runProgram(program, Program.nil)).toThrow(/unknown operator 0x3e/);
  });

  it('refuses an operator spelled with a padding byte (clvm-lib alone runs 0x000b as sha256)', () => {
    const padded = Program.fromSource('(0x000b (q . "abc"))');
    expect(padded.run(Program.nil).value.toHex()).toBe(createHash('sha256').update('abc').digest('hex'));
    expect(() => runProgram(padded, Program.nil)).toThrow(/unknown operator 0x000b/);
  });

  it('refuses an operator named by its text, which clvm-lib alone would dispatch', () => {
    const named = Program.cons(Program.fromText('sha256'), Program.fromSource('((q . "abc"))'));
    expect(() => runProgram(named, Program.nil)).toThrow(/unknown operator/);
  });

  it('stops at maxCost', () => {
    const program = coinIdProgram(PARENT, PUZZLE_HASH, '0x075bcd15');
    expect(() => runProgram(program, Program.nil, { maxCost: 860n })).toThrow(/cost/i);
    expect(runProgram(program, Program.nil, { maxCost: 861n }).cost).toBe(861n);
  });

  it('runs coinid nested inside a program, as the Plot NFT claim puzzle does', () => {
    // (coinid 2 5 11), opcode 0x30, over the environment (parent puzzle_hash amount).
    const env = Program.fromSource(`(0x${PARENT} 0x${PUZZLE_HASH} 123456789)`);
    const program = Program.fromSource('(sha256 (0x30 2 5 11))');
    const inner = '69bfe81b052bfc6bd7f3fb9167fec61793175b897c16a35827f947d5cc98e4bc';
    expect(runProgram(program, env).value.toHex()).toBe(createHash('sha256').update(Buffer.from(inner, 'hex')).digest('hex'));
  });
});
