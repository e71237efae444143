import { MAINNET_POS_CONSTANTS, type PosConsensusConstants } from './pos-constants';
import { type ProofVerification } from './proof-verifier';

/**
 * v2 proofs of space (CHIP-48, Chia 3.0) are recognised here but not verified yet: the mainnet fork height is still a
 * placeholder, and verifying them needs a port of pos2-chip's validator.
 */

/** The v2-only fields of a ProofOfSpace, as the streamable layer decodes them. */
export interface ProofOfSpaceV2Fields {
  /** 1 for v2 (0 is v1). */
  readonly version: number;
  readonly plotIndex: number;
  readonly metaGroup: number;
  readonly strength: number;
  readonly proof: Uint8Array;
}

export interface ProofV2Context {
  /** Height of the previous transaction block, the height consensus compares with HARD_FORK2_HEIGHT. */
  readonly prevTransactionBlockHeight: number;
  readonly constants?: PosConsensusConstants;
}

/**
 * chia_rs reads the prefix byte of ProofOfSpace's pool_contract_puzzle_hash Option as `version << 1 | present`.
 * Returns undefined for bytes that are neither v1 (0x00, 0x01) nor v2 (0x02, 0x03).
 */
export function decodeProofVersionPrefix(prefix: number): { version: 0 | 1; present: boolean } | undefined {
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > 3) return undefined;
  return { version: prefix >>> 1 === 1 ? 1 : 0, present: (prefix & 1) === 1 };
}

export function isV2Active(prevTransactionBlockHeight: number, constants: PosConsensusConstants = MAINNET_POS_CONSTANTS): boolean {
  return Number.isFinite(prevTransactionBlockHeight) && prevTransactionBlockHeight >= constants.hardFork2Height;
}

/** Size of a v2 proof in bytes: 128 x values of PLOT_SIZE_V2 bits. */
export function v2ProofByteLength(constants: PosConsensusConstants = MAINNET_POS_CONSTANTS): number {
  return (128 * constants.plotSizeV2) / 8;
}

/** Never valid for now; the reason says whether v2 is inactive, malformed, or simply not implemented. */
export function verifyProofV2(fields: ProofOfSpaceV2Fields, context: ProofV2Context): ProofVerification {
  const constants = context.constants ?? MAINNET_POS_CONSTANTS;
  if (!isV2Active(context.prevTransactionBlockHeight, constants)) return { valid: false, reason: 'v2 proofs not active' };
  if (fields.version !== 1) return { valid: false, reason: `not a v2 proof (version ${fields.version})` };
  if (
    !Number.isInteger(fields.strength) ||
    fields.strength < constants.minPlotStrength ||
    fields.strength > constants.maxPlotStrength
  ) {
    return {
      valid: false,
      reason: `plot strength ${fields.strength} outside ${constants.minPlotStrength}..${constants.maxPlotStrength}`,
    };
  }
  const expectedBytes = v2ProofByteLength(constants);
  if (!(fields.proof instanceof Uint8Array) || fields.proof.length !== expectedBytes) {
    return { valid: false, reason: `v2 proof must be ${expectedBytes} bytes` };
  }
  return { valid: false, reason: 'v2 proof verification not implemented' };
}
