import { type PlotNftPoolState } from '@pool/domain';
import { v1AdmissionRefusal } from './plot-nft-admission';

const POOL = { targetPuzzleHash: 'aa'.repeat(32), relativeLockHeight: 32 };
const OTHER = 'bb'.repeat(32);
const ID = 'cd'.repeat(32);

const state = (changes: Partial<PlotNftPoolState> = {}): PlotNftPoolState => ({
  version: 1,
  state: 'farming_to_pool',
  targetPuzzleHash: POOL.targetPuzzleHash,
  relativeLockHeight: POOL.relativeLockHeight,
  ...changes,
});

const refusal = (poolState: PlotNftPoolState, poolUrl: string | null, stateHeight: number, peak: number) =>
  v1AdmissionRefusal(ID, { poolState, poolUrl, stateHeight }, peak, POOL);

describe('v1 plot NFT admission (latest state)', () => {
  it('admits a plot NFT farming here from the block that committed it', () => {
    expect(refusal(state(), 'https://this.pool', 100, 100)).toBeNull();
  });

  it('says where a plot NFT that is not farming here is', () => {
    expect(refusal(state({ state: 'self_pooling', targetPuzzleHash: OTHER, relativeLockHeight: 0 }), null, 100, 100)).toBe(`plot NFT ${ID} is self-pooling; join this pool with it first`);
    expect(refusal(state({ targetPuzzleHash: OTHER }), 'https://other.pool', 100, 200)).toBe(
      `plot NFT ${ID} farms to https://other.pool (target puzzle hash ${OTHER}), not to this pool`,
    );
    expect(refusal(state({ relativeLockHeight: 5 }), 'https://this.pool', 100, 200)).toMatch(/relative lock height 5, but this pool's is 32/);
    expect(refusal(state({ version: 2 }), 'https://this.pool', 100, 200)).toMatch(/pool state version 2; this pool follows version 1/);
  });

  it('refuses a plot NFT in its waiting room, naming the pool it leaves and the height it is free at', () => {
    const leavingOther = state({ state: 'leaving_pool', targetPuzzleHash: OTHER, relativeLockHeight: 10 });
    expect(refusal(leavingOther, 'https://other.pool', 100, 105)).toBe(
      `plot NFT ${ID} is still in its waiting room (leaving https://other.pool (target puzzle hash ${OTHER})) until height 110; register once it has joined this pool`,
    );
    // Leaving this pool: a registered farmer would still be a member here (its last partials count); a new one is refused.
    expect(refusal(state({ state: 'leaving_pool' }), 'https://this.pool', 100, 110)).toMatch(/still in its waiting room \(leaving this pool\) until height 132/);
    expect(refusal(state({ state: 'leaving_pool' }), 'https://this.pool', 100, 140)).toBe(`plot NFT ${ID} left this pool (its waiting room ended at height 132) and has not joined this pool since`);
  });
});
