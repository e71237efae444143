import { randomBytes } from 'node:crypto';
import {
  AuthenticationPayloadSchema,
  authV2PkFromOwnerPk,
  buildV2AuthMessage,
  bytesToHex,
  hexToBytes,
  loadBls,
  PostFarmerPayloadSchema,
  PostPartialPayloadSchema,
  PutFarmerPayloadSchema,
  type BlsBackend,
  type PostPartialPayload,
} from '@pool/chia';
import { describeWithVectors } from '@pool/testing';
import { FarmerSigner, farmerKeysFromSeed } from './farmer-signer';

let bls: BlsBackend;
beforeAll(async () => {
  bls = await loadBls();
});

const launcherId = randomBytes(32);
const target = randomBytes(32);
const payload = (): PostPartialPayload => ({
  launcherId,
  authenticationToken: 12345n,
  proofOfSpace: {
    challenge: randomBytes(32),
    poolPublicKey: null,
    poolContractPuzzleHash: randomBytes(32),
    plotPublicKey: new Uint8Array(48),
    version: 0,
    plotIndex: 0,
    metaGroup: 0,
    strength: 0,
    size: 18,
    proof: randomBytes(18 * 8),
  },
  spHash: randomBytes(32),
  endOfSubSlot: false,
  harvesterId: randomBytes(32),
});

describe('FarmerSigner', () => {
  it('derives distinct keys the Chia way, the same for the same seed', () => {
    const seed = randomBytes(32);
    const a = farmerKeysFromSeed(bls, seed);
    expect(farmerKeysFromSeed(bls, seed)).toEqual(a);
    expect(new Set([a.ownerSk, a.authSk, a.plotSk].map((k) => bytesToHex(k))).size).toBe(3);
    expect(farmerKeysFromSeed(bls, randomBytes(32)).ownerSk).not.toEqual(a.ownerSk);
  });

  it('signs partials that the pool verifies with the plot key and the authentication key', () => {
    const signer = new FarmerSigner(bls, farmerKeysFromSeed(bls, randomBytes(32)));
    const request = signer.partial(payload());
    const message = PostPartialPayloadSchema.hash(request.payload);
    expect(bls.aggregateVerify([signer.plotPk, signer.authPk], [message, message], request.aggregateSignature)).toBe(true);
    const other = PostPartialPayloadSchema.hash({ ...request.payload, authenticationToken: 12346n });
    expect(bls.aggregateVerify([signer.plotPk, signer.authPk], [other, other], request.aggregateSignature)).toBe(false);
  });

  it('signs farmer registration and updates with the owner key, and v2 with its 12381 child', () => {
    const signer = new FarmerSigner(bls, farmerKeysFromSeed(bls, randomBytes(32)));
    const post = { launcherId, authenticationToken: 7n, authenticationPublicKey: signer.authPk, payoutInstructions: 'ab'.repeat(32), suggestedDifficulty: 10n };
    expect(bls.verify(signer.ownerPk, PostFarmerPayloadSchema.hash(post), signer.postFarmer(post).signature)).toBe(true);
    const v2Pk = authV2PkFromOwnerPk(bls, signer.ownerPk);
    expect(bls.verify(v2Pk, PostFarmerPayloadSchema.hash(post), signer.postFarmerV2(post).signature)).toBe(true);
    const put = {
      launcherId,
      authenticationToken: 7n,
      authenticationPublicKey: signer.authPk,
      payoutInstructions: null,
      suggestedDifficulty: 20n,
      authenticationTokenV2: '',
    };
    expect(bls.verify(signer.ownerPk, PutFarmerPayloadSchema.hash(put), signer.putFarmer(put).signature!)).toBe(true);
    expect(bls.verify(v2Pk, buildV2AuthMessage(99n, launcherId, target), signer.v2Auth(99n, launcherId, target))).toBe(true);
  });

  it('signs GET /farmer and /login authentication with the authentication key over the pool target', () => {
    const signer = new FarmerSigner(bls, farmerKeysFromSeed(bls, randomBytes(32)));
    const signature = signer.authentication('get_farmer', launcherId, target, 55n);
    const message = (method: string): Uint8Array =>
      AuthenticationPayloadSchema.hash({ methodName: method, launcherId, targetPuzzleHash: target, authenticationToken: 55n });
    expect(bls.verify(signer.authPk, message('get_farmer'), signature)).toBe(true);
    expect(bls.verify(signer.authPk, message('get_login'), signature)).toBe(false);
  });
});

interface SignedRequests {
  keys: Record<'owner_sk' | 'auth_sk' | 'plot_sk' | 'owner_pk' | 'auth_pk' | 'plot_pk', string>;
  payloads: Record<string, { bytes_hex: string }>;
  signatures: Record<string, { signature: string }>;
}

describeWithVectors<SignedRequests>('FarmerSigner: the signed-request vectors, byte for byte', 'protocol/signed_requests.json', (v) => {
  const signer = (): FarmerSigner =>
    new FarmerSigner(bls, { ownerSk: hexToBytes(v.keys.owner_sk), authSk: hexToBytes(v.keys.auth_sk), plotSk: hexToBytes(v.keys.plot_sk) });
  const sig = (name: string): string => v.signatures[name]!.signature;
  const bytes = (name: string): Uint8Array => hexToBytes(v.payloads[name]!.bytes_hex);

  it('derives the vector public keys', () => {
    const s = signer();
    expect([s.ownerPk, s.authPk, s.plotPk].map((k) => bytesToHex(k))).toEqual([v.keys.owner_pk, v.keys.auth_pk, v.keys.plot_pk]);
  });

  it('reproduces the partial, farmer and authentication signatures', () => {
    const s = signer();
    expect(bytesToHex(s.partial(PostPartialPayloadSchema.decode(bytes('post_partial_payload'))).aggregateSignature)).toBe(sig('v1_post_partial'));
    expect(bytesToHex(s.postFarmer(PostFarmerPayloadSchema.decode(bytes('post_farmer_payload'))).signature)).toBe(sig('v1_post_farmer'));
    expect(bytesToHex(s.putFarmer(PutFarmerPayloadSchema.decode(bytes('put_farmer_payload_6field'))).signature!)).toBe(sig('v1_put_farmer_6field'));
    const auth = AuthenticationPayloadSchema.decode(bytes('get_farmer_auth_payload'));
    expect(bytesToHex(s.authentication('get_farmer', auth.launcherId, auth.targetPuzzleHash, auth.authenticationToken))).toBe(sig('v1_get_farmer'));
    expect(bytesToHex(s.postFarmerV2(PostFarmerPayloadSchema.decode(bytes('v2_post_farmer_payload'))).signature)).toBe(sig('v2_post_farmer'));
    const partialV2 = s.partialV2(PostPartialPayloadSchema.decode(bytes('post_partial_payload')), 'jwt');
    expect(bytesToHex(partialV2.aggregateSignature)).toBe(sig('v2_post_partial'));
  });

  it('reproduces the v2 auth signature over the raw 72-byte message', () => {
    const message = bytes('v2_get_auth_message');
    const timestamp = Buffer.from(message.subarray(0, 8)).readBigUInt64BE();
    expect(bytesToHex(signer().v2Auth(timestamp, message.subarray(8, 40), message.subarray(40, 72)))).toBe(sig('v2_get_auth'));
  });
});
