import { type Hex, bytesToHex, hexToBytes } from '@pool/chia';

/**
 * An old block of the devnet, reduced to what rebuilds its record (everything else in a devnet block record derives
 * from the header hash, the height and the network constants).
 */
export interface CompactBlock {
  compact: true;
  headerHash: Hex;
  height: number;
  seq: number;
  /** Unix seconds. */
  timestamp: number;
  farmerPuzzleHash: Hex;
  poolPuzzleHash: Hex;
  requiredIters: bigint;
  fees: bigint;
}

const INITIAL_CAPACITY = 1024;

/**
 * The compacted blocks of heights 0..length-1, in typed arrays: about 80 bytes a block instead of the few hundred an
 * object, its strings and a map entry cost, so a devnet that runs for weeks keeps every height reachable. Puzzle
 * hashes repeat (the network farmer, a few pool contracts and farmers), so they are stored once and referenced.
 */
export class CompactBlocks {
  private capacity = INITIAL_CAPACITY;
  private count = 0;
  private hashes = new Uint8Array(32 * INITIAL_CAPACITY);
  /** seq and timestamp per block (integers far below 2^53). */
  private numbers = new Float64Array(2 * INITIAL_CAPACITY);
  /** required_iters and fees per block (uint64 in Chia). */
  private big = new BigUint64Array(2 * INITIAL_CAPACITY);
  /** farmer and pool puzzle hash ids per block. */
  private puzzleHashRefs = new Uint32Array(2 * INITIAL_CAPACITY);
  private readonly puzzleHashes: Hex[] = [];
  private readonly puzzleHashIds = new Map<Hex, number>();

  get length(): number {
    return this.count;
  }

  /** Appends the block of height `length`. */
  push(block: Omit<CompactBlock, 'compact' | 'height'>): void {
    if (this.count === this.capacity) this.grow();
    const i = this.count;
    this.hashes.set(hexToBytes(block.headerHash), 32 * i);
    this.numbers[2 * i] = block.seq;
    this.numbers[2 * i + 1] = block.timestamp;
    this.big[2 * i] = block.requiredIters;
    this.big[2 * i + 1] = block.fees;
    this.puzzleHashRefs[2 * i] = this.puzzleHashId(block.farmerPuzzleHash);
    this.puzzleHashRefs[2 * i + 1] = this.puzzleHashId(block.poolPuzzleHash);
    this.count++;
  }

  get(height: number): CompactBlock | undefined {
    if (!Number.isInteger(height) || height < 0 || height >= this.count) return undefined;
    return {
      compact: true,
      headerHash: this.headerHash(height),
      height,
      seq: this.numbers[2 * height],
      timestamp: this.numbers[2 * height + 1],
      farmerPuzzleHash: this.puzzleHashes[this.puzzleHashRefs[2 * height]],
      poolPuzzleHash: this.puzzleHashes[this.puzzleHashRefs[2 * height + 1]],
      requiredIters: this.big[2 * height],
      fees: this.big[2 * height + 1],
    };
  }

  headerHash(height: number): Hex {
    return bytesToHex(this.hashes.subarray(32 * height, 32 * height + 32));
  }

  /**
   * The height of a compacted block by header hash. A scan (newest first), kept out of any index on purpose: an index
   * would cost more than the block itself, and nothing the pool runs looks an old block up by hash.
   */
  heightOf(headerHash: Hex): number | undefined {
    if (!/^[0-9a-f]{64}$/.test(headerHash)) return undefined;
    const target = hexToBytes(headerHash);
    const hashes = this.hashes;
    for (let height = this.count - 1; height >= 0; height--) {
      const at = 32 * height;
      if (hashes[at] !== target[0] || hashes[at + 1] !== target[1] || hashes[at + 2] !== target[2]) continue;
      let same = true;
      for (let k = 3; k < 32 && same; k++) same = hashes[at + k] === target[k];
      if (same) return height;
    }
    return undefined;
  }

  private puzzleHashId(puzzleHash: Hex): number {
    let id = this.puzzleHashIds.get(puzzleHash);
    if (id === undefined) {
      id = this.puzzleHashes.length;
      this.puzzleHashes.push(puzzleHash);
      this.puzzleHashIds.set(puzzleHash, id);
    }
    return id;
  }

  private grow(): void {
    this.capacity *= 2;
    const hashes = new Uint8Array(32 * this.capacity);
    hashes.set(this.hashes);
    this.hashes = hashes;
    const numbers = new Float64Array(2 * this.capacity);
    numbers.set(this.numbers);
    this.numbers = numbers;
    const big = new BigUint64Array(2 * this.capacity);
    big.set(this.big);
    this.big = big;
    const refs = new Uint32Array(2 * this.capacity);
    refs.set(this.puzzleHashRefs);
    this.puzzleHashRefs = refs;
  }
}
