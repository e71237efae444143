import { randomBytes } from 'node:crypto';
import {
  bytesToHex,
  getCurrentAuthenticationToken,
  hexToBytes,
  parseChiaJson,
  PoolErrorCode,
  PostFarmerRequestSchema,
  PutFarmerRequestSchema,
  stringifyChiaJson,
  type PutFarmerPayload,
} from '@pool/chia';
import { FarmerSigner, farmerKeysFromSeed, PlotNftSimulator, SimulatedFarmerV2, type LaunchPlotNftRequest } from '@pool/devnet';
import { farmerStream } from '@pool/domain';
import { DevnetPoolHarness } from '../support';

type Answer = Record<string, unknown>;

/** Where another pool lives, as a plot NFT farming to it names it. */
const OTHER_POOL = { targetPuzzleHash: 'ee'.repeat(32), poolUrl: 'https://other-pool.example', relativeLockHeight: 5 };

/*
 * POST /farmer and POST /v2/farmer judge the plot NFT on its LATEST state (as pool-reference does), so a farmer who
 * has just joined registers at once, and a refusal says exactly where the plot NFT is; PUT /farmer and PUT /v2/farmer
 * answer all three keys of PutFarmerResponse. Over HTTP against the api on the devnet, with the mainnet
 * confirmation threshold (32 blocks): nothing here is ever buried that deep.
 */
describe('registration on the latest plot NFT state, and PUT answers (devnet, HTTP)', () => {
  const harness = new DevnetPoolHarness('registration-latest-state', { settings: { confirmationSecurityThreshold: 32 } });
  const { chain, clock } = harness;
  let farmers = 0;

  beforeAll(() => harness.start());
  afterAll(() => harness.stop());

  async function send(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<Answer> {
    const response = await fetch(`${harness.poolUrl}${path}`, {
      method,
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: stringifyChiaJson(body) }),
    });
    expect(response.status).toBe(200);
    return parseChiaJson(await response.text()) as Answer;
  }

  /** A v1 farmer's keys and a plot NFT launched by hand (no plot: registration needs none). */
  function v1Farmer(launch: Partial<LaunchPlotNftRequest> = {}): { signer: FarmerSigner; launcherId: string } {
    const signer = new FarmerSigner(harness.bls, farmerKeysFromSeed(harness.bls, harness.hash(`v1 farmer ${farmers++}`)));
    const { launcherId } = new PlotNftSimulator(chain).launchPlotNft({
      ownerPk: bytesToHex(signer.ownerPk),
      poolUrl: harness.poolUrl,
      targetPuzzleHash: harness.poolTarget,
      relativeLockHeight: harness.config.settings.relativeLockHeight,
      delayTime: 604_800,
      delayPuzzleHash: 'dd'.repeat(32),
      state: 'FARMING_TO_POOL',
      ...launch,
    });
    return { signer, launcherId };
  }

  const token = (): bigint => getCurrentAuthenticationToken(harness.config.settings.authenticationTokenTimeout, Math.floor(harness.now()));

  const postFarmer = ({ signer, launcherId }: { signer: FarmerSigner; launcherId: string }): Promise<Answer> =>
    send(
      'POST',
      '/farmer',
      PostFarmerRequestSchema.toJson(
        signer.postFarmer({
          launcherId: hexToBytes(launcherId, 32),
          authenticationToken: token(),
          authenticationPublicKey: signer.authPk,
          payoutInstructions: 'cc'.repeat(32),
          suggestedDifficulty: null,
        }),
      ),
    );

  const putFarmer = ({ signer, launcherId }: { signer: FarmerSigner; launcherId: string }, changes: Partial<PutFarmerPayload>): Promise<Answer> => {
    const payload: PutFarmerPayload = {
      launcherId: hexToBytes(launcherId, 32),
      authenticationToken: token(),
      authenticationPublicKey: null,
      payoutInstructions: null,
      suggestedDifficulty: null,
      authenticationTokenV2: '',
      ...changes,
    };
    return send('PUT', '/farmer', PutFarmerRequestSchema.toJson(signer.putFarmer(payload)));
  };

  /** A refusal with the exact code and message, and nothing appended to the ledger. */
  async function refused(request: () => Promise<Answer>, code: PoolErrorCode, message: string): Promise<void> {
    const before = await harness.store.headPosition();
    expect(await request()).toEqual({ error_code: code, error_message: message });
    expect(await harness.store.headPosition()).toEqual(before);
  }

  const registeredEvents = async (launcherId: string): Promise<string[]> => (await harness.store.readStream(farmerStream(launcherId))).map((e) => e.type);

  const v2Farmer = (): SimulatedFarmerV2 =>
    new SimulatedFarmerV2(harness.farmerOptions(`v2 farmer ${farmers++}`));

  describe('POST /farmer (v1)', () => {
    it('registers a plot NFT in the block after its launch, 31 blocks before the launch is buried, and takes its PUT at once', async () => {
      const f = v1Farmer();
      chain.farmBlock();
      expect(await postFarmer(f)).toEqual({ welcome_message: expect.any(String) });
      expect(await registeredEvents(f.launcherId)).toEqual(['FarmerRegistered']);
      // The owner key comes from the latest state too: the update needs no burial either.
      expect(await putFarmer(f, { suggestedDifficulty: 9n })).toEqual({ authentication_public_key: false, payout_instructions: false, suggested_difficulty: true });
    });

    it('follows a farmer switching from another pool: refused there and in the waiting room with the exact reason, registered the block after it joins', async () => {
      const f = v1Farmer({ ...OTHER_POOL });
      chain.farmBlock();
      await refused(() => postFarmer(f), PoolErrorCode.INVALID_SINGLETON, `plot NFT ${f.launcherId} farms to ${OTHER_POOL.poolUrl} (target puzzle hash ${OTHER_POOL.targetPuzzleHash}), not to this pool`);

      const nfts = new PlotNftSimulator(chain);
      chain.addToMempool(nfts.leavePool(f.launcherId));
      const leftAt = chain.farmBlock().block.height;
      const freeAt = leftAt + OTHER_POOL.relativeLockHeight;
      await refused(
        () => postFarmer(f),
        PoolErrorCode.INVALID_SINGLETON,
        `plot NFT ${f.launcherId} is still in its waiting room (leaving ${OTHER_POOL.poolUrl} (target puzzle hash ${OTHER_POOL.targetPuzzleHash})) until height ${freeAt}; register once it has joined this pool`,
      );

      chain.farmBlocks(OTHER_POOL.relativeLockHeight);
      chain.addToMempool(
        nfts.joinPool(f.launcherId, { targetPuzzleHash: harness.poolTarget, poolUrl: harness.poolUrl, relativeLockHeight: harness.config.settings.relativeLockHeight }),
      );
      chain.farmBlock();
      expect(await postFarmer(f)).toEqual({ welcome_message: expect.any(String) });
    });

    it('says a plot NFT is self-pooling, and that a launcher is not on chain', async () => {
      const selfPooling = v1Farmer({ state: 'SELF_POOLING', poolUrl: null, targetPuzzleHash: 'bb'.repeat(32), relativeLockHeight: 0 });
      chain.farmBlock();
      await refused(() => postFarmer(selfPooling), PoolErrorCode.INVALID_SINGLETON, `plot NFT ${selfPooling.launcherId} is self-pooling; join this pool with it first`);

      const unknown = { signer: selfPooling.signer, launcherId: randomBytes(32).toString('hex') };
      await refused(() => postFarmer(unknown), PoolErrorCode.INVALID_SINGLETON, `launcher ${unknown.launcherId} not found on chain`);
    });
  });

  describe('POST /v2/farmer', () => {
    it('registers a v2 plot NFT in the block after its launch', async () => {
      const f = v2Farmer();
      await f.joinPool();
      chain.farmBlock();
      expect(await f.register()).toEqual({ welcome_message: expect.any(String) });
      expect(await registeredEvents(f.launcherId)).toEqual(['FarmerRegistered']);
    });

    it('refuses a v2 plot NFT in its waiting room, saying until which height', async () => {
      const f = v2Farmer();
      await f.joinPool();
      chain.farmBlock();
      f.plotNfts.leavePool(f.launcherId);
      const exitedAt = chain.farmBlock().block.height;
      await refused(
        () => f.register(),
        PoolErrorCode.INVALID_SINGLETON,
        `plot NFT ${f.launcherId} is still in its waiting room (leaving this pool) until height ${exitedAt + harness.config.settings.relativeLockHeight}; it cannot join this pool from there`,
      );
    });
  });

  describe('PUT /farmer and PUT /v2/farmer answer all three keys', () => {
    it('v1: true for what was sent and changed, false for what was not sent or changed nothing', async () => {
      const f = v1Farmer();
      chain.farmBlock();
      await postFarmer(f);
      expect(await putFarmer(f, { payoutInstructions: 'ab'.repeat(32) })).toEqual({ authentication_public_key: false, payout_instructions: true, suggested_difficulty: false });
      clock.advance((harness.config.settings.farmerUpdateCooldown + 1) * 1000);
      // The same payout instructions and the difficulty in force: sent, but nothing changes.
      expect(await putFarmer(f, { payoutInstructions: 'ab'.repeat(32), suggestedDifficulty: harness.config.settings.defaultDifficulty })).toEqual({
        authentication_public_key: false,
        payout_instructions: false,
        suggested_difficulty: false,
      });
    });

    it('v2: the same three keys', async () => {
      const f = v2Farmer();
      await f.joinPool();
      chain.farmBlock();
      await f.register();
      expect(await f.update({ suggestedDifficulty: 6n })).toEqual({ authentication_public_key: false, payout_instructions: false, suggested_difficulty: true });
    });
  });
});
