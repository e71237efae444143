import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeWithVectors, vectorsDir } from '@pool/testing';
import { bytesToHex, hexToBytes } from '../util/hex';
import { type JsonObject, type JsonValue, parseChiaJson, stringifyChiaJson } from '../util/json-bigint';
import {
  AuthenticationPayloadSchema,
  ErrorResponseSchema,
  GetFarmerResponseSchema,
  GetPoolInfoResponseLegacySchema,
  GetPoolInfoResponseSchema,
  PostFarmerPayloadSchema,
  PostFarmerRequestSchema,
  PostFarmerResponseSchema,
  PostPartialPayloadLegacySchema,
  PostPartialPayloadSchema,
  PostPartialRequestLegacySchema,
  PostPartialRequestSchema,
  PostPartialResponseSchema,
  PutFarmerPayloadLegacySchema,
  PutFarmerPayloadSchema,
  PutFarmerRequestLegacySchema,
  PutFarmerRequestSchema,
  PutFarmerResponseSchema,
} from './pool-protocol-messages';
import { parsePostPartialRequestJson, parsePutFarmerRequestJson } from './pool-protocol-editions';
import { sha256 } from '../util/hash';
import { type StreamableSchema } from './streamable-schema';
import { NewProofOfSpaceSchema } from './harvester-messages';

interface MessageVector {
  bytes_len: number;
  bytes_hex: string;
  sha256: string;
  json: JsonObject | null;
}
interface StreamableVectorFile {
  messages: Record<string, MessageVector>;
}

/** Vector files hold uint64 values above 2^53, so they are re-read with the exact parser. */
function readExact<T>(relativePath: string): T {
  return parseChiaJson(readFileSync(join(vectorsDir(), relativePath), 'utf8')) as unknown as T;
}

type SchemaTable = Record<string, StreamableSchema<unknown>>;
const asAny = <T>(schema: StreamableSchema<T>) => schema as unknown as StreamableSchema<unknown>;

const unchanged: SchemaTable = {
  authentication_payload: asAny(AuthenticationPayloadSchema),
  post_partial_response: asAny(PostPartialResponseSchema),
  get_farmer_response: asAny(GetFarmerResponseSchema),
  post_farmer_payload: asAny(PostFarmerPayloadSchema),
  post_farmer_request: asAny(PostFarmerRequestSchema),
  post_farmer_response: asAny(PostFarmerResponseSchema),
  put_farmer_response: asAny(PutFarmerResponseSchema),
  error_response: asAny(ErrorResponseSchema),
};

const legacyEdition: SchemaTable = {
  ...unchanged,
  get_pool_info_response: asAny(GetPoolInfoResponseLegacySchema),
  post_partial_payload: asAny(PostPartialPayloadLegacySchema),
  post_partial_request: asAny(PostPartialRequestLegacySchema),
  put_farmer_payload: asAny(PutFarmerPayloadLegacySchema),
  put_farmer_request: asAny(PutFarmerRequestLegacySchema),
};

const currentEdition: SchemaTable = {
  ...unchanged,
  get_pool_info_response: asAny(GetPoolInfoResponseSchema),
  post_partial_payload: asAny(PostPartialPayloadSchema),
  post_partial_request: asAny(PostPartialRequestSchema),
  put_farmer_payload: asAny(PutFarmerPayloadSchema),
  put_farmer_request: asAny(PutFarmerRequestSchema),
};

function describeEdition(title: string, file: string, schemas: SchemaTable): void {
  describeWithVectors(title, file, () => {
    const { messages } = readExact<StreamableVectorFile>(file);
    const poolMessages = Object.entries(messages).filter(([, vector]) => vector.json !== null);

    it('has a schema for every pool-protocol message in the file', () => {
      const missing = poolMessages.map(([name]) => name).filter((name) => schemas[name] === undefined);
      expect(missing).toEqual([]);
      expect(poolMessages.length).toBe(13);
    });

    describe.each(poolMessages)('%s', (name, vector) => {
      const schema = schemas[name] as StreamableSchema<unknown>;
      const vectorBytes = hexToBytes(vector.bytes_hex);
      const vectorJson = vector.json as JsonObject;

      it('decodes the bytes and re-encodes them byte-exact', () => {
        expect(vectorBytes.length).toBe(vector.bytes_len);
        expect(bytesToHex(schema.encode(schema.decode(vectorBytes)))).toBe(vector.bytes_hex);
      });

      it('hashes to the vector sha256 (get_hash)', () => {
        expect(bytesToHex(sha256(vectorBytes))).toBe(vector.sha256);
        expect(bytesToHex(schema.hash(schema.decode(vectorBytes)))).toBe(vector.sha256);
      });

      it('parses the JSON form and writes it back identically', () => {
        const fromJson = schema.fromJson(vectorJson);
        expect(schema.toJson(fromJson)).toEqual(vectorJson);
        expect(schema.toJsonText(fromJson)).toBe(stringifyChiaJson(vectorJson));
      });

      it('JSON and bytes describe the same object', () => {
        expect(bytesToHex(schema.encode(schema.fromJson(vectorJson)))).toBe(vector.bytes_hex);
        expect(schema.toJson(schema.decode(vectorBytes))).toEqual(vectorJson);
      });

      it('rejects the bytes with one byte cut off or one byte appended', () => {
        expect(() => schema.decode(vectorBytes.subarray(0, vectorBytes.length - 1))).toThrow(/too short/);
        const extended = new Uint8Array(vectorBytes.length + 1);
        extended.set(vectorBytes);
        expect(() => schema.decode(extended)).toThrow(/trailing byte/);
      });
    });
  });
}

describeEdition(
  'pool protocol streamables, chia-blockchain 2.4.4 (legacy edition)',
  'protocol/streamable_pool_protocol_chia-2.4.4.json',
  legacyEdition,
);
describeEdition(
  'pool protocol streamables, chia-blockchain main d61ed07d (current edition)',
  'protocol/streamable_pool_protocol_chia-main-d61ed07d.json',
  currentEdition,
);

describe.each([
  ['chia-2.4.4 (v1 proof)', 'protocol/streamable_pool_protocol_chia-2.4.4.json', 0],
  ['chia-main (v2 proof)', 'protocol/streamable_pool_protocol_chia-main-d61ed07d.json', 1],
])('harvester NewProofOfSpace, %s', (_, file, expectedVersion) => {
  describeWithVectors('bytes', file, () => {
    const vector = readExact<StreamableVectorFile>(file).messages['new_proof_of_space'] as MessageVector;

    it('decodes, re-encodes byte-exact and hashes to the vector', () => {
      const decoded = NewProofOfSpaceSchema.decode(hexToBytes(vector.bytes_hex));
      expect(decoded.proof.version).toBe(expectedVersion);
      expect(decoded.plotIdentifier).toBe('plot_1');
      expect(bytesToHex(NewProofOfSpaceSchema.encode(decoded))).toBe(vector.bytes_hex);
      expect(bytesToHex(NewProofOfSpaceSchema.hash(decoded))).toBe(vector.sha256);
    });
  });
});

describeWithVectors('edition selection on real farmer JSON', 'protocol/streamable_pool_protocol_chia-2.4.4.json', () => {
  const legacy = readExact<StreamableVectorFile>('protocol/streamable_pool_protocol_chia-2.4.4.json').messages;
  const current = readExact<StreamableVectorFile>('protocol/streamable_pool_protocol_chia-main-d61ed07d.json').messages;

  it('picks the 5-field PUT /farmer payload for a 2.4.4 body and the 6-field one for a main body', () => {
    const oldBody = parsePutFarmerRequestJson(legacy['put_farmer_request']?.json);
    const newBody = parsePutFarmerRequestJson(current['put_farmer_request']?.json);
    expect(oldBody.edition).toBe('legacy');
    expect(newBody.edition).toBe('current');
    // The hash that the owner signature covers differs between the two, so the choice matters.
    expect(bytesToHex(PutFarmerPayloadLegacySchema.hash(oldBody.request.payload as never))).toBe(
      legacy['put_farmer_payload']?.sha256,
    );
    if (newBody.edition === 'current') {
      expect(bytesToHex(PutFarmerPayloadSchema.hash(newBody.request.payload))).toBe(current['put_farmer_payload']?.sha256);
    }
  });

  it('picks the partial edition by authentication_token_v2 and hashes the payload alike', () => {
    const oldBody = parsePostPartialRequestJson(legacy['post_partial_request']?.json);
    const newBody = parsePostPartialRequestJson(current['post_partial_request']?.json);
    expect(oldBody.edition).toBe('legacy');
    expect(newBody.edition).toBe('current');
    expect(bytesToHex(PostPartialPayloadSchema.hash(oldBody.request.payload))).toBe(legacy['post_partial_payload']?.sha256);
    expect(bytesToHex(PostPartialPayloadSchema.hash(newBody.request.payload))).toBe(current['post_partial_payload']?.sha256);
  });

  it('reads a 6-key ProofOfSpace inside a current-edition request (missing v2 keys mean v1)', () => {
    const body = structuredClone(legacy['post_partial_request']?.json) as Record<string, JsonValue>;
    body['authentication_token_v2'] = '';
    const parsed = PostPartialRequestSchema.fromJson(body);
    expect(parsed.payload.proofOfSpace.version).toBe(0);
    expect(bytesToHex(PostPartialPayloadSchema.hash(parsed.payload))).toBe(legacy['post_partial_payload']?.sha256);
  });
});
