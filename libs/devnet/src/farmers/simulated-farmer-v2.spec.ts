import { aggregatePubkeys, PublicKey } from '@chainsafe/blst';
import { chiaKeyGen, loadBls, type BlsBackend } from '@pool/chia';
import { syntheticOffset, syntheticSecretKey } from './simulated-farmer-v2';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const scalarBytes = (value: bigint): Uint8Array => Buffer.from(value.toString(16).padStart(64, '0'), 'hex');

describe('synthetic keys (the v2 authentication key)', () => {
  let bls: BlsBackend;
  beforeAll(async () => {
    bls = await loadBls();
  });

  /** pk + offset·G, with blst's point addition: chia's calculate_synthetic_public_key. */
  const syntheticPublicKey = (pk: Uint8Array): string =>
    hex(aggregatePubkeys([PublicKey.fromBytes(pk), PublicKey.fromBytes(bls.skToPk(scalarBytes(syntheticOffset(pk))))]).toBytes());

  it("matches chia's synthetic public key for the default hidden puzzle (cdv inspect keys --synthetic)", () => {
    // Public key and result as printed by chia-dev-tools in kimsk/try-chia synthetic-keys/calculate.py.
    const pk = Buffer.from('a4d7da9a1c5210352e4487abc45cc09ca7e523630740e208087c4eb5f0c7ea85819c7affae1b1c846feabf49b071ad1d', 'hex');
    expect(syntheticPublicKey(pk)).toBe('ab29ecd3b1425ee081a371ac4b819fd0b1f94de7517cb51937e268e1ebda958ce19bf0b7d3eebbf26ba9c5283f7df6a5');
  });

  it('derives the secret key of that synthetic public key', () => {
    for (const fill of [1, 2, 3, 200]) {
      const sk = chiaKeyGen(new Uint8Array(32).fill(fill));
      expect(hex(bls.skToPk(syntheticSecretKey(bls, sk)))).toBe(syntheticPublicKey(bls.skToPk(sk)));
    }
  });
});
