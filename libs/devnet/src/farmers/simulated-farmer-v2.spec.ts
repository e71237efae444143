import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { aggregatePubkeys, PublicKey } from '@chainsafe/blst';
import { chiaKeyGen, coinId, loadBls, plotNftV2PuzzleHash, type BlsBackend } from '@pool/chia';
import { DevnetChain, blsSignatureVerifier } from '../chain';
import { DEVNET_NETWORK, posConstantsFor } from '../network';
import { PlotCache } from '../plots';
import { SimulatedFarmerV2, syntheticOffset, syntheticSecretKey } from './simulated-farmer-v2';

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

describe("SimulatedFarmerV2's plot NFT", () => {
  const POOL_INFO = { target_puzzle_hash: `0x${'5c'.repeat(32)}`, relative_lock_height: 3, authentication_token_timeout: 5, pool_memoization: '0xff84706f6f6c80' };
  let bls: BlsBackend;
  let pool: Server;
  let poolUrl: string;

  beforeAll(async () => {
    bls = await loadBls();
    // A pool that answers only GET /v2/pool_info: all joinPool asks before launching.
    pool = createServer((request, response) => {
      const known = request.method === 'GET' && request.url === '/v2/pool_info';
      response.writeHead(known ? 200 : 404, { 'content-type': 'application/json' }).end(known ? JSON.stringify(POOL_INFO) : '{}');
    });
    await new Promise<void>((resolve) => pool.listen(0, '127.0.0.1', resolve));
    poolUrl = `http://127.0.0.1:${(pool.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => pool.close(() => resolve())));

  it("launches a real v2 Plot NFT pooling to the pool_info's pool, which it moves with its synthetic key on a verifying chain", async () => {
    const chain = new DevnetChain({ seed: 'simulated-farmer-v2-spec', networkBlockEverySignagePoints: 0, verifySignatures: blsSignatureVerifier(bls) });
    const farmer = new SimulatedFarmerV2({
      bls,
      seed: new Uint8Array(32).fill(11),
      chain,
      constants: posConstantsFor(DEVNET_NETWORK),
      plots: new PlotCache(),
      poolUrl,
      now: () => chain.clock.now() / 1000,
    });
    await farmer.joinPool();
    chain.farmBlock();
    expect(farmer.pool).toEqual({ poolClaimHash: '5c'.repeat(32), relativeLockHeight: 3, poolMemoization: 'ff84706f6f6c80' });
    expect(farmer.plotNftIdentity).toEqual({ launcherId: farmer.launcherId, genesisChallenge: chain.network.genesisChallenge });
    // What the pool looks up: the pooling puzzle hash from the registered key, its own pool fields and its network.
    const state = { ownerPublicKey: Buffer.from(farmer.authenticationPublicKey).toString('hex'), pool: farmer.pool, exiting: false };
    const [record] = await chain.getCoinRecordsByPuzzleHash(plotNftV2PuzzleHash(farmer.plotNftIdentity, state));
    expect(record && coinId(record.coin)).toBe(coinId(farmer.plotNftView().currentCoin));

    farmer.plotNfts.leavePool(farmer.launcherId);
    chain.farmBlock();
    expect(farmer.plotNftView().state).toEqual({ ...state, exiting: true });
  });
});
