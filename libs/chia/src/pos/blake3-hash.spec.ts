import { randomBytes } from 'node:crypto';
import { blake3, blake3SingleBlock } from './blake3-hash';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** BLAKE3-team/BLAKE3 test_vectors.json: input byte i is i % 251; first 32 bytes of the "hash" output. */
const OFFICIAL: Array<[number, string]> = [
  [0, 'af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262'],
  [1, '2d3adedff11b61f14c886e35afa036736dcd87a74d27b5c1510225d0f592e213'],
  [1023, '10108970eeda3eb932baac1428c7a2163b0e924c9a9e25b35bba72b28f70bd11'],
  [1024, '42214739f095a406f3fc83deb889744ac00df831c10daa55189b5d121c855af7'],
  [1025, 'd00278ae47eb27b34faecf67b4fe263f82d5412916c1ffd97c8cb7fb814b8444'],
  [2048, 'e776b6028c7cd22a4d0ba182a8bf62205d2ef576467e838ed6f2529b85fba24a'],
  [2049, '5f4d72f40d7a5f82b15ca2b2e44b1de3c2ef86c426c95c1af0b6879522563030'],
  [3072, 'b98cb0ff3623be03326b373de6b9095218513e64f1ee2edd2525c7ad1e5cffd2'],
  [4097, '9b4052b38f1c5fc8b1f9ff7ac7b27cd242487b3d890d15c96a1c25b8aa0fb995'],
  [5121, '628bd2cb2004694adaab7bbd778a25df25c47b9d4155a55f8fbd79f2fe154cff'],
];

function patternInput(length: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => i % 251);
}

describe('BLAKE3', () => {
  it.each(OFFICIAL)('matches the official test vector for %d input bytes', (length, expected) => {
    expect(hex(blake3(patternInput(length)))).toBe(expected);
  });

  it('hashes "abc" to the published value', () => {
    expect(hex(blake3(Buffer.from('abc')))).toBe('6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d85');
  });

  it('single-block entry point agrees with the general hash for every length 0..64', () => {
    for (let length = 0; length <= 64; length++) {
      const input = randomBytes(length);
      const words = new Uint32Array(16);
      for (let i = 0; i < length; i++) words[i >>> 2] |= input[i] << (8 * (i & 3));
      const out = new Uint32Array(8);
      blake3SingleBlock(words, length, out);
      const bytes = Buffer.alloc(32);
      out.forEach((w, i) => bytes.writeUInt32LE(w, 4 * i));
      expect(bytes.toString('hex')).toBe(hex(blake3(input)));
    }
  });
});
