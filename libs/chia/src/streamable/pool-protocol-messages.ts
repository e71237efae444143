import {
  bool,
  bytes32,
  CLVM_NIL,
  g1Element,
  g2Element,
  optional,
  serializedProgram,
  str,
  uint16,
  uint32,
  uint64,
  uint8,
} from './field-codecs';
import { type ProofOfSpace, ProofOfSpaceLegacySchema, ProofOfSpaceSchema } from './proof-of-space';
import { defineStreamable, field, type StreamableSchema } from './streamable-schema';

/*
 * Pool protocol messages (chia/protocols/pool_protocol.py). Two editions exist on the wire:
 *   - "Legacy": chia-blockchain ≤ 2.7.x releases (pool-reference pins 2.4.4). ProofOfSpace JSON has 6 keys.
 *   - current (no suffix): chia-blockchain main since PR #20739. ProofOfSpace JSON has 10 keys,
 *     PostPartialRequest and PutFarmerPayload gain `authentication_token_v2`, PutFarmerRequest.signature is
 *     Optional, GetPoolInfoResponse gains `pool_memoization`.
 * Messages that did not change have a single schema. Byte layout = field order below.
 */

// ---------------------------------------------------------------------------------------------------------
// Signed payloads and their requests
// ---------------------------------------------------------------------------------------------------------

/** Signed (hash) for GET /farmer ("get_farmer") and GET /login ("get_login"); never sent as such. */
export interface AuthenticationPayload {
  methodName: string;
  launcherId: Uint8Array;
  /** The pool's own target puzzle hash, not a client value. */
  targetPuzzleHash: Uint8Array;
  authenticationToken: bigint;
}
export const AuthenticationPayloadSchema: StreamableSchema<AuthenticationPayload> = defineStreamable(
  'AuthenticationPayload',
  [
    field('methodName', str),
    field('launcherId', bytes32),
    field('targetPuzzleHash', bytes32),
    field('authenticationToken', uint64),
  ],
);

export interface PostPartialPayload {
  launcherId: Uint8Array;
  authenticationToken: bigint;
  proofOfSpace: ProofOfSpace;
  spHash: Uint8Array;
  endOfSubSlot: boolean;
  harvesterId: Uint8Array;
}
const postPartialPayloadFields = (posSchema: StreamableSchema<ProofOfSpace>) =>
  [
    field('launcherId', bytes32),
    field('authenticationToken', uint64),
    field('proofOfSpace', posSchema),
    field('spHash', bytes32),
    field('endOfSubSlot', bool),
    field('harvesterId', bytes32),
  ] as const;
/** Same bytes (and hash) in both editions; only the JSON of the nested ProofOfSpace differs. */
export const PostPartialPayloadSchema: StreamableSchema<PostPartialPayload> = defineStreamable(
  'PostPartialPayload',
  postPartialPayloadFields(ProofOfSpaceSchema),
);
export const PostPartialPayloadLegacySchema: StreamableSchema<PostPartialPayload> = defineStreamable(
  'PostPartialPayload',
  postPartialPayloadFields(ProofOfSpaceLegacySchema),
);

export interface PostPartialRequestLegacy {
  payload: PostPartialPayload;
  aggregateSignature: Uint8Array;
}
export const PostPartialRequestLegacySchema: StreamableSchema<PostPartialRequestLegacy> = defineStreamable(
  'PostPartialRequest',
  [field('payload', PostPartialPayloadLegacySchema), field('aggregateSignature', g2Element)],
);

export interface PostPartialRequest {
  payload: PostPartialPayload;
  /** The v2 JWT; an empty string when a chia-main farmer talks to a v1 pool. Not covered by the signature. */
  authenticationTokenV2: string;
  aggregateSignature: Uint8Array;
}
export const PostPartialRequestSchema: StreamableSchema<PostPartialRequest> = defineStreamable('PostPartialRequest', [
  field('payload', PostPartialPayloadSchema),
  field('authenticationTokenV2', str),
  field('aggregateSignature', g2Element),
]);

export interface PostPartialResponse {
  newDifficulty: bigint;
}
export const PostPartialResponseSchema: StreamableSchema<PostPartialResponse> = defineStreamable(
  'PostPartialResponse',
  [field('newDifficulty', uint64)],
);

export interface PostFarmerPayload {
  launcherId: Uint8Array;
  authenticationToken: bigint;
  authenticationPublicKey: Uint8Array;
  payoutInstructions: string;
  suggestedDifficulty: bigint | null;
}
export const PostFarmerPayloadSchema: StreamableSchema<PostFarmerPayload> = defineStreamable('PostFarmerPayload', [
  field('launcherId', bytes32),
  field('authenticationToken', uint64),
  field('authenticationPublicKey', g1Element),
  field('payoutInstructions', str),
  field('suggestedDifficulty', optional(uint64)),
]);

export interface PostFarmerRequest {
  payload: PostFarmerPayload;
  signature: Uint8Array;
}
export const PostFarmerRequestSchema: StreamableSchema<PostFarmerRequest> = defineStreamable('PostFarmerRequest', [
  field('payload', PostFarmerPayloadSchema),
  field('signature', g2Element),
]);

export interface PostFarmerResponse {
  welcomeMessage: string;
}
export const PostFarmerResponseSchema: StreamableSchema<PostFarmerResponse> = defineStreamable(
  'PostFarmerResponse',
  [field('welcomeMessage', str)],
);

/** 5-field PutFarmerPayload of chia ≤ 2.7 farmers. */
export interface PutFarmerPayloadLegacy {
  launcherId: Uint8Array;
  authenticationToken: bigint;
  authenticationPublicKey: Uint8Array | null;
  payoutInstructions: string | null;
  suggestedDifficulty: bigint | null;
}
const putFarmerPayloadLegacyFields = [
  field('launcherId', bytes32),
  field('authenticationToken', uint64),
  field('authenticationPublicKey', optional(g1Element)),
  field('payoutInstructions', optional(str)),
  field('suggestedDifficulty', optional(uint64)),
] as const;
export const PutFarmerPayloadLegacySchema: StreamableSchema<PutFarmerPayloadLegacy> = defineStreamable(
  'PutFarmerPayload',
  putFarmerPayloadLegacyFields,
);

/**
 * 6-field PutFarmerPayload of chia-main farmers. They send it to v1 pools too (with the v1 token as the
 * string), and the owner signature covers the sixth field, so the edition must be chosen by the JSON keys.
 */
export interface PutFarmerPayload extends PutFarmerPayloadLegacy {
  authenticationTokenV2: string;
}
export const PutFarmerPayloadSchema: StreamableSchema<PutFarmerPayload> = defineStreamable('PutFarmerPayload', [
  ...putFarmerPayloadLegacyFields,
  field('authenticationTokenV2', str),
]);

export interface PutFarmerRequestLegacy {
  payload: PutFarmerPayloadLegacy;
  signature: Uint8Array;
}
export const PutFarmerRequestLegacySchema: StreamableSchema<PutFarmerRequestLegacy> = defineStreamable(
  'PutFarmerRequest',
  [field('payload', PutFarmerPayloadLegacySchema), field('signature', g2Element)],
);

export interface PutFarmerRequest {
  payload: PutFarmerPayload;
  /** Null on PUT /v2/farmer, where the JWT authenticates the request. */
  signature: Uint8Array | null;
}
export const PutFarmerRequestSchema: StreamableSchema<PutFarmerRequest> = defineStreamable('PutFarmerRequest', [
  field('payload', PutFarmerPayloadSchema),
  field('signature', optional(g2Element)),
]);

/** Each key is present (non-null) only when the request carried that field. */
export interface PutFarmerResponse {
  authenticationPublicKey: boolean | null;
  payoutInstructions: boolean | null;
  suggestedDifficulty: boolean | null;
}
export const PutFarmerResponseSchema: StreamableSchema<PutFarmerResponse> = defineStreamable('PutFarmerResponse', [
  field('authenticationPublicKey', optional(bool)),
  field('payoutInstructions', optional(bool)),
  field('suggestedDifficulty', optional(bool)),
]);

// ---------------------------------------------------------------------------------------------------------
// Responses without a signed payload
// ---------------------------------------------------------------------------------------------------------

export interface GetFarmerResponse {
  authenticationPublicKey: Uint8Array;
  payoutInstructions: string;
  currentDifficulty: bigint;
  currentPoints: bigint;
}
export const GetFarmerResponseSchema: StreamableSchema<GetFarmerResponse> = defineStreamable('GetFarmerResponse', [
  field('authenticationPublicKey', g1Element),
  field('payoutInstructions', str),
  field('currentDifficulty', uint64),
  field('currentPoints', uint64),
]);

export interface GetPoolInfoResponseLegacy {
  name: string;
  logoUrl: string;
  minimumDifficulty: bigint;
  relativeLockHeight: number;
  protocolVersion: number;
  /** v1: the fee fraction as a decimal string ("0.01"); v2 pools send basis points ("100"). */
  fee: string;
  description: string;
  targetPuzzleHash: Uint8Array;
  /** Minutes. */
  authenticationTokenTimeout: number;
}
const getPoolInfoResponseLegacyFields = [
  field('name', str),
  field('logoUrl', str),
  field('minimumDifficulty', uint64),
  field('relativeLockHeight', uint32),
  field('protocolVersion', uint8),
  field('fee', str),
  field('description', str),
  field('targetPuzzleHash', bytes32),
  field('authenticationTokenTimeout', uint8),
] as const;
export const GetPoolInfoResponseLegacySchema: StreamableSchema<GetPoolInfoResponseLegacy> = defineStreamable(
  'GetPoolInfoResponse',
  getPoolInfoResponseLegacyFields,
);

export interface GetPoolInfoResponse extends GetPoolInfoResponseLegacy {
  /** Serialized CLVM appended to the v2 reward CREATE_COIN (memos); `0x80` (nil) = none. */
  poolMemoization: Uint8Array;
}
export const GetPoolInfoResponseSchema: StreamableSchema<GetPoolInfoResponse> = defineStreamable(
  'GetPoolInfoResponse',
  [
    ...getPoolInfoResponseLegacyFields,
    field('poolMemoization', serializedProgram, { defaultValue: () => CLVM_NIL.slice() }),
  ],
);

export interface ErrorResponse {
  errorCode: number;
  errorMessage: string | null;
}
export const ErrorResponseSchema: StreamableSchema<ErrorResponse> = defineStreamable('ErrorResponse', [
  field('errorCode', uint16),
  field('errorMessage', optional(str)),
]);
