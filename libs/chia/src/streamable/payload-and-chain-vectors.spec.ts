import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeWithVectors, vectorsDir } from '@pool/testing';
import { bytesToHex, hexToBytes } from '../util/hex';
import { ChallengeChainSubSlotSchema, PoolStateSchema } from './chain-objects';
import { parseChiaJson } from '../util/json-bigint';
import {
  AuthenticationPayloadSchema,
  PostFarmerPayloadSchema,
  PostPartialPayloadSchema,
  PutFarmerPayloadLegacySchema,
  PutFarmerPayloadSchema,
} from './pool-protocol-messages';
import { type ProofOfSpace, ProofOfSpaceSchema } from './proof-of-space';

interface SignedRequestsFile {
  common: {
    launcher_id: string;
    target_puzzle_hash: string;
    authentication_token: number;
    payout_instructions: string;
    'p2_singleton_puzzle_hash (pool_contract_puzzle_hash)': string;
    sp_hash: string;
    harvester_id: string;
    pos_challenge: string;
    pos_size: number;
  };
  keys: { owner_pk: string; auth_pk: string; plot_pk: string };
  payloads: Record<string, { bytes_hex: string; sha256: string }> & {
    _pos_v1_bytes: string;
    _pos_v1_sha256: string;
  };
}

function readExact<T>(relativePath: string): T {
  return parseChiaJson(readFileSync(join(vectorsDir(), relativePath), 'utf8')) as unknown as T;
}

describeWithVectors('signed request payloads (signed_requests.json)', 'protocol/signed_requests.json', () => {
  const file = readExact<SignedRequestsFile>('protocol/signed_requests.json');
  const { common, keys, payloads } = file;
  const launcherId = hexToBytes(common.launcher_id, 32);
  const token = BigInt(common.authentication_token);

  const expectPayload = (name: string, encoded: Uint8Array, hash: Uint8Array): void => {
    const vector = payloads[name];
    if (vector === undefined) throw new Error(`vector ${name} missing`);
    expect(bytesToHex(encoded)).toBe(vector.bytes_hex);
    expect(bytesToHex(hash)).toBe(vector.sha256);
  };

  it.each([
    ['get_farmer_auth_payload', 'get_farmer'],
    ['get_login_auth_payload', 'get_login'],
  ])('%s: AuthenticationPayload("%s", launcher, pool target, token)', (name, methodName) => {
    const payload = {
      methodName,
      launcherId,
      targetPuzzleHash: hexToBytes(common.target_puzzle_hash, 32),
      authenticationToken: token,
    };
    expectPayload(name, AuthenticationPayloadSchema.encode(payload), AuthenticationPayloadSchema.hash(payload));
  });

  const proofOfSpace: ProofOfSpace = {
    challenge: hexToBytes(common.pos_challenge, 32),
    poolPublicKey: null,
    poolContractPuzzleHash: hexToBytes(common['p2_singleton_puzzle_hash (pool_contract_puzzle_hash)'], 32),
    plotPublicKey: hexToBytes(keys.plot_pk, 48),
    version: 0,
    plotIndex: 0,
    metaGroup: 0,
    strength: 0,
    size: common.pos_size,
    proof: Uint8Array.from({ length: 256 }, (_, index) => index),
  };

  it('ProofOfSpace of a pool-contract plot', () => {
    expect(bytesToHex(ProofOfSpaceSchema.encode(proofOfSpace))).toBe(payloads._pos_v1_bytes);
    expect(bytesToHex(ProofOfSpaceSchema.hash(proofOfSpace))).toBe(payloads._pos_v1_sha256);
    expect(ProofOfSpaceSchema.decode(hexToBytes(payloads._pos_v1_bytes))).toEqual(proofOfSpace);
  });

  it('post_partial_payload', () => {
    const payload = {
      launcherId,
      authenticationToken: token,
      proofOfSpace,
      spHash: hexToBytes(common.sp_hash, 32),
      endOfSubSlot: false,
      harvesterId: hexToBytes(common.harvester_id, 32),
    };
    expectPayload('post_partial_payload', PostPartialPayloadSchema.encode(payload), PostPartialPayloadSchema.hash(payload));
  });

  it('post_farmer_payload (v1) and v2_post_farmer_payload (token 0, owner key as auth key)', () => {
    const v1 = {
      launcherId,
      authenticationToken: token,
      authenticationPublicKey: hexToBytes(keys.auth_pk, 48),
      payoutInstructions: common.payout_instructions,
      suggestedDifficulty: null,
    };
    expectPayload('post_farmer_payload', PostFarmerPayloadSchema.encode(v1), PostFarmerPayloadSchema.hash(v1));
    const v2 = { ...v1, authenticationToken: 0n, authenticationPublicKey: hexToBytes(keys.owner_pk, 48) };
    expectPayload('v2_post_farmer_payload', PostFarmerPayloadSchema.encode(v2), PostFarmerPayloadSchema.hash(v2));
  });

  it('put_farmer_payload in the 5-field and the 6-field form', () => {
    const fiveFields = {
      launcherId,
      authenticationToken: token,
      authenticationPublicKey: hexToBytes(keys.auth_pk, 48),
      payoutInstructions: common.payout_instructions,
      suggestedDifficulty: null,
    };
    expectPayload(
      'put_farmer_payload_5field',
      PutFarmerPayloadLegacySchema.encode(fiveFields),
      PutFarmerPayloadLegacySchema.hash(fiveFields),
    );
    // chia main farmers put the decimal v1 token into authentication_token_v2 when talking to a v1 pool.
    const sixFields = { ...fiveFields, authenticationTokenV2: token.toString() };
    expectPayload('put_farmer_payload_6field', PutFarmerPayloadSchema.encode(sixFields), PutFarmerPayloadSchema.hash(sixFields));
  });
});

interface PuzzlesFile {
  streamable_example: { challenge_chain: unknown; expected_hash: string };
  travel_spend_example: {
    solution: string;
    decoded_pool_state: {
      version: number;
      state: number;
      target_puzzle_hash: string;
      owner_pubkey: string;
      pool_url: string;
      relative_lock_height: number;
    };
  };
}

describeWithVectors('ChallengeChainSubSlot hash (crypto/puzzles.json streamable_example)', 'crypto/puzzles.json', () => {
  const { streamable_example: example } = readExact<PuzzlesFile>('crypto/puzzles.json');

  it('hashes the mainnet end-of-slot challenge chain to the challenge the node reported', () => {
    const subSlot = ChallengeChainSubSlotSchema.fromJson(example.challenge_chain);
    expect(bytesToHex(ChallengeChainSubSlotSchema.hash(subSlot))).toBe(example.expected_hash);
    expect(ChallengeChainSubSlotSchema.decode(ChallengeChainSubSlotSchema.encode(subSlot))).toEqual(subSlot);
  });
});

describeWithVectors('PoolState inside a mainnet travel spend (crypto/puzzles.json)', 'crypto/puzzles.json', () => {
  const { travel_spend_example: example } = readExact<PuzzlesFile>('crypto/puzzles.json');

  it('decodes the PoolState bytes stored under key "p" of the solution', () => {
    // In the serialized solution the pair ("p" . state) is ff 70 <atom>; the atom prefix c0 73 means 115 bytes.
    const solution = example.solution.replace(/^0x/, '');
    const marker = 'ff70c073';
    const start = solution.indexOf(marker);
    expect(start).toBeGreaterThan(0);
    const stateHex = solution.slice(start + marker.length, start + marker.length + 115 * 2);
    const state = PoolStateSchema.decode(hexToBytes(stateHex));
    const expected = example.decoded_pool_state;
    expect(state).toEqual({
      version: expected.version,
      state: expected.state,
      targetPuzzleHash: hexToBytes(expected.target_puzzle_hash),
      ownerPubkey: hexToBytes(expected.owner_pubkey),
      poolUrl: expected.pool_url,
      relativeLockHeight: expected.relative_lock_height,
    });
    expect(state.state).toBe(2); // LEAVING_POOL
    expect(bytesToHex(PoolStateSchema.encode(state))).toBe(stateHex);
  });
});
