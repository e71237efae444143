import { AuthenticationPayloadSchema, authV2PkFromOwnerPk, hexToBytes, loadBls, type BlsBackend } from '@pool/chia';
import { devnetFarmerSeed, devnetLoginKeys, loginLink } from './login-link';
import { farmerKeysFromSeed, FarmerSigner } from './farmer-signer';

const LAUNCHER = 'ab'.repeat(32);
const TARGET = 'cd'.repeat(32);

describe('devnet login links', () => {
  let bls: BlsBackend;
  beforeAll(async () => {
    bls = await loadBls();
  });

  const parse = (link: string) => {
    const url = new URL(link);
    return { path: url.pathname, launcherId: url.searchParams.get('launcher_id')!, token: BigInt(url.searchParams.get('authentication_token')!), signature: hexToBytes(url.searchParams.get('signature')!, 96) };
  };
  const message = (token: bigint) => AuthenticationPayloadSchema.hash({ methodName: 'get_login', launcherId: hexToBytes(LAUNCHER, 32), targetPuzzleHash: hexToBytes(TARGET, 32), authenticationToken: token });

  it("signs a v1 link with the farmer's authentication key, as the v1 farmer signs GET /login", () => {
    const [v1] = devnetLoginKeys(bls, devnetFarmerSeed(0));
    expect(v1!.authenticationPublicKey).toBe(Buffer.from(new FarmerSigner(bls, farmerKeysFromSeed(bls, devnetFarmerSeed(0))).authPk).toString('hex'));
    const link = parse(loginLink({ poolUrl: 'http://pool.example/', launcherId: LAUNCHER, targetPuzzleHash: `0x${TARGET}`, token: 5926401n, key: v1! }));
    expect(link).toMatchObject({ path: '/login', launcherId: LAUNCHER, token: 5926401n });
    expect(bls.verify(hexToBytes(v1!.authenticationPublicKey, 48), message(5926401n), link.signature)).toBe(true);
  });

  it('signs a v2 link under /v2/login with the 12381-derived key the pool verifies it with', () => {
    const [, v2] = devnetLoginKeys(bls, devnetFarmerSeed(1));
    const link = parse(loginLink({ poolUrl: 'http://pool.example', launcherId: LAUNCHER, targetPuzzleHash: TARGET, token: 7n, key: v2! }));
    expect(link.path).toBe('/v2/login');
    const derived = authV2PkFromOwnerPk(bls, hexToBytes(v2!.authenticationPublicKey, 48));
    expect(bls.verify(derived, message(7n), link.signature)).toBe(true);
    expect(bls.verify(hexToBytes(v2!.authenticationPublicKey, 48), message(7n), link.signature)).toBe(false);
  });

  it('gives every devnet farmer keys of its own', () => {
    const keys = [0, 1, 2].flatMap((i) => devnetLoginKeys(bls, devnetFarmerSeed(i)).map((k) => k.authenticationPublicKey));
    expect(new Set(keys).size).toBe(6);
  });
});
