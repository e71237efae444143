import { Program } from 'clvm-lib';
import { curryProgram, deserializeProgram, intAtom, listProgram } from './embedded-program';

describe('clvm-lib wrappers', () => {
  it('listProgram and curryProgram leave the caller\'s array untouched and are repeatable', () => {
    const items = [intAtom(1), intAtom(2), intAtom(3)];
    const first = listProgram(items);
    const second = listProgram(items);
    expect(items.map((p) => p.toBigInt())).toEqual([1n, 2n, 3n]);
    expect(first.serializeHex()).toBe(second.serializeHex());
    expect(first.toList().map((p) => p.toBigInt())).toEqual([1n, 2n, 3n]);

    const mod = Program.deserializeHex('ff10ff02ff0580'); // (+ 2 5)
    expect(curryProgram(mod, items).serializeHex()).toBe(curryProgram(mod, items).serializeHex());
    expect(curryProgram(mod, items).uncurry()?.[1].map((p) => p.toBigInt())).toEqual([1n, 2n, 3n]);
  });

  it('deserializeProgram names what failed to parse', () => {
    expect(() => deserializeProgram('ff01', 'puzzle reveal')).toThrow(/puzzle reveal is not a serialized CLVM program/);
    expect(() => deserializeProgram('zz', 'solution')).toThrow(/solution: contains a character that is not a hex digit/);
    expect(deserializeProgram('0xff0180', 'x').serializeHex()).toBe('ff0180');
  });
});
