import fc from 'fast-check';
import { Program } from 'clvm-lib';
import { clvmIntBytes, toHex } from './bytes-hex';
import {
  atomTreeHash,
  curryTreeHash,
  intTreeHash,
  pairTreeHash,
  programTreeHash,
  singletonStructTreeHash,
} from './curry-tree-hash';

const bytes = (min: number, max: number) => fc.uint8Array({ minLength: min, maxLength: max });

describe('sha256-only tree hashing', () => {
  it('atom and pair hashes equal clvm-lib', () => {
    fc.assert(
      fc.property(bytes(0, 80), bytes(0, 80), (a, b) => {
        expect(toHex(atomTreeHash(a))).toBe(Program.fromBytes(a).hashHex());
        const pair = Program.cons(Program.fromBytes(a), Program.fromBytes(b));
        expect(toHex(pairTreeHash(atomTreeHash(a), atomTreeHash(b)))).toBe(pair.hashHex());
      }),
    );
  });

  it('integer atoms equal clvm-lib fromBigInt (minimal two\'s complement)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(1n << 80n), max: 1n << 80n }), (n) => {
        expect(toHex(clvmIntBytes(n))).toBe(Program.fromBigInt(n).toHex());
        expect(toHex(intTreeHash(n))).toBe(Program.fromBigInt(n).hashHex());
      }),
    );
    for (const edge of [0n, 127n, 128n, 255n, 256n, -1n, -128n, -129n, (1n << 64n) - 1n]) {
      expect(toHex(clvmIntBytes(edge))).toBe(Program.fromBigInt(edge).toHex());
    }
  });

  it('curryTreeHash equals hashing clvm-lib curry of the same module and arguments', () => {
    const mod = Program.deserializeHex('ff02ffff01ff0bff05ff0b80ff0180'); // any program works as a module
    const modHash = mod.hash();
    const arg = fc.oneof(
      bytes(0, 48).map((b) => Program.fromBytes(b)),
      fc.bigInt({ min: -(1n << 40n), max: 1n << 64n }).map((n) => Program.fromBigInt(n)),
      fc.tuple(bytes(0, 32), bytes(0, 32)).map(([a, b]) => Program.cons(Program.fromBytes(a), Program.fromBytes(b))),
    );
    fc.assert(
      fc.property(fc.array(arg, { maxLength: 6 }), (args) => {
        // A copy: clvm-lib's curry reverses the array it is given (see embedded-program.ts).
        const expected = mod.curry([...args]).hashHex();
        expect(toHex(curryTreeHash(modHash, args.map((a) => a.hash())))).toBe(expected);
      }),
    );
  });

  it('singletonStructTreeHash equals the hash of (mod . (launcher . launcher_ph))', () => {
    fc.assert(
      fc.property(bytes(32, 32), bytes(32, 32), bytes(32, 32), (mod, launcher, launcherPh) => {
        const struct = Program.cons(
          Program.fromBytes(mod),
          Program.cons(Program.fromBytes(launcher), Program.fromBytes(launcherPh)),
        );
        expect(toHex(singletonStructTreeHash(mod, launcher, launcherPh))).toBe(struct.hashHex());
      }),
    );
  });
});

describe('programTreeHash', () => {
  it('equals clvm-lib hash for random trees', () => {
    const tree: fc.Arbitrary<Program> = fc.letrec<{ node: Program }>((tie) => ({
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        bytes(0, 40).map((b) => Program.fromBytes(b)),
        fc.tuple(tie('node'), tie('node')).map(([a, b]) => Program.cons(a, b)),
      ),
    })).node;
    fc.assert(
      fc.property(tree, (program) => {
        expect(toHex(programTreeHash(program))).toBe(program.hashHex());
      }),
    );
  });

  it('handles a list too long for recursion', () => {
    let list = Program.nil;
    for (let i = 0; i < 200_000; i++) list = Program.cons(Program.fromBytes(Uint8Array.of(i & 0xff)), list);
    expect(programTreeHash(list)).toHaveLength(32);
  });
});
