import { AugSchemeMPL, JacobianPoint, PrivateKey } from 'chia-bls';
import { loadVectors } from '@pool/testing';
import { type BlsBackend } from './bls-backend';
import { bytesToHex, hexToBytes } from './bls-bytes';
import { loadBls } from './bls-loader';

/*
 * chia-bls (a pure TypeScript port of Chia's Python reference) is an independent third implementation. It takes
 * about 2 s per verification, so this suite keeps to two verifications and one signature.
 */

interface SignedRequestsJson {
  signatures: Record<string, { message_signed_hex: string; public_keys: string[]; signature: string }>;
}

describe('chia-bls cross-check', () => {
  let native: BlsBackend;
  const seed = hexToBytes('5eed'.repeat(16));
  beforeAll(async () => {
    native = await loadBls('native');
  });

  it('key_gen, sk -> pk, fingerprint and HD derivation agree', () => {
    const sk = native.keyGen(seed);
    const reference = AugSchemeMPL.keyGen(seed);
    expect(bytesToHex(sk)).toBe(reference.toHex());
    expect(bytesToHex(native.skToPk(sk))).toBe(reference.getG1().toHex());
    expect(native.fingerprint(native.skToPk(sk))).toBe(reference.getG1().getFingerprint());
    expect(bytesToHex(native.deriveChildSk(sk, 77))).toBe(AugSchemeMPL.deriveChildSk(reference, 77).toHex());
    expect(bytesToHex(native.deriveChildSkUnhardened(sk, 77))).toBe(AugSchemeMPL.deriveChildSkUnhardened(reference, 77).toHex());
    expect(bytesToHex(native.deriveChildPkUnhardened(native.skToPk(sk), 77))).toBe(
      AugSchemeMPL.deriveChildPkUnhardened(reference.getG1(), 77).toHex(),
    );
  });

  it('a signature made by chia-bls equals ours, and chia-bls verifies a 2-key aggregate made by us', () => {
    const message = new Uint8Array(Buffer.from('cross-check', 'utf8'));
    const sk = native.keyGen(seed);
    expect(bytesToHex(native.sign(sk, message))).toBe(AugSchemeMPL.sign(PrivateKey.fromBytes(sk), message).toHex());

    const other = native.deriveChildSk(sk, 1);
    const aggregate = native.aggregate([native.sign(sk, message), native.sign(other, message)]);
    const pks = [native.skToPk(sk), native.skToPk(other)].map((pk) => JacobianPoint.fromBytesG1(pk));
    expect(AugSchemeMPL.aggregateVerify(pks, [message, message], JacobianPoint.fromBytesG2(aggregate))).toBe(true);
  });

  it('chia-bls verifies the signed POST /partial vector that our backends verify', () => {
    const vectors = loadVectors<SignedRequestsJson>('protocol/signed_requests.json');
    if (vectors === undefined) return;
    const partial = vectors.signatures.v1_post_partial;
    const msg = hexToBytes(partial.message_signed_hex);
    const pks = partial.public_keys.map((hex) => hexToBytes(hex));
    const sig = hexToBytes(partial.signature);
    expect(native.aggregateVerify(pks, [msg, msg], sig)).toBe(true);
    // chia-bls clears flag bits in the arrays it parses, so it gets copies.
    const referencePks = pks.map((pk) => JacobianPoint.fromBytesG1(Uint8Array.from(pk)));
    expect(AugSchemeMPL.aggregateVerify(referencePks, [msg, msg], JacobianPoint.fromBytesG2(Uint8Array.from(sig)))).toBe(true);
  });
});
