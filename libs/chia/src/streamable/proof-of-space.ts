import { type ByteReader, type ByteWriter } from './byte-stream';
import { bytes, bytes32, describeJson, type FieldCodec, g1Element, optional, uint16, uint8 } from './field-codecs';
import { type JsonObject } from '../util/json-bigint';
import { StreamableError, joinPath } from './streamable-error';
import { field, schemaFromCodec, type StreamableSchema } from './streamable-schema';

/**
 * A proof of space as it travels in partials and blocks (chia_rs `ProofOfSpace`).
 *
 * `version` 0 is a v1 (chiapos) plot and carries `size` (k); version 1 is a v2 plot (Chia 3.0 hard fork, not
 * active on mainnet yet) and carries `plotIndex`, `metaGroup` and `strength` instead. The fields a version
 * does not carry are always 0 here, which is what the bytes can express.
 */
export interface ProofOfSpace {
  challenge: Uint8Array;
  poolPublicKey: Uint8Array | null;
  poolContractPuzzleHash: Uint8Array | null;
  plotPublicKey: Uint8Array;
  version: number;
  plotIndex: number;
  metaGroup: number;
  strength: number;
  size: number;
  proof: Uint8Array;
}

export const PROOF_OF_SPACE_V1 = 0;
export const PROOF_OF_SPACE_V2 = 1;

/**
 * Which keys the JSON form has. `legacy-6-keys`: chia-blockchain ≤ 2.6 (`size` only; cannot express v2).
 * `full-10-keys`: chia_rs ≥ 0.38 / chia-blockchain ≥ 2.7 (adds version, plot_index, meta_group, strength).
 * Both forms are accepted on input.
 */
export type ProofOfSpaceJsonForm = 'legacy-6-keys' | 'full-10-keys';

const fieldSpecs = [
  field('challenge', bytes32),
  field('poolPublicKey', optional(g1Element)),
  field('poolContractPuzzleHash', optional(bytes32)),
  field('plotPublicKey', g1Element),
  field('version', uint8, { defaultValue: () => 0 }),
  field('plotIndex', uint16, { defaultValue: () => 0 }),
  field('metaGroup', uint8, { defaultValue: () => 0 }),
  field('strength', uint8, { defaultValue: () => 0 }),
  field('size', uint8),
  field('proof', bytes),
] as const;

const optionalContract = optional(bytes32);
const optionalPoolKey = optional(g1Element);

function checkVersion(version: number, path: string): void {
  if (version !== PROOF_OF_SPACE_V1 && version !== PROOF_OF_SPACE_V2) {
    throw new StreamableError(joinPath(path, 'version'), `unknown proof-of-space version ${version} (expected 0 or 1)`);
  }
}

const V2_POOL_IDENTITY_RULE = 'a v2 proof of space must have exactly one of pool_public_key and pool_contract_puzzle_hash';

/** chia_rs refuses to parse or build a v2 proof unless exactly one of the two pool identities is present. */
function checkV2PoolIdentity(pos: ProofOfSpace, path: string): void {
  if (pos.version === PROOF_OF_SPACE_V2 && (pos.poolPublicKey === null) === (pos.poolContractPuzzleHash === null)) {
    throw new StreamableError(path, V2_POOL_IDENTITY_RULE);
  }
}

function write(writer: ByteWriter, pos: ProofOfSpace, path: string): void {
  if (pos === null || typeof pos !== 'object') throw new StreamableError(path, 'expected a ProofOfSpace object');
  checkVersion(pos.version, path);
  checkV2PoolIdentity(pos, path);
  bytes32.write(writer, pos.challenge, joinPath(path, 'challenge'));
  optionalPoolKey.write(writer, pos.poolPublicKey, joinPath(path, 'pool_public_key'));
  // The Optional flag byte of the contract hash doubles as the version marker: bit 0 = present, bit 1 = v2.
  const hasContract = pos.poolContractPuzzleHash !== null;
  writer.writeByte((pos.version << 1) | (hasContract ? 1 : 0));
  if (pos.poolContractPuzzleHash !== null) {
    bytes32.write(writer, pos.poolContractPuzzleHash, joinPath(path, 'pool_contract_puzzle_hash'));
  }
  g1Element.write(writer, pos.plotPublicKey, joinPath(path, 'plot_public_key'));
  if (pos.version === PROOF_OF_SPACE_V1) {
    uint8.write(writer, pos.size, joinPath(path, 'size'));
  } else {
    uint16.write(writer, pos.plotIndex, joinPath(path, 'plot_index'));
    uint8.write(writer, pos.metaGroup, joinPath(path, 'meta_group'));
    uint8.write(writer, pos.strength, joinPath(path, 'strength'));
  }
  bytes.write(writer, pos.proof, joinPath(path, 'proof'));
}

function read(reader: ByteReader, path: string): ProofOfSpace {
  const challenge = bytes32.read(reader, joinPath(path, 'challenge'));
  const poolPublicKey = optionalPoolKey.read(reader, joinPath(path, 'pool_public_key'));
  const contractPath = joinPath(path, 'pool_contract_puzzle_hash');
  const marker = reader.readByte(contractPath);
  if (marker > 3) {
    throw new StreamableError(
      contractPath,
      `invalid Optional/version byte 0x${marker.toString(16).padStart(2, '0')} (expected 0x00-0x03)`,
    );
  }
  const version = marker >> 1;
  const poolContractPuzzleHash = (marker & 1) === 1 ? bytes32.read(reader, contractPath) : null;
  if (version === PROOF_OF_SPACE_V2 && (poolPublicKey === null) === (poolContractPuzzleHash === null)) {
    throw new StreamableError(path, V2_POOL_IDENTITY_RULE);
  }
  const plotPublicKey = g1Element.read(reader, joinPath(path, 'plot_public_key'));
  let size = 0;
  let plotIndex = 0;
  let metaGroup = 0;
  let strength = 0;
  if (version === PROOF_OF_SPACE_V1) {
    size = uint8.read(reader, joinPath(path, 'size'));
  } else {
    plotIndex = uint16.read(reader, joinPath(path, 'plot_index'));
    metaGroup = uint8.read(reader, joinPath(path, 'meta_group'));
    strength = uint8.read(reader, joinPath(path, 'strength'));
  }
  const proof = bytes.read(reader, joinPath(path, 'proof'));
  return {
    challenge,
    poolPublicKey,
    poolContractPuzzleHash,
    plotPublicKey,
    version,
    plotIndex,
    metaGroup,
    strength,
    size,
    proof,
  };
}

function fromJson(json: unknown, path: string): ProofOfSpace {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new StreamableError(path, `expected a JSON object for ProofOfSpace, got ${describeJson(json)}`);
  }
  const source = json as Record<string, unknown>;
  const values: Record<string, unknown> = {};
  for (const spec of fieldSpecs) {
    const fieldPath = joinPath(path, spec.jsonKey);
    if (Object.prototype.hasOwnProperty.call(source, spec.jsonKey)) {
      values[spec.name] = spec.codec.fromJson(source[spec.jsonKey], fieldPath);
    } else if (spec.defaultValue !== undefined) {
      // A farmer on chia ≤ 2.6 sends the 6-key form: the missing v2 keys mean a v1 proof.
      values[spec.name] = spec.defaultValue();
    } else {
      throw new StreamableError(fieldPath, `missing key "${spec.jsonKey}" (${spec.codec.typeName})`);
    }
  }
  const pos = values as unknown as ProofOfSpace;
  checkVersion(pos.version, path);
  checkV2PoolIdentity(pos, path);
  // Keep only what the wire format of this version carries, so the object is exactly what gets hashed/signed.
  return pos.version === PROOF_OF_SPACE_V1
    ? { ...pos, plotIndex: 0, metaGroup: 0, strength: 0 }
    : { ...pos, size: 0 };
}

function toJson(pos: ProofOfSpace, path: string, form: ProofOfSpaceJsonForm): JsonObject {
  checkVersion(pos.version, path);
  const common = {
    challenge: bytes32.toJson(pos.challenge, path),
    pool_public_key: optionalPoolKey.toJson(pos.poolPublicKey, path),
    pool_contract_puzzle_hash: optionalContract.toJson(pos.poolContractPuzzleHash, path),
    plot_public_key: g1Element.toJson(pos.plotPublicKey, path),
  };
  if (form === 'legacy-6-keys') {
    if (pos.version !== PROOF_OF_SPACE_V1) {
      throw new StreamableError(joinPath(path, 'version'), 'a v2 proof of space cannot be written in the 6-key JSON form');
    }
    return { ...common, size: pos.size, proof: bytes.toJson(pos.proof, path) };
  }
  return {
    ...common,
    version: pos.version,
    plot_index: pos.plotIndex,
    meta_group: pos.metaGroup,
    strength: pos.strength,
    size: pos.size,
    proof: bytes.toJson(pos.proof, path),
  };
}

function proofOfSpaceSchema(form: ProofOfSpaceJsonForm): StreamableSchema<ProofOfSpace> {
  const codec: FieldCodec<ProofOfSpace> & { fields: typeof fieldSpecs } = {
    typeName: 'ProofOfSpace',
    fields: fieldSpecs,
    write,
    read,
    toJson: (value, path) => toJson(value, path, form),
    fromJson,
  };
  return schemaFromCodec(codec);
}

/**
 * ProofOfSpace with the 10-key JSON of chia ≥ 2.7 (and chia main). Binary form is the same for both.
 * `hash()` is SHA-256 of the bytes, which is chia_rs `get_hash()` for v1 proofs; for v2 proofs chia_rs hashes
 * the quality string instead, so a v2 dedup key must come from the v2 verifier, not from here.
 */
export const ProofOfSpaceSchema = proofOfSpaceSchema('full-10-keys');
/** ProofOfSpace with the 6-key JSON of chia ≤ 2.6 (pool-reference's chia 2.4.4). v1 proofs only on output. */
export const ProofOfSpaceLegacySchema = proofOfSpaceSchema('legacy-6-keys');
