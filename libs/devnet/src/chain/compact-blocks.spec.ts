import { createHash } from 'node:crypto';
import { CompactBlocks } from './compact-blocks';

const hash = (label: string): string => createHash('sha256').update(label).digest('hex');

function block(height: number) {
  return {
    headerHash: hash(`block ${height}`),
    seq: 2 * height + 1,
    timestamp: 1_767_225_600 + height,
    farmerPuzzleHash: hash(`farmer ${height % 3}`),
    poolPuzzleHash: height % 5 === 0 ? hash('pool contract') : hash(`farmer ${height % 3}`),
    requiredIters: 587_500_000n - BigInt(height),
    fees: height % 7 === 0 ? 18_446_744_073_709_551_615n : BigInt(height),
  };
}

describe('CompactBlocks', () => {
  it('gives back every block as pushed, across the growth of its arrays', () => {
    const blocks = new CompactBlocks();
    const count = 3000;
    for (let height = 0; height < count; height++) blocks.push(block(height));
    expect(blocks.length).toBe(count);
    for (const height of [0, 1, 1023, 1024, 2047, 2048, count - 1]) {
      expect(blocks.get(height)).toEqual({ compact: true, height, ...block(height) });
    }
    expect(blocks.get(count)).toBeUndefined();
    expect(blocks.get(-1)).toBeUndefined();
  });

  it('finds a height by header hash, and nothing for an unknown or malformed hash', () => {
    const blocks = new CompactBlocks();
    for (let height = 0; height < 1500; height++) blocks.push(block(height));
    expect(blocks.heightOf(hash('block 0'))).toBe(0);
    expect(blocks.heightOf(hash('block 1234'))).toBe(1234);
    expect(blocks.heightOf(hash('block 1500'))).toBeUndefined();
    expect(blocks.heightOf('not a hash')).toBeUndefined();
  });
});
