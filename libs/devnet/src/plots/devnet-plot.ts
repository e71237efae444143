import { plotIdFromPoolContractPuzzleHash } from '@pool/chia';

/**
 * A devnet plot's identity: a pool-contract (plot NFT) plot. The farmer derives the plot public key; the plotter
 * only needs the plot id that follows from it.
 */
export interface DevnetPlot {
  readonly k: number;
  /** sha256(pool_contract_puzzle_hash || plot_public_key). */
  readonly plotId: Uint8Array;
  readonly poolContractPuzzleHash: Uint8Array;
  /** 48-byte G1 encoding. */
  readonly plotPublicKey: Uint8Array;
}

export function devnetPlot(k: number, poolContractPuzzleHash: Uint8Array, plotPublicKey: Uint8Array): DevnetPlot {
  return {
    k,
    plotId: plotIdFromPoolContractPuzzleHash(poolContractPuzzleHash, plotPublicKey),
    poolContractPuzzleHash: Uint8Array.from(poolContractPuzzleHash),
    plotPublicKey: Uint8Array.from(plotPublicKey),
  };
}
