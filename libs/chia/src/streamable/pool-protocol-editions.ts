import { type JsonObject } from '../util/json-bigint';
import {
  type PostPartialRequest,
  type PostPartialRequestLegacy,
  PostPartialRequestLegacySchema,
  PostPartialRequestSchema,
  type PutFarmerRequest,
  type PutFarmerRequestLegacy,
  PutFarmerRequestLegacySchema,
  PutFarmerRequestSchema,
} from './pool-protocol-messages';
import { StreamableError } from './streamable-error';

/*
 * A pool has to accept farmers of both chia generations. The editions differ in the JSON keys they send, and
 * for PUT /farmer the signed bytes differ too, so the edition is chosen by the presence of
 * `authentication_token_v2` (a v1 pool on chia 2.4.4 would reject every chia-main PUT as INVALID_SIGNATURE).
 */

export type PostPartialRequestAnyEdition =
  | { readonly edition: 'legacy'; readonly request: PostPartialRequestLegacy }
  | { readonly edition: 'current'; readonly request: PostPartialRequest };

export type PutFarmerRequestAnyEdition =
  | { readonly edition: 'legacy'; readonly request: PutFarmerRequestLegacy }
  | { readonly edition: 'current'; readonly request: PutFarmerRequest };

/** POST /partial body. The signed payload hash is the same in both editions. */
export function parsePostPartialRequestJson(json: unknown): PostPartialRequestAnyEdition {
  const body = requireObject(json, 'PostPartialRequest');
  return hasKey(body, 'authentication_token_v2')
    ? { edition: 'current', request: PostPartialRequestSchema.fromJson(body) }
    : { edition: 'legacy', request: PostPartialRequestLegacySchema.fromJson(body) };
}

/** PUT /farmer body: the 6-field payload iff the payload has `authentication_token_v2`, else the 5-field one. */
export function parsePutFarmerRequestJson(json: unknown): PutFarmerRequestAnyEdition {
  const body = requireObject(json, 'PutFarmerRequest');
  const payload = requireObject(body['payload'], 'PutFarmerRequest.payload');
  return hasKey(payload, 'authentication_token_v2')
    ? { edition: 'current', request: PutFarmerRequestSchema.fromJson(body) }
    : { edition: 'legacy', request: PutFarmerRequestLegacySchema.fromJson(body) };
}

function requireObject(json: unknown, path: string): JsonObject {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new StreamableError(path, 'expected a JSON object');
  }
  return json as JsonObject;
}

function hasKey(object: JsonObject, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, key);
}
