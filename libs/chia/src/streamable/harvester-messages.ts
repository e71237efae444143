import { bool, bytes32, optional, str, uint32, uint8 } from './field-codecs';
import { type ProofOfSpace, ProofOfSpaceSchema } from './proof-of-space';
import { defineStreamable, field, type StreamableSchema } from './streamable-schema';

/*
 * Harvester -> farmer messages (chia/protocols/harvester_protocol.py). A pool server does not receive these;
 * they are here for the simulated farmers of the devnet and because the upstream vectors exercise the
 * ProofOfSpace wire form inside them.
 */

export interface ProofOfSpaceFeeInfo {
  appliedFeeThreshold: number;
}
export const ProofOfSpaceFeeInfoSchema: StreamableSchema<ProofOfSpaceFeeInfo> = defineStreamable(
  'ProofOfSpaceFeeInfo',
  [field('appliedFeeThreshold', uint32)],
);

export interface NewProofOfSpace {
  challengeHash: Uint8Array;
  spHash: Uint8Array;
  plotIdentifier: string;
  proof: ProofOfSpace;
  signagePointIndex: number;
  includeSourceSignatureData: boolean;
  farmerRewardAddressOverride: Uint8Array | null;
  feeInfo: ProofOfSpaceFeeInfo | null;
}
export const NewProofOfSpaceSchema: StreamableSchema<NewProofOfSpace> = defineStreamable('NewProofOfSpace', [
  field('challengeHash', bytes32),
  field('spHash', bytes32),
  field('plotIdentifier', str),
  field('proof', ProofOfSpaceSchema),
  field('signagePointIndex', uint8),
  field('includeSourceSignatureData', bool),
  field('farmerRewardAddressOverride', optional(bytes32)),
  field('feeInfo', optional(ProofOfSpaceFeeInfoSchema)),
]);
