import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeWithVectors, vectorsDir } from '@pool/testing';
import { bytesToHex, hexToBytes } from '../util/hex';
import { buildV2AuthMessage } from './v2-auth-message';

interface SignedRequests {
  common: { launcher_id: string; target_puzzle_hash: string; v2_get_auth_timestamp: number };
  payloads: { v2_get_auth_message: { bytes_hex: string } };
  signatures: { v2_get_auth: { message_signed_hex: string } };
}

describeWithVectors<SignedRequests>('GET /v2/auth message (signed_requests.json)', 'protocol/signed_requests.json', () => {
  const file = JSON.parse(readFileSync(join(vectorsDir(), 'protocol/signed_requests.json'), 'utf8')) as SignedRequests;

  it('is uint64_be(timestamp) || launcher_id || pool claim hash, signed unhashed', () => {
    const message = buildV2AuthMessage(
      BigInt(file.common.v2_get_auth_timestamp),
      hexToBytes(file.common.launcher_id, 32),
      hexToBytes(file.common.target_puzzle_hash, 32),
    );
    expect(bytesToHex(message)).toBe(file.payloads.v2_get_auth_message.bytes_hex);
    expect(bytesToHex(message)).toBe(file.signatures.v2_get_auth.message_signed_hex);
  });
});

describe('GET /v2/auth message (self-contained)', () => {
  it('lays out 8 + 32 + 32 bytes', () => {
    const message = buildV2AuthMessage(0x0102030405060708n, new Uint8Array(32).fill(0xaa), new Uint8Array(32).fill(0xbb));
    expect(message).toHaveLength(72);
    expect(bytesToHex(message)).toBe(`0102030405060708${'aa'.repeat(32)}${'bb'.repeat(32)}`);
  });

  it('rejects out-of-range timestamps and wrong lengths', () => {
    const id = new Uint8Array(32);
    expect(() => buildV2AuthMessage(-1n, id, id)).toThrow(/uint64/);
    expect(() => buildV2AuthMessage(1n << 64n, id, id)).toThrow(/uint64/);
    expect(() => buildV2AuthMessage(1n, new Uint8Array(31), id)).toThrow(/launcher_id must be 32 bytes/);
    expect(() => buildV2AuthMessage(1n, id, new Uint8Array(33))).toThrow(/pool_claim_hash must be 32 bytes/);
  });
});
