import { isPoolMember, type MembershipPolicy, type PlotNftPoolState } from '@pool/domain';

/** A v1 plot NFT's latest pool state (launcher or newest travel spend), whether or not the chain has buried it yet. */
export interface LatestPlotNftState {
  poolState: PlotNftPoolState;
  /** The pool URL the state names (null when self-pooling): the farmer knows its pools by URL, not by puzzle hash. */
  poolUrl: string | null;
  /** Height of the spend that committed the state. */
  stateHeight: number;
}

/**
 * Why a v1 plot NFT may not register with this pool now, in words the farmer can act on; null when it may.
 *
 * Judged on the LATEST state, as pool-reference does (pool/pool.py get_and_validate_singleton_state judges
 * `singleton_tip_state`, not the buried one): a farmer who has just joined is welcome at once instead of being told
 * for confirmation_security_threshold blocks that it is not farming here. A reorg that takes the join back is the
 * membership tracker's business (it records FarmerLeftPool), and payouts count only what the ledger holds at
 * settlement, so trusting the unburied state moves no money.
 *
 * Admission is the membership rule (isPoolMember) with one more condition: the plot NFT farms to this pool now. A
 * plot NFT in its waiting room is refused even though a registered farmer leaving the pool stays a member until its
 * lock height passes (so its last partials count): whichever pool it is leaving, it is on its way out of it.
 */
export function v1AdmissionRefusal(launcherId: string, latest: LatestPlotNftState, peak: number, pool: MembershipPolicy): string | null {
  const { poolState, poolUrl, stateHeight } = latest;
  if (poolState.state === 'farming_to_pool' && isPoolMember(poolState, stateHeight, peak, pool)) return null;
  const nft = `plot NFT ${launcherId}`;
  const farmsHere = poolState.targetPuzzleHash === pool.targetPuzzleHash;
  const pooledWith = farmsHere ? 'this pool' : otherPool(poolUrl, poolState.targetPuzzleHash);
  switch (poolState.state) {
    case 'self_pooling':
      return `${nft} is self-pooling; join this pool with it first`;
    case 'leaving_pool': {
      // The waiting room's coin is locked for relative_lock_height blocks from the height it was created at.
      const freeAt = stateHeight + poolState.relativeLockHeight;
      return peak < freeAt
        ? `${nft} is still in its waiting room (leaving ${pooledWith}) until height ${freeAt}; register once it has joined this pool`
        : `${nft} left ${pooledWith} (its waiting room ended at height ${freeAt}) and has not joined this pool since`;
    }
    case 'farming_to_pool':
      if (!farmsHere) return `${nft} farms to ${pooledWith}, not to this pool`;
      if (poolState.relativeLockHeight !== pool.relativeLockHeight) {
        return `${nft} farms to this pool's puzzle hash with relative lock height ${poolState.relativeLockHeight}, but this pool's is ${pool.relativeLockHeight}; join it again from its pool_info`;
      }
      return `${nft} has pool state version ${poolState.version}; this pool follows version 1`;
  }
}

function otherPool(poolUrl: string | null, targetPuzzleHash: string): string {
  return poolUrl ? `${poolUrl} (target puzzle hash ${targetPuzzleHash})` : `target puzzle hash ${targetPuzzleHash}`;
}
