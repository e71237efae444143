export { StreamableError } from './streamable-error';
export { ByteReader, ByteWriter } from './byte-stream';
export { clvmSerializedLength } from './clvm-serialized-length';
export {
  bool,
  bytes,
  bytes100,
  bytes32,
  CLVM_NIL,
  fixedBytes,
  g1Element,
  g2Element,
  list,
  optional,
  serializedProgram,
  str,
  uint128,
  uint16,
  uint32,
  uint64,
  uint8,
} from './field-codecs';
export type { FieldCodec } from './field-codecs';
export { camelToSnake, defineStreamable, field, schemaFromCodec } from './streamable-schema';
export type { FieldOptions, FieldSpec, StreamableObject, StreamableSchema } from './streamable-schema';
export {
  PROOF_OF_SPACE_V1,
  PROOF_OF_SPACE_V2,
  ProofOfSpaceLegacySchema,
  ProofOfSpaceSchema,
} from './proof-of-space';
export type { ProofOfSpace, ProofOfSpaceJsonForm } from './proof-of-space';
export { POOL_PROTOCOL_VERSION, POOL_PROTOCOL_VERSION_V2, PoolErrorCode, isPoolErrorCode } from './pool-error-code';
export * from './pool-protocol-messages';
export * from './pool-protocol-v2-messages';
export { parsePostPartialRequestJson, parsePutFarmerRequestJson } from './pool-protocol-editions';
export type { PostPartialRequestAnyEdition, PutFarmerRequestAnyEdition } from './pool-protocol-editions';
export * from './chain-objects';
export * from './harvester-messages';
