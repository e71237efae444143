import {
  bigEndianToBigInt,
  bigIntToBytes32,
  bigIntToLittleEndian32,
  bytesEqual,
  bytesToHex,
  hexToBytes,
  uint32BigEndian,
} from './bls-bytes';

describe('bls-bytes', () => {
  it('hexToBytes accepts an optional 0x prefix and either case', () => {
    expect(Array.from(hexToBytes('0x00Ff10'))).toEqual([0x00, 0xff, 0x10]);
    expect(Array.from(hexToBytes('0X0a'))).toEqual([0x0a]);
    expect(hexToBytes('')).toHaveLength(0);
    expect(hexToBytes('0x')).toHaveLength(0);
  });

  it.each(['abc', '0xg0', 'zz', ' 00', '00 ', '0x0x00'])('hexToBytes rejects %j', (text) => {
    expect(() => hexToBytes(text)).toThrow(/hex digit/);
  });

  it('bytesToHex respects the view of a subarray', () => {
    const whole = Uint8Array.of(1, 2, 3, 4);
    expect(bytesToHex(whole.subarray(1, 3))).toBe('0203');
  });

  it('integers: big-endian parse, 32-byte big- and little-endian forms, uint32', () => {
    expect(bigEndianToBigInt(Uint8Array.of(1, 0))).toBe(256n);
    expect(bigEndianToBigInt(new Uint8Array(0))).toBe(0n);
    expect(bytesToHex(bigIntToBytes32(0x0102n))).toBe(`${'00'.repeat(30)}0102`);
    expect(bytesToHex(bigIntToLittleEndian32(0x0102n))).toBe(`0201${'00'.repeat(30)}`);
    expect(bytesToHex(uint32BigEndian(0xfffffffe))).toBe('fffffffe');
    expect(bytesToHex(uint32BigEndian(12381))).toBe('0000305d');
  });

  it('bytesEqual compares length and content', () => {
    expect(bytesEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 2))).toBe(true);
    expect(bytesEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 3))).toBe(false);
    expect(bytesEqual(Uint8Array.of(1), Uint8Array.of(1, 0))).toBe(false);
  });
});
