import fc from 'fast-check';
import { HexFormatError, bytesEqual, bytesToHex, concatBytes, hexToBytes } from './hex';

describe('hexToBytes / bytesToHex', () => {
  it('round-trip any bytes, with and without the 0x prefix', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        expect(hexToBytes(bytesToHex(bytes))).toEqual(bytes);
        expect(hexToBytes(bytesToHex(bytes, { prefix: true }))).toEqual(bytes);
        expect(hexToBytes(bytesToHex(bytes).toUpperCase())).toEqual(bytes);
      }),
    );
  });

  it('writes lowercase, 0x only on request', () => {
    expect(bytesToHex(Uint8Array.of(0xab, 0x01))).toBe('ab01');
    expect(bytesToHex(Uint8Array.of(0xab, 0x01), { prefix: true })).toBe('0xab01');
    expect(bytesToHex(new Uint8Array(0), { prefix: true })).toBe('0x');
  });

  it('reads a view into a larger buffer correctly', () => {
    const backing = Uint8Array.of(1, 2, 3, 4);
    expect(bytesToHex(backing.subarray(1, 3))).toBe('0203');
  });

  it('checks the expected length and names the value', () => {
    expect(hexToBytes('0X' + 'ff'.repeat(32), 32)).toHaveLength(32);
    expect(() => hexToBytes('ff'.repeat(31), 32, { label: 'launcher_id' })).toThrow('launcher_id: expected 32 bytes, got 31');
  });

  it.each([
    ['abc', /odd number of hex digits/],
    ['0xzz', /not a hex digit/],
    ['ab cd', /not a hex digit/],
    ['0x0x00', /not a hex digit/],
    ['-1', /not a hex digit/],
  ])('rejects %j', (input, message) => {
    expect(() => hexToBytes(input)).toThrow(HexFormatError);
    expect(() => hexToBytes(input)).toThrow(message);
  });

  it('rejects non-strings', () => {
    expect(() => hexToBytes(42 as unknown as string)).toThrow(/expected a hex string, got number/);
  });
});

describe('bytesEqual / concatBytes', () => {
  it('compare by content and concatenate in order', () => {
    expect(bytesEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 2))).toBe(true);
    expect(bytesEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 3))).toBe(false);
    expect(bytesEqual(Uint8Array.of(1), Uint8Array.of(1, 0))).toBe(false);
    expect(concatBytes(Uint8Array.of(1), new Uint8Array(0), Uint8Array.of(2, 3))).toEqual(Uint8Array.of(1, 2, 3));
  });
});
