import { bytes32, g2Element, optional, str, uint64 } from './field-codecs';
import { defineStreamable, field, type StreamableSchema } from './streamable-schema';

/*
 * Messages added for pool protocol v2 (CHIP-59; chia-blockchain main `pool_protocol.py`, pool2-reference).
 * GET requests arrive as query strings: integers as decimal strings and hex with or without 0x both parse.
 */

/** GET /v2/auth. The signature covers the raw 72-byte message, see `buildV2AuthMessage`. */
export interface GetAuthRequest {
  launcherId: Uint8Array;
  /** Unix seconds chosen by the farmer. */
  timestamp: bigint;
  signature: Uint8Array;
}
export const GetAuthRequestSchema: StreamableSchema<GetAuthRequest> = defineStreamable('GetAuthRequest', [
  field('launcherId', bytes32),
  field('timestamp', uint64),
  field('signature', g2Element),
]);

export interface GetAuthResponse {
  /** HS256 JWT. */
  authenticationToken: string;
  /** Unix seconds. */
  expiration: bigint;
}
export const GetAuthResponseSchema: StreamableSchema<GetAuthResponse> = defineStreamable('GetAuthResponse', [
  field('authenticationToken', str),
  field('expiration', uint64),
]);

/** GET /v2/farmer: the JWT authenticates; `authenticationToken` is 0 from chia-main farmers. */
export interface GetFarmerRequestV2 {
  authenticationToken: bigint;
  launcherId: Uint8Array;
  authenticationTokenV2: string;
}
const getFarmerRequestV2Fields = [
  field('authenticationToken', uint64),
  field('launcherId', bytes32),
  field('authenticationTokenV2', str),
] as const;
export const GetFarmerRequestV2Schema: StreamableSchema<GetFarmerRequestV2> = defineStreamable(
  'GetFarmerRequestV2',
  getFarmerRequestV2Fields,
);

/**
 * GET /farmer (v1 route) as chia main sends it: the v2 fields plus the BLS signature. Deviation from Chia, on
 * purpose: `authentication_token_v2` defaults to "" and `signature` to null when absent, so the query of a
 * chia ≤ 2.7 farmer (launcher_id, authentication_token, signature) parses with the same schema.
 */
export interface GetFarmerRequestV1 extends GetFarmerRequestV2 {
  signature: Uint8Array | null;
}
export const GetFarmerRequestV1Schema: StreamableSchema<GetFarmerRequestV1> = defineStreamable('GetFarmerRequestV1', [
  field('authenticationToken', uint64),
  field('launcherId', bytes32),
  field('authenticationTokenV2', str, { defaultValue: () => '' }),
  field('signature', optional(g2Element), { defaultValue: () => null }),
]);
