import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  bytesToHex,
  hexToBytes,
  loadBls,
  parseChiaJson,
  PostFarmerPayloadSchema,
  PostFarmerRequestSchema,
  PostPartialPayloadSchema,
  PostPartialRequestSchema,
  rewardPuzzleHash,
  stringifyChiaJson,
  type BlsBackend,
  type PostPartialRequest,
} from '@pool/chia';
import { loadPoolConfig } from '@pool/config';
import { PlotNftV2Simulator, SimulatedFarmerV2 } from '@pool/devnet';
import { farmerDecider, farmerStream, type PartialEvent, type RegisteredFarmer } from '@pool/domain';
import { SqliteEventStore } from '@pool/event-store';
import { type EventStore } from '@pool/event-sourcing';
import { ReadModelDatabase } from '@pool/read-models';
import { apiDepsWithoutChain, describeWithVectors, DevnetPoolHarness, factsHead, openLedgerCommandBus } from '../support';
import { createApiServer, InProcessPartialVerifier, partialCryptoJob } from '@pool/api';
import { PartialConfirmer } from '@pool/worker';
import { StreamCommandRunner } from '@pool/event-sourcing';

type Answer = Record<string, unknown>;

/**
 * Pool protocol v2 end to end: v2 farmers (synthetic authentication key, 12381-derived signing key, JWTs) with
 * devnet v2 plot NFTs (singleton v1.1) and real plots, against the pool api over HTTP, the pool following the
 * devnet node through its real RPC client.
 */
describe('pool protocol v2 against the devnet', () => {
  const harness = new DevnetPoolHarness('pool-protocol-v2');
  const { chain, clock } = harness;
  let store: EventStore;
  let farmers = 0;

  beforeAll(async () => {
    await harness.start();
    store = harness.store;
  });
  afterAll(() => harness.stop());

  const farmer = (): SimulatedFarmerV2 =>
    new SimulatedFarmerV2(harness.farmerOptions(`v2 farmer ${farmers++}`));

  /** Launches the plot NFT and buries it past the pool's confirmation threshold (4 in the harness). */
  async function joined(f: SimulatedFarmerV2 = farmer()): Promise<SimulatedFarmerV2> {
    await f.joinPool();
    chain.farmBlocks(6);
    return f;
  }

  async function registered(): Promise<SimulatedFarmerV2> {
    const f = await joined();
    expect(await f.register()).toEqual({ welcome_message: expect.any(String) });
    return f;
  }

  /** Walks signage points until the farmer has a partial (at its own idea of its difficulty). */
  function nextPartial(f: SimulatedFarmerV2): PostPartialRequest {
    for (let sp = 0; sp < 2000; sp++) {
      chain.advanceSignagePoints(1);
      const [request] = f.partialsFor(chain.latestSignagePoint(), chain.peakHeight() + 1);
      if (request) return request;
    }
    throw new Error('no partial in 2000 signage points');
  }

  /** The pool's own confirmer over every partial in the store, after the confirmation delay has passed. */
  async function confirmDue(): Promise<number> {
    const runner = new StreamCommandRunner(store);
    const bus = await openLedgerCommandBus(store);
    const confirmer = new PartialConfirmer({
      store,
      commandBus: bus.commandBus,
      chain: harness.client,
      farmerState: async (launcherId) => (await runner.load(farmerStream(launcherId), farmerDecider)).state,
      delaySeconds: harness.config.settings.partialConfirmationDelay,
      now: harness.now,
    });
    const events = await store.readAll({ filter: { types: ['PartialSubmitted', 'PartialConfirmed', 'PartialReverted'] } });
    for (const e of events) confirmer.track({ type: e.type, data: e.data } as PartialEvent);
    chain.advance((harness.config.settings.partialConfirmationDelay + 1) * 1000);
    try {
      return await confirmer.settleDue();
    } finally {
      await bus.close();
    }
  }

  async function get(path: string): Promise<Answer> {
    return parseChiaJson(await (await fetch(`${harness.poolUrl}${path}`)).text()) as Answer;
  }

  async function send(path: string, method: 'POST' | 'PUT', body: unknown): Promise<Answer> {
    const response = await fetch(`${harness.poolUrl}${path}`, { method, headers: { 'content-type': 'application/json' }, body: stringifyChiaJson(body) });
    expect(response.status).toBe(200);
    return parseChiaJson(await response.text()) as Answer;
  }

  /** Runs a refused request and checks nothing was appended to the ledger. */
  async function refusedWithoutEvents(code: number, request: () => Promise<Answer>, message?: RegExp): Promise<void> {
    const before = await factsHead(store);
    const answer = await request();
    expect(answer).toMatchObject({ error_code: code, error_message: message ? expect.stringMatching(message) : expect.any(String) });
    expect(await factsHead(store)).toEqual(before);
  }

  it('serves /v2/pool_info with protocol version 2 and the fee in basis points', async () => {
    expect(await get('/v2/pool_info')).toMatchObject({ protocol_version: 2, fee: expect.stringMatching(/^\d+$/), pool_memoization: '0x80' });
  });

  it('registers a v2 farmer, authenticates with a cached JWT, and records its partials once each', async () => {
    const f = await joined();
    // Chia's farmer: GET /v2/farmer → (GET /v2/auth → 10) → POST /v2/farmer → GET /v2/farmer.
    expect(await f.connect()).toMatchObject({ current_difficulty: 1, authentication_public_key: `0x${bytesToHex(f.authenticationPublicKey)}` });
    const [registeredEvent] = await store.readStream(farmerStream(f.launcherId));
    expect(registeredEvent).toMatchObject({
      type: 'FarmerRegistered',
      data: { protocolVersion: 2, authenticationPublicKey: bytesToHex(f.authenticationPublicKey), p2SingletonPuzzleHash: rewardPuzzleHash(f.launcherId) },
    });

    const authenticationsBefore = f.authentications;
    const sent: PostPartialRequest[] = [];
    for (let i = 0; i < 3; i++) {
      const request = nextPartial(f);
      expect(await f.submit(request)).toEqual({ new_difficulty: 1 });
      sent.push(request);
    }
    // The JWT of the registration round is reused while it lives.
    expect(f.authentications).toBe(authenticationsBefore);
    const submitted = (await store.readAll({ filter: { types: ['PartialSubmitted'] } })).filter((e) => (e.data as { launcherId: string }).launcherId === f.launcherId);
    expect(submitted).toHaveLength(3);

    // Replaying a proof is refused and writes nothing.
    await refusedWithoutEvents(16, () => f.submit(sent[0]!), /already submitted/);

    // current_points: confirmed points only, as GET /farmer (v1) reports them.
    expect(await f.getFarmer()).toMatchObject({ current_points: 0 });
    expect(await confirmDue()).toBeGreaterThanOrEqual(3);
    expect(await f.getFarmer()).toMatchObject({ current_points: 3 });
  });

  it('re-authenticates when the JWT expires or the pool answers 12', async () => {
    const f = await registered();
    await f.getFarmer();
    const count = f.authentications;
    f.setJwt('not-a-jwt');
    expect(await f.getFarmer()).toMatchObject({ current_difficulty: 1 });
    expect(f.authentications).toBe(count + 1);
    clock.advance((harness.config.settings.authenticationTokenTimeout * 60 + 1) * 1000);
    expect(await f.getFarmer()).toMatchObject({ current_difficulty: 1 });
    expect(f.authentications).toBe(count + 2);
  });

  it('updates payout instructions and difficulty with the JWT, with the v1 cooldown and minimum difficulty', async () => {
    const f = await registered();
    const payout = 'ab'.repeat(32);
    expect(await f.update({ payoutInstructions: payout, suggestedDifficulty: 5n })).toEqual({ authentication_public_key: false, payout_instructions: true, suggested_difficulty: true });
    expect(await f.getFarmer()).toMatchObject({ payout_instructions: payout, current_difficulty: 5 });
    await refusedWithoutEvents(16, () => f.update({ suggestedDifficulty: 7n }), /updated recently/);
    clock.advance((harness.config.settings.farmerUpdateCooldown + 1) * 1000);
    // Below the pool's minimum: not taken (pool2-reference would take it).
    expect(await f.update({ suggestedDifficulty: 0n })).toEqual({ authentication_public_key: false, payout_instructions: false, suggested_difficulty: false });
    expect(await f.getFarmer()).toMatchObject({ current_difficulty: 5 });
  });

  it('refuses a new authentication key that the plot NFT on chain does not have (3), writing nothing', async () => {
    const f = await registered();
    const other = farmer();
    await refusedWithoutEvents(3, () => f.update({ authenticationPublicKey: other.authenticationPublicKey }), /no plot NFT/);
  });

  it('answers 12 for a missing, forged, expired or foreign JWT, and for a stale /v2/auth timestamp', async () => {
    const f = await registered();
    const g = await registered();
    await f.getFarmer();
    const jwt = f.cachedJwt!;
    const query = (token: string, launcher = f.launcherId): Promise<Answer> =>
      get(`/v2/farmer?authentication_token=0&launcher_id=0x${launcher}&authentication_token_v2=${encodeURIComponent(token)}`);
    await refusedWithoutEvents(12, () => query(''));
    const [header, payload] = jwt.split('.');
    await refusedWithoutEvents(12, () => query(`${header}.${payload}.${'A'.repeat(43)}`), /signature/);
    await refusedWithoutEvents(12, () => query(jwt, g.launcherId), /issued for launcher/);

    const partial = nextPartial(f);
    clock.advance((harness.config.settings.authenticationTokenTimeout * 60 + 2) * 1000);
    await refusedWithoutEvents(12, () => send('/v2/partial', 'POST', PostPartialRequestSchema.toJson({ ...partial, authenticationTokenV2: jwt })), /expired/);
    const stale = BigInt(Math.floor(harness.now()) - 3600);
    await refusedWithoutEvents(12, () => f.authenticate(stale), /check your clock/);
  });

  it('answers 10 for an unknown farmer and 7 for bad signatures on /v2/auth, POST /v2/farmer and /v2/partial', async () => {
    const stranger = await joined();
    await refusedWithoutEvents(10, () => stranger.authenticate(), /POST \/v2\/farmer first/);

    const f = await registered();
    const launcher = hexToBytes(f.launcherId, 32);
    const now = BigInt(Math.floor(harness.now()));
    const wrongKey = stranger.signer.v2Auth(now, launcher, hexToBytes(f.pool.poolClaimHash, 32));
    await refusedWithoutEvents(7, () => get(`/v2/auth?launcher_id=0x${f.launcherId}&timestamp=${now}&signature=0x${bytesToHex(wrongKey)}`));

    const forged = stranger.signer.postFarmerV2({
      launcherId: hexToBytes(stranger.launcherId, 32),
      authenticationToken: 0n,
      authenticationPublicKey: f.authenticationPublicKey,
      payoutInstructions: stranger.walletPuzzleHash,
      suggestedDifficulty: null,
    });
    await refusedWithoutEvents(7, () => send('/v2/farmer', 'POST', PostFarmerRequestSchema.toJson(forged)));

    await f.getFarmer();
    const partial = nextPartial(f);
    const otherSignature = nextPartial(f).aggregateSignature;
    await refusedWithoutEvents(7, () => f.submit({ ...partial, aggregateSignature: otherSignature }));
  });

  it('answers 9 for a partial whose pool contract is not RewardPuzzle(launcher_id), even when signed', async () => {
    const f = await registered();
    const partial = nextPartial(f);
    const payload = { ...partial.payload, proofOfSpace: { ...partial.payload.proofOfSpace, poolContractPuzzleHash: hexToBytes('cd'.repeat(32), 32) } };
    await refusedWithoutEvents(9, () => f.submit(f.signer.partialV2(payload, '')), /RewardPuzzle/);
  });

  it('answers 2 for a late partial and 5 for one below the difficulty in force', async () => {
    const f = await registered();
    const late = nextPartial(f);
    clock.advance(60_000);
    await refusedWithoutEvents(2, () => f.submit(late), /after the signage point/);

    expect(await f.update({ suggestedDifficulty: 1n << 40n })).toEqual({ authentication_public_key: false, payout_instructions: false, suggested_difficulty: true });
    // Past the grace window for partials computed at the old difficulty; the farmer keeps using difficulty 1.
    clock.advance((harness.config.settings.difficultyGraceSeconds + 1) * 1000);
    f.difficulty = 1n;
    await refusedWithoutEvents(5, () => f.submit(nextPartial(f)), /difficulty/);
  });

  it('refuses registration unless the v2 plot NFT pools here now and is not exiting (3 / 14), once (11), with valid payout (13)', async () => {
    // Judged on its latest state: a plot NFT launched in the last block registers at once (registration-latest-state.e2e-spec.ts).
    // Pooling to another pool: no plot NFT at this pool's puzzle.
    const elsewhere = farmer();
    await elsewhere.joinPool();
    const nfts = new PlotNftV2Simulator(chain);
    const launched = nfts.launch({ ownerPublicKey: bytesToHex(elsewhere.authenticationPublicKey), pool: { ...elsewhere.pool, poolClaimHash: 'ee'.repeat(32) } });
    chain.farmBlocks(6);
    const request = elsewhere.signer.postFarmerV2({
      launcherId: hexToBytes(launched.launcherId, 32),
      authenticationToken: 0n,
      authenticationPublicKey: elsewhere.authenticationPublicKey,
      payoutInstructions: elsewhere.walletPuzzleHash,
      suggestedDifficulty: null,
    });
    await refusedWithoutEvents(3, () => send('/v2/farmer', 'POST', PostFarmerRequestSchema.toJson(request)), /no plot NFT/);

    // Exiting this pool.
    const leaving = await joined();
    leaving.plotNfts.leavePool(leaving.launcherId);
    chain.farmBlocks(6);
    await refusedWithoutEvents(14, () => leaving.register(), /still in its waiting room \(leaving this pool\) until height \d+/);

    const f = await joined();
    await refusedWithoutEvents(13, () => f.register('not an address'));
    expect(await f.register()).toEqual({ welcome_message: expect.any(String) });
    await refusedWithoutEvents(11, () => f.register(), /already registered/);
  });

  it('refuses malformed v2 requests with protocol errors', async () => {
    await refusedWithoutEvents(8, () => get('/v2/auth?launcher_id=zz&timestamp=1&signature=00'), /launcher_id/);
    await refusedWithoutEvents(8, () => send('/v2/partial', 'POST', { payload: { launcher_id: 'zz' } }));
  });
});

interface SignedRequests {
  common: { launcher_id: string; target_puzzle_hash: string; v2_get_auth_timestamp: number };
  keys: Record<'owner_pk' | 'plot_pk', string>;
  payloads: Record<string, { bytes_hex: string }>;
  signatures: Record<string, { signature: string }>;
}

/**
 * The v2 signed-request vectors over HTTP. Their launcher cannot exist on the devnet (a launcher id is a coin id),
 * so the farmer is registered in the ledger directly, with the vector's synthetic key, and the pool's clock is
 * set to the vector's timestamp.
 */
describeWithVectors<SignedRequests>('pool protocol v2: the signed-request vectors over HTTP', 'protocol/signed_requests.json', (v) => {
  let bls: BlsBackend;
  let app: NestFastifyApplication;
  let url: string;
  let store: SqliteEventStore;
  let readModels: ReadModelDatabase;
  let dir: string;
  const launcherId = v.common.launcher_id;
  const timestamp = v.common.v2_get_auth_timestamp;
  const signature = (name: string): string => `0x${v.signatures[name]!.signature}`;
  const tampered = (hex: string): string => `${hex.slice(0, -2)}${hex.endsWith('00') ? '01' : '00'}`;

  beforeAll(async () => {
    bls = await loadBls();
    dir = mkdtempSync(join(tmpdir(), 'pool-e2e-v2-vectors-'));
    store = new SqliteEventStore({ path: join(dir, 'events.db') });
    readModels = await ReadModelDatabase.open(`sqlite:${join(dir, 'read-models.db')}`);
    await new StreamCommandRunner(store).run(farmerStream(launcherId), farmerDecider, {
      type: 'RegisterFarmer',
      launcherId,
      authenticationPublicKey: v.keys.owner_pk,
      ownerPublicKey: v.keys.owner_pk,
      payoutInstructions: 'c2'.repeat(32),
      payoutPuzzleHash: 'c2'.repeat(32),
      p2SingletonPuzzleHash: rewardPuzzleHash(launcherId),
      delayTime: 0,
      delayPuzzleHash: '00'.repeat(32),
      difficulty: 1n,
      protocolVersion: 2,
      now: timestamp,
    });
    const base = loadPoolConfig({});
    const config = { ...base, settings: { ...base.settings, targetPuzzleHash: v.common.target_puzzle_hash, jwtSecretHex: '5a'.repeat(32) } };
    app = await createApiServer({ ...(await apiDepsWithoutChain(config, store, readModels)), bls, clock: () => timestamp + 5 }, ['error']);
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  });
  afterAll(async () => {
    await app?.close();
    await readModels?.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = async (path: string): Promise<Answer> => parseChiaJson(await (await fetch(`${url}${path}`)).text()) as Answer;
  const post = async (path: string, body: unknown): Promise<Answer> =>
    parseChiaJson(await (await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: stringifyChiaJson(body) })).text()) as Answer;

  it('GET /v2/auth: the vector signature earns a JWT that GET /v2/farmer accepts; a tampered one is 7', async () => {
    const auth = (sig: string): Promise<Answer> => get(`/v2/auth?launcher_id=0x${launcherId}&timestamp=${timestamp}&signature=${sig}`);
    expect(await auth(tampered(signature('v2_get_auth')))).toMatchObject({ error_code: 7 });
    const answer = await auth(signature('v2_get_auth'));
    // The JWT expires 5 minutes after issue; the farmer is told a minute earlier (advertisedExpiration).
    expect(answer).toEqual({ authentication_token: expect.any(String), expiration: timestamp + 5 + 5 * 60 - 60 });
    const farmer = await get(`/v2/farmer?authentication_token=0&launcher_id=0x${launcherId}&authentication_token_v2=${answer.authentication_token as string}`);
    expect(farmer).toMatchObject({ authentication_public_key: `0x${v.keys.owner_pk}`, current_difficulty: 1 });
  });

  it('POST /v2/farmer: the vector signature passes (the already-registered launcher is then 11); tampered is 7', async () => {
    const payload = PostFarmerPayloadSchema.decode(hexToBytes(v.payloads.v2_post_farmer_payload!.bytes_hex));
    const body = (sig: string): unknown => PostFarmerRequestSchema.toJson({ payload, signature: hexToBytes(sig, 96) });
    expect(await post('/v2/farmer', body(signature('v2_post_farmer')))).toMatchObject({ error_code: 11 });
    expect(await post('/v2/farmer', body(tampered(signature('v2_post_farmer'))))).toMatchObject({ error_code: 7 });
  });

  it('POST /v2/partial: the JWT passes and its v1 pool contract is refused with 9 before any crypto; the vector aggregate signature verifies', async () => {
    const auth = await get(`/v2/auth?launcher_id=0x${launcherId}&timestamp=${timestamp}&signature=${signature('v2_get_auth')}`);
    const payload = PostPartialPayloadSchema.decode(hexToBytes(v.payloads.post_partial_payload!.bytes_hex));
    const request = (sig: string): PostPartialRequest => ({ payload, authenticationTokenV2: auth.authentication_token as string, aggregateSignature: hexToBytes(sig, 96) });
    const before = await factsHead(store);
    // The pool contract is a cheap check, made before the signature: either signature is refused with 9.
    for (const sig of [signature('v2_post_partial'), signature('v1_post_partial')]) {
      expect(await post('/v2/partial', PostPartialRequestSchema.toJson(request(sig)))).toMatchObject({ error_code: 9, error_message: expect.stringMatching(/RewardPuzzle/) });
    }
    expect(await factsHead(store)).toEqual(before);
    // The signature check validatePartial would make once the cheap checks pass: the job it sends the verifier.
    const farmer = (await new StreamCommandRunner(store).load(farmerStream(launcherId), farmerDecider)).state as RegisteredFarmer;
    const verifier = new InProcessPartialVerifier(bls);
    const signatureValid = async (sig: string): Promise<boolean> => (await verifier.verify(partialCryptoJob(request(sig), farmer))).signatureValid;
    expect(await signatureValid(signature('v2_post_partial'))).toBe(true);
    expect(await signatureValid(signature('v1_post_partial'))).toBe(false);
  });
});
