export { CHIAPOS, MAINNET_POS_CONSTANTS, isPlotSizeAllowedV1, type PosConsensusConstants } from './pos-constants';
export {
  verifyProof,
  computeF1,
  computeFx,
  isMatchingPair,
  type ProofVerification,
  type TableTrace,
} from './proof-verifier';
export {
  plotIdFromPoolContractPuzzleHash,
  plotIdFromPoolPublicKey,
  calculatePlotIdPh,
  calculatePlotIdPk,
  plotIdV2,
} from './plot-id';
export { plotFilterHash, posChallenge, passesPlotFilter, leadingBitsAreZero, plotFilterBitsForHeight } from './plot-filter';
export {
  expectedPlotSize,
  requiredIterations,
  calculateIterationsQuality,
  poolItersLimit,
  passesPoolThreshold,
} from './required-iterations';
export {
  verifyProofV2,
  isV2Active,
  decodeProofVersionPrefix,
  v2ProofByteLength,
  type ProofOfSpaceV2Fields,
  type ProofV2Context,
} from './proof-v2';
export { handleVerifyProofLine, handleItersLine, type VerifyProofLineResult, type ItersLineResult } from './pos-cli-handlers';
export { blake3, blake3SingleBlock } from './blake3-hash';
export { chachaBlock, chachaKeyWords, chachaKeystream } from './chacha8-block';
