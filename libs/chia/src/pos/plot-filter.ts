import { MAINNET_POS_CONSTANTS, type PosConsensusConstants } from './pos-constants';
import { requireLength, sha256 } from './pos-hashing';

/** sha256(plot_id || challenge_hash || sp_hash): the value whose leading bits the v1 plot filter inspects. */
export function plotFilterHash(plotId: Uint8Array, challengeHash: Uint8Array, signagePoint: Uint8Array): Uint8Array {
  requireLength('plot id', plotId, 32);
  requireLength('challenge hash', challengeHash, 32);
  requireLength('signage point hash', signagePoint, 32);
  return sha256(plotId, challengeHash, signagePoint);
}

/** The pos challenge a v1 proof must carry: sha256(plotFilterHash(...)). */
export function posChallenge(plotId: Uint8Array, challengeHash: Uint8Array, spHash: Uint8Array): Uint8Array {
  return sha256(plotFilterHash(plotId, challengeHash, spHash));
}

/** True when the first `prefixBits` bits (MSB of byte 0 first) of the filter hash are all zero. */
export function passesPlotFilter(
  plotId: Uint8Array,
  challengeHash: Uint8Array,
  signagePoint: Uint8Array,
  prefixBits: number,
): boolean {
  return leadingBitsAreZero(plotFilterHash(plotId, challengeHash, signagePoint), prefixBits);
}

export function leadingBitsAreZero(bytes: Uint8Array, bits: number): boolean {
  if (!Number.isInteger(bits) || bits < 0 || bits > bytes.length * 8) throw new RangeError(`invalid prefix bit count ${bits}`);
  const fullBytes = bits >>> 3;
  for (let i = 0; i < fullBytes; i++) if (bytes[i] !== 0) return false;
  const rest = bits & 7;
  return rest === 0 || bytes[fullBytes] >>> (8 - rest) === 0;
}

/** v1 plot filter size at a height: 9 bits, one fewer at each scheduled reduction, never below 0. */
export function plotFilterBitsForHeight(
  height: number,
  constants: PosConsensusConstants = MAINNET_POS_CONSTANTS,
): number {
  let bits = constants.numberZeroBitsPlotFilterV1;
  if (height >= constants.plotFilter32Height) bits -= 4;
  else if (height >= constants.plotFilter64Height) bits -= 3;
  else if (height >= constants.plotFilter128Height) bits -= 2;
  else if (height >= constants.hardForkHeight) bits -= 1;
  return Math.max(0, bits);
}
