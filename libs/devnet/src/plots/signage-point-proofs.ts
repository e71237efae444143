import { passesPlotFilter, posChallenge } from '@pool/chia';
import { type PlotProof, type PlottedPlot } from './plotted-plot';

/** What a harvester answers for one plot at one signage point. */
export interface SignagePointProofs {
  readonly passesFilter: boolean;
  /** sha256(sha256(plot_id || challenge_hash || sp_hash)): the challenge the proofs answer (ProofOfSpace.challenge). */
  readonly posChallenge: Uint8Array;
  /** Empty when the plot does not pass the filter. */
  readonly proofs: PlotProof[];
}

/**
 * The harvester's v1 steps for one plot: the plot filter on sha256(plot_id || challenge_hash || sp_hash) with
 * `filterBits` leading zero bits, then the proofs for the pos challenge derived from the same hash.
 */
export function proofsForSignagePoint(
  plot: PlottedPlot,
  challengeHash: Uint8Array,
  spHash: Uint8Array,
  filterBits: number,
): SignagePointProofs {
  const challenge = posChallenge(plot.plotId, challengeHash, spHash);
  if (!passesPlotFilter(plot.plotId, challengeHash, spHash, filterBits)) {
    return { passesFilter: false, posChallenge: challenge, proofs: [] };
  }
  return { passesFilter: true, posChallenge: challenge, proofs: plot.proofsForChallenge(challenge) };
}
