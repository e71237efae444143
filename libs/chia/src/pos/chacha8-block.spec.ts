import { createCipheriv, randomBytes } from 'node:crypto';
import { chachaBlock, chachaKeyWords, chachaKeystream } from './chacha8-block';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('ChaCha block function (DJB layout)', () => {
  it('reproduces the published ChaCha8 known answer for an all-zero key and IV (draft-strombergson TC1)', () => {
    const keystream = chachaKeystream(new Uint8Array(32), new Uint8Array(8), 0n, 2);
    expect(hex(keystream)).toBe(
      '3e00ef2f895f40d67f5bb8e81f09a5a12c840ec3ce9a7f3b181be188ef711a1e' +
        '984ce172b9216f419f445367456d5619314a42a3da86b001387bfdb80e0cfe42' +
        'd2aefa0deaa5c151bf0adb6c01f2a5adc0fd581259f9a2aadcf20f8fd566a26b' +
        '5032ec38bbc5da98ee0c6f568b872a65a08abf251deb21bb4b56e5d8821e68aa',
    );
  });

  it.each([0n, 1n, 7n, 0xfffffffen, 0xffffffffn, 0x100000000n, 0x123456789abcn])(
    'with 20 rounds equals OpenSSL chacha20 at block counter %s (words 12..15 are the 16-byte IV)',
    (counter) => {
      const key = randomBytes(32);
      const nonce = randomBytes(8);
      const iv = Buffer.alloc(16);
      iv.writeBigUInt64LE(counter, 0);
      nonce.copy(iv, 8);
      const expected = createCipheriv('chacha20', key, iv).update(Buffer.alloc(64));
      expect(hex(chachaKeystream(key, nonce, counter, 1, 20))).toBe(expected.toString('hex'));
    },
  );

  it('carries the 64-bit counter from the low word into the high word across blocks', () => {
    const key = randomBytes(32);
    const nonce = new Uint8Array(8);
    const twoBlocks = chachaKeystream(key, nonce, 0xffffffffn, 2);
    expect(hex(twoBlocks.subarray(64))).toBe(hex(chachaKeystream(key, nonce, 0x100000000n, 1)));
    expect(hex(twoBlocks.subarray(64))).not.toBe(hex(chachaKeystream(key, nonce, 0n, 1)));
  });

  it('writes words whose little-endian bytes are the keystream', () => {
    const key = randomBytes(32);
    const words = new Uint32Array(16);
    chachaBlock(chachaKeyWords(key), 5, 0, 0, 0, words);
    const bytes = Buffer.alloc(64);
    words.forEach((w, i) => bytes.writeUInt32LE(w, 4 * i));
    expect(bytes.toString('hex')).toBe(hex(chachaKeystream(key, new Uint8Array(8), 5n, 1)));
  });

  it('rejects keys and nonces of the wrong size', () => {
    expect(() => chachaKeyWords(new Uint8Array(31))).toThrow(RangeError);
    expect(() => chachaKeystream(new Uint8Array(32), new Uint8Array(12), 0n, 1)).toThrow(RangeError);
  });
});
