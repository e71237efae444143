import { createHash, randomBytes } from 'node:crypto';
import {
  bytesToHex,
  getCurrentAuthenticationToken,
  hexToBytes,
  loadBls,
  parseChiaJson,
  parsePostPartialRequestJson,
  parsePutFarmerRequestJson,
  PoolErrorCode,
  PostFarmerPayloadSchema,
  PostFarmerRequestSchema,
  PostPartialPayloadSchema,
  PostPartialRequestLegacySchema,
  PostPartialRequestSchema,
  PutFarmerPayloadLegacySchema,
  PutFarmerPayloadSchema,
  PutFarmerRequestLegacySchema,
  PutFarmerRequestSchema,
  stringifyChiaJson,
  type BlsBackend,
  type PostFarmerPayload,
  type PostPartialPayload,
  type PostPartialRequest,
  type PutFarmerPayload,
} from '@pool/chia';
import { loadPoolConfig, type PoolConfig } from '@pool/config';
import {
  DEVNET_NETWORK,
  devnetPlot,
  FarmerSigner,
  farmerKeysFromSeed,
  type PlotCache,
  PlotNftSimulator,
  posConstantsFor,
  proofsForSignagePoint,
  SimulatedFarmer,
  type FarmerSecretKeys,
} from '@pool/devnet';
import { farmerDecider, farmerStream, type RegisteredFarmer } from '@pool/domain';
import { InMemoryEventStore, type SqliteEventStore } from '@pool/event-store';
import { afterFarmerStateWindow, describeWithVectors, DevnetPoolHarness, factsHead } from '../support';
import { InProcessPartialVerifier } from '@pool/api';
import { FarmerRecords, putFarmerSignedMessage, V1Authentication } from '@pool/api';
import { StreamCommandRunner } from '@pool/event-sourcing';
import { partialCryptoJob, validatePartial, type PartialValidationContext } from '@pool/api';
import { AuthenticatedQueryDto, PostFarmerRequestDto, PostPartialRequestDto, PutFarmerRequestDto } from '@pool/api';
import { protocolValidationPipe } from '@pool/api';

/*
 * Every PoolErrorCode the v1 routes (GET/POST/PUT /farmer, POST /partial, GET /login) can answer, each
 * provoked by a real request over HTTP against the api running on the devnet, and each checked for
 * HTTP 200, the exact code, a message that says what went wrong, and an event store left untouched.
 *
 * Not covered because this server never answers it: 6 INVALID_DIFFICULTY. A suggested difficulty below
 * the pool minimum is ignored (PUT /farmer answers `suggested_difficulty: false`, POST /farmer uses the
 * default), as the reference pool does; the domain's INVALID_DIFFICULTY rejection belongs to the
 * pool's own difficulty policy (AdjustDifficulty), which no protocol route runs.
 */

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

/** A farmer of this file: the simulator plus its secret keys, to build requests the simulator would never send. */
interface TestFarmer {
  sim: SimulatedFarmer;
  keys: FarmerSecretKeys;
  signer: FarmerSigner;
  /** Its plot NFT, once launched. */
  nft?: { launcherId: string; p2SingletonPuzzleHash: string };
}

interface LaunchOptions {
  /** With a plot (from the plot cache) to send partials with: only the farmers that need one, plotting is slow. */
  plot?: boolean;
  delayTime?: number;
  state?: 'FARMING_TO_POOL' | 'SELF_POOLING';
  /** Default the pool's own. */
  targetPuzzleHash?: string;
}

/** Deterministic seeds: the same plot NFTs and plots every run, so k=18 plots come from the on-disk cache. */
const seedFor = (label: string): Buffer => createHash('sha256').update(`protocol-errors e2e: ${label}`).digest(); // = DevnetPoolHarness.hash

describe('pool protocol v1: every error code over HTTP, nothing written', () => {
  const harness = new DevnetPoolHarness('protocol-errors');
  const { constants, clock, chain, now, poolTarget } = harness;
  let bls: BlsBackend;
  let store: SqliteEventStore;
  let poolUrl: string;
  let plots: PlotCache;
  let config: PoolConfig;

  beforeAll(async () => {
    await harness.start();
    ({ bls, store, poolUrl, plots, config } = harness);
  });

  afterAll(() => harness.stop());

  // ------------------------------------------------------------------ helpers

  async function send(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<Answer> {
    const init: RequestInit = { method };
    if (body !== undefined) {
      init.headers = { 'content-type': 'application/json' };
      init.body = typeof body === 'string' ? body : stringifyChiaJson(body);
    }
    const response = await fetch(`${poolUrl}${path}`, init);
    return { status: response.status, body: parseChiaJson(await response.text()) as Record<string, unknown> };
  }

  /** Sends one request that must be refused with `code`, a message matching `phrase`, and no event appended. */
  async function expectRefused(request: () => Promise<Answer>, code: PoolErrorCode, phrase: RegExp): Promise<void> {
    const before = await factsHead(store);
    const answer = await request();
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ error_code: code, error_message: expect.stringMatching(phrase) });
    expect(await factsHead(store)).toEqual(before);
  }

  function farmer(label: string): TestFarmer {
    const seed = seedFor(label);
    const keys = farmerKeysFromSeed(bls, seed);
    const sim = new SimulatedFarmer({ bls, seed, chain, constants, plots, plotK: 18, poolUrl, now });
    return { sim, keys, signer: new FarmerSigner(bls, keys) };
  }

  /**
   * Launches the farmer's plot NFT (in the mempool: the next block confirms it). With a plot, the way
   * SimulatedFarmer joins a pool; without, the same launch made by hand.
   */
  async function launch(f: TestFarmer, options: LaunchOptions = {}): Promise<TestFarmer> {
    const delayTime = options.delayTime ?? 604_800;
    if (options.plot) {
      await f.sim.joinPool(delayTime);
      f.nft = { launcherId: f.sim.launcherId, p2SingletonPuzzleHash: f.sim.p2SingletonPuzzleHash };
      return f;
    }
    const state = options.state ?? 'FARMING_TO_POOL';
    const nft = new PlotNftSimulator(chain).launchPlotNft({
      ownerPk: bytesToHex(f.signer.ownerPk),
      poolUrl: state === 'SELF_POOLING' ? null : poolUrl,
      targetPuzzleHash: options.targetPuzzleHash ?? poolTarget,
      relativeLockHeight: state === 'SELF_POOLING' ? 0 : config.settings.relativeLockHeight,
      delayTime,
      delayPuzzleHash: bytesToHex(f.signer.ownerPk).slice(0, 64),
      state,
    });
    f.nft = { launcherId: nft.launcherId, p2SingletonPuzzleHash: nft.p2SingletonPuzzleHash };
    return f;
  }

  /** Launched and buried past the pool's confirmation threshold (4), not registered. */
  async function member(label: string, options: LaunchOptions = {}): Promise<TestFarmer> {
    const f = await launch(farmer(label), options);
    chain.farmBlocks(6);
    return f;
  }

  async function registered(label: string, options: LaunchOptions = {}): Promise<TestFarmer> {
    const f = await member(label, options);
    expect(await signedPostFarmer(f)).toEqual({ status: 200, body: { welcome_message: expect.any(String) } });
    return f;
  }

  const token = (): bigint => getCurrentAuthenticationToken(config.settings.authenticationTokenTimeout, Math.floor(now()));
  /** Further from now than the ± timeout tokens the pool accepts. */
  const staleToken = (): bigint => token() - BigInt(config.settings.authenticationTokenTimeout) - 1n;
  const launcherHex = (f: TestFarmer): string => {
    if (!f.nft) throw new Error('launch the plot NFT first');
    return f.nft.launcherId;
  };
  const launcher = (f: TestFarmer): Uint8Array => hexToBytes(launcherHex(f), 32);
  const p2Of = (f: TestFarmer): string => f.nft!.p2SingletonPuzzleHash;

  function authQuery(path: '/farmer' | '/login', f: TestFarmer, options: { token?: bigint; signer?: FarmerSigner; method?: 'get_farmer' | 'get_login' } = {}): string {
    const t = options.token ?? token();
    const method = options.method ?? (path === '/farmer' ? 'get_farmer' : 'get_login');
    const signature = (options.signer ?? f.signer).authentication(method, launcher(f), hexToBytes(poolTarget, 32), t);
    return `${path}?launcher_id=${launcherHex(f)}&authentication_token=${t}&signature=${bytesToHex(signature)}`;
  }

  /** A registration of `f`'s keys; `launcherId` defaults to the plot NFT `f` launched with joinPool. */
  function postFarmerPayload(f: TestFarmer, changes: Partial<PostFarmerPayload> = {}): PostFarmerPayload {
    return {
      launcherId: changes.launcherId ?? launcher(f),
      authenticationToken: token(),
      authenticationPublicKey: f.signer.authPk,
      payoutInstructions: bytesToHex(f.signer.ownerPk).slice(0, 64),
      suggestedDifficulty: null,
      ...changes,
    };
  }

  const postFarmer = (body: unknown): Promise<Answer> => send('POST', '/farmer', body);
  const signedPostFarmer = (f: TestFarmer, changes: Partial<PostFarmerPayload> = {}): Promise<Answer> =>
    postFarmer(PostFarmerRequestSchema.toJson(f.signer.postFarmer(postFarmerPayload(f, changes))));

  function putFarmerPayload(f: TestFarmer, changes: Partial<PutFarmerPayload> = {}): PutFarmerPayload {
    return {
      launcherId: launcher(f),
      authenticationToken: token(),
      authenticationPublicKey: null,
      payoutInstructions: null,
      suggestedDifficulty: null,
      authenticationTokenV2: '',
      ...changes,
    };
  }

  const putFarmer = (body: unknown): Promise<Answer> => send('PUT', '/farmer', body);
  const signedPutFarmer = (f: TestFarmer, changes: Partial<PutFarmerPayload> = {}): Promise<Answer> =>
    putFarmer(PutFarmerRequestSchema.toJson(f.signer.putFarmer(putFarmerPayload(f, changes))));

  /** POST /partial in the chia 2.4.4 body shape (what SimulatedFarmer sends). */
  const postPartial = (request: PostPartialRequest): Promise<Answer> => send('POST', '/partial', PostPartialRequestLegacySchema.toJson(request));

  /** Walks signage points until the farmer's plot has a partial at its current difficulty (1 unless told). */
  function nextPartial(f: TestFarmer): PostPartialRequest {
    for (let sp = 0; sp < 2000; sp++) {
      chain.advanceSignagePoints(1);
      const [partial] = f.sim.partialsFor(chain.latestSignagePoint(), chain.peakHeight() + 1);
      if (partial) return partial;
    }
    throw new Error('no partial in 2000 signage points');
  }

  /** The partial with its payload changed, signed again by the farmer (plot + authentication key). */
  function resigned(f: TestFarmer, request: PostPartialRequest, change: (payload: PostPartialPayload) => PostPartialPayload): PostPartialRequest {
    return f.signer.partial(change(request.payload));
  }

  const withProof = (payload: PostPartialPayload, changes: Partial<PostPartialPayload['proofOfSpace']>): PostPartialPayload => ({
    ...payload,
    proofOfSpace: { ...payload.proofOfSpace, ...changes },
  });

  const flipByte = (bytes: Uint8Array, at: number): Uint8Array => {
    const copy = Uint8Array.from(bytes);
    copy[at] = copy[at]! ^ 0xff;
    return copy;
  };

  // ------------------------------------------------------------------ partials

  describe('POST /partial', () => {
    let f: TestFarmer;
    let other: TestFarmer;
    beforeAll(async () => {
      f = await registered('partials', { plot: true });
      other = await registered('partials: another farmer');
    });

    it('1 REVERTED_SIGNAGE_POINT: a partial on a signage point a reorg replaced', async () => {
      chain.farmBlock();
      const partial = nextPartial(f);
      const spHash = bytesToHex(partial.payload.spHash);
      chain.reorg(1);
      const seen = await chain.getRecentSignagePointOrEos(partial.payload.endOfSubSlot ? { challengeHash: spHash } : { spHash });
      expect(seen?.reverted).toBe(true);
      await expectRefused(() => postPartial(partial), PoolErrorCode.REVERTED_SIGNAGE_POINT, /was reverted/);
    });

    it('2 TOO_LATE: a partial sent after the partial time limit', async () => {
      const partial = nextPartial(f);
      clock.advance((config.settings.partialTimeLimit + 5) * 1000);
      await expectRefused(() => postPartial(partial), PoolErrorCode.TOO_LATE, /after the signage point; the limit is 25 s/);
    });

    it('3 NOT_FOUND: a signage point, or end of sub-slot, the node does not know', async () => {
      const partial = nextPartial(f);
      for (const endOfSubSlot of [false, true]) {
        const unknown = resigned(f, partial, (p) => ({ ...p, spHash: randomBytes(32), endOfSubSlot }));
        await expectRefused(() => postPartial(unknown), PoolErrorCode.NOT_FOUND, endOfSubSlot ? /does not know end of sub-slot/ : /does not know signage point/);
      }
    });

    it('4 INVALID_PROOF: bad proof bytes', async () => {
      const partial = nextPartial(f);
      const bad = resigned(f, partial, (p) => withProof(p, { proof: flipByte(p.proofOfSpace.proof, 5) }));
      await expectRefused(() => postPartial(bad), PoolErrorCode.INVALID_PROOF, /invalid proof of space/);
    });

    it('4 INVALID_PROOF: a proof challenge that is not this plot and signage point', async () => {
      const partial = nextPartial(f);
      const bad = resigned(f, partial, (p) => withProof(p, { challenge: randomBytes(32) }));
      await expectRefused(() => postPartial(bad), PoolErrorCode.INVALID_PROOF, /challenge does not match/);
    });

    it('4 INVALID_PROOF: a plot size below the network minimum', async () => {
      const partial = nextPartial(f);
      const small = resigned(f, partial, (p) => withProof(p, { size: constants.minPlotSizeV1 - 1 }));
      await expectRefused(() => postPartial(small), PoolErrorCode.INVALID_PROOF, new RegExp(`plot size k=${constants.minPlotSizeV1 - 1} is outside`));
    });

    it('4 INVALID_PROOF: a proof that also names a pool public key', async () => {
      const partial = nextPartial(f);
      const both = resigned(f, partial, (p) => withProof(p, { poolPublicKey: f.signer.ownerPk }));
      await expectRefused(() => postPartial(both), PoolErrorCode.INVALID_PROOF, /not a pool public key/);
    });

    it('4 INVALID_PROOF: a v2 proof of space (current-edition body) before v2 is active', async () => {
      const partial = nextPartial(f);
      const v2 = resigned(f, partial, (p) => withProof(p, { version: 1 }));
      const body = PostPartialRequestSchema.toJson(v2);
      await expectRefused(() => send('POST', '/partial', body), PoolErrorCode.INVALID_PROOF, /v2 proofs of space are not active/);
    });

    it('4 INVALID_PROOF: a real proof for a signage point whose plot filter the plot does not pass', async () => {
      const plot = await plots.getOrCreate(18, devnetPlot(18, hexToBytes(p2Of(f), 32), f.signer.plotPk).plotId);
      let payload: PostPartialPayload | undefined;
      for (let sp = 0; sp < 2000 && !payload; sp++) {
        chain.advanceSignagePoints(1);
        const entry = chain.latestSignagePoint();
        const [challenge, spHash] = [hexToBytes(entry.challenge, 32), hexToBytes(entry.hash, 32)];
        const filtered = proofsForSignagePoint(plot, challenge, spHash, constants.numberZeroBitsPlotFilterV1);
        if (filtered.passesFilter) continue;
        const [proof] = proofsForSignagePoint(plot, challenge, spHash, 0).proofs; // what a harvester ignoring the filter finds
        if (!proof) continue;
        const template = nextPartialTemplate(f);
        payload = {
          ...template,
          spHash,
          endOfSubSlot: entry.index === 0,
          proofOfSpace: { ...template.proofOfSpace, challenge: filtered.posChallenge, proof: proof.proof },
        };
      }
      await expectRefused(() => postPartial(f.signer.partial(payload!)), PoolErrorCode.INVALID_PROOF, /does not pass the 1-bit plot filter/);
    });

    /** A well-formed payload of the farmer (keys, contract, token) to put another proof into. */
    function nextPartialTemplate(tf: TestFarmer): PostPartialPayload {
      return {
        launcherId: launcher(tf),
        authenticationToken: token(),
        proofOfSpace: {
          challenge: new Uint8Array(32),
          poolPublicKey: null,
          poolContractPuzzleHash: hexToBytes(p2Of(tf), 32),
          plotPublicKey: tf.signer.plotPk,
          version: 0,
          plotIndex: 0,
          metaGroup: 0,
          strength: 0,
          size: 18,
          proof: new Uint8Array(18 * 8),
        },
        spHash: new Uint8Array(32),
        endOfSubSlot: false,
        harvesterId: tf.signer.plotPk.subarray(0, 32),
      };
    }

    it('7 INVALID_SIGNATURE: signed by the plot key and a key that is not the registered authentication key', async () => {
      const partial = nextPartial(f);
      const message = PostPartialPayloadSchema.hash(partial.payload);
      const foreign = bls.aggregate([bls.sign(f.keys.plotSk, message), bls.sign(other.keys.authSk, message)]);
      await expectRefused(() => postPartial({ ...partial, aggregateSignature: foreign }), PoolErrorCode.INVALID_SIGNATURE, /aggregate signature does not verify/);
      // A payload changed after signing.
      const changed = { ...partial, payload: { ...partial.payload, harvesterId: randomBytes(32) } };
      await expectRefused(() => postPartial(changed), PoolErrorCode.INVALID_SIGNATURE, /aggregate signature does not verify/);
      // 96 bytes that are not a G2 point at all: a refusal, not a crash.
      await expectRefused(
        () => postPartial({ ...partial, aggregateSignature: new Uint8Array(96).fill(0xff) }),
        PoolErrorCode.INVALID_SIGNATURE,
        /aggregate signature does not verify/,
      );
    });

    it("9 INVALID_P2_SINGLETON_PUZZLE_HASH: a plot farming to another farmer's plot NFT, or a pool public key plot", async () => {
      const partial = nextPartial(f);
      const foreignPlot = resigned(f, partial, (p) => withProof(p, { poolContractPuzzleHash: hexToBytes(p2Of(other), 32) }));
      await expectRefused(() => postPartial(foreignPlot), PoolErrorCode.INVALID_P2_SINGLETON_PUZZLE_HASH, new RegExp(`${p2Of(other)} is not your plot NFT's`));
      const ogPlot = resigned(f, partial, (p) => withProof(p, { poolContractPuzzleHash: null, poolPublicKey: f.signer.ownerPk }));
      await expectRefused(() => postPartial(ogPlot), PoolErrorCode.INVALID_P2_SINGLETON_PUZZLE_HASH, /none: a pool public key plot/);
    });

    it('10 FARMER_NOT_KNOWN: a valid partial of a plot NFT that never registered', async () => {
      const stranger = await member('partials: never registered', { plot: true });
      const partial = nextPartial(stranger);
      await expectRefused(() => postPartial(partial), PoolErrorCode.FARMER_NOT_KNOWN, /is not registered with this pool; POST \/farmer first/);
    });

    it('12 INVALID_AUTHENTICATION_TOKEN: a partial signed over a stale token', async () => {
      const partial = nextPartial(f);
      const stale = resigned(f, partial, (p) => ({ ...p, authenticationToken: staleToken() }));
      await expectRefused(() => postPartial(stale), PoolErrorCode.INVALID_AUTHENTICATION_TOKEN, /outside the accepted window/);
    });

    it('14 INVALID_SINGLETON: partials of a farmer whose leaving the pool has been recorded', async () => {
      const leaver = await registered('partials: left the pool', { plot: true });
      const partial = nextPartial(leaver);
      // The api itself never records membership; the singleton watcher does, with RecordMembership on the farmer stream.
      await new StreamCommandRunner(store).run(farmerStream(launcherHex(leaver)), farmerDecider, {
        type: 'RecordMembership',
        launcherId: launcherHex(leaver),
        isMember: false,
        reason: 'leaving',
        height: chain.peakHeight(),
        now: Math.floor(now()),
      });
      await afterFarmerStateWindow(); // recorded by another runner, as the worker's process would
      await expectRefused(() => postPartial(partial), PoolErrorCode.INVALID_SINGLETON, /has left this pool/);
    });

    it('16 REQUEST_FAILED: the same proof submitted twice', async () => {
      const partial = nextPartial(f);
      const first = await postPartial(partial);
      expect(first).toEqual({ status: 200, body: { new_difficulty: 1 } });
      await expectRefused(() => postPartial(partial), PoolErrorCode.REQUEST_FAILED, /already submitted/);
      // Signed again over a new harvester id: a different payload, the same proof of space.
      const relabelled = resigned(f, partial, (p) => ({ ...p, harvesterId: randomBytes(32) }));
      await expectRefused(() => postPartial(relabelled), PoolErrorCode.REQUEST_FAILED, /already submitted/);
    });

    it('5 PROOF_NOT_GOOD_ENOUGH: after a difficulty increase, once the grace window has passed', async () => {
      const d = await registered('partials: difficulty raised', { plot: true });
      const raised = 1n << 40n;
      expect(await signedPutFarmer(d, { suggestedDifficulty: raised })).toEqual({ status: 200, body: { authentication_public_key: false, payout_instructions: false, suggested_difficulty: true } });
      // Within the grace window a difficulty-1 proof still counts, at the old difficulty.
      const early = nextPartial(d);
      expect(await postPartial(early)).toEqual({ status: 200, body: { new_difficulty: Number(raised) } });
      clock.advance((config.settings.difficultyGraceSeconds + 1) * 1000);
      const late = nextPartial(d); // the simulator still believes its difficulty is 1
      await expectRefused(() => postPartial(late), PoolErrorCode.PROOF_NOT_GOOD_ENOUGH, new RegExp(`does not meet your difficulty ${raised}`));
    });
  });

  // ------------------------------------------------------------------ GET /farmer and GET /login

  describe('GET /farmer and GET /login', () => {
    let f: TestFarmer;
    let other: TestFarmer;
    beforeAll(async () => {
      f = await registered('reads');
      other = await member('reads: not registered');
    });

    it('answers a correctly signed read (the control for the refusals below)', async () => {
      expect(await send('GET', authQuery('/farmer', f))).toMatchObject({ status: 200, body: { current_difficulty: 1 } });
      expect(await send('GET', authQuery('/login', f))).toMatchObject({ status: 200, body: { farmer_record: { launcher_id: `0x${launcherHex(f)}` } } });
    });

    it.each(['/farmer', '/login'] as const)('7 INVALID_SIGNATURE on GET %s: another key, or the other method name', async (path) => {
      await expectRefused(() => send('GET', authQuery(path, f, { signer: other.signer })), PoolErrorCode.INVALID_SIGNATURE, /registered authentication key/);
      const method = path === '/farmer' ? 'get_login' : 'get_farmer';
      await expectRefused(() => send('GET', authQuery(path, f, { method })), PoolErrorCode.INVALID_SIGNATURE, /registered authentication key/);
    });

    it.each(['/farmer', '/login'] as const)('10 FARMER_NOT_KNOWN on GET %s', async (path) => {
      await expectRefused(() => send('GET', authQuery(path, other)), PoolErrorCode.FARMER_NOT_KNOWN, /is not registered with this pool/);
    });

    it.each(['/farmer', '/login'] as const)('12 INVALID_AUTHENTICATION_TOKEN on GET %s', async (path) => {
      await expectRefused(() => send('GET', authQuery(path, f, { token: staleToken() })), PoolErrorCode.INVALID_AUTHENTICATION_TOKEN, /outside the accepted window/);
      await expectRefused(() => send('GET', authQuery(path, f, { token: token() + 100n })), PoolErrorCode.INVALID_AUTHENTICATION_TOKEN, /check your clock/);
    });

    it.each(['/farmer', '/login'] as const)('8 SERVER_EXCEPTION on GET %s with a malformed query', async (path) => {
      const good = new URLSearchParams(authQuery(path, f).split('?')[1]);
      const without = (key: string): string => {
        const q = new URLSearchParams(good);
        q.delete(key);
        return `${path}?${q}`;
      };
      await expectRefused(() => send('GET', without('signature')), PoolErrorCode.SERVER_EXCEPTION, /invalid request: signature must be 96 bytes of hex/);
      await expectRefused(() => send('GET', `${without('launcher_id')}&launcher_id=abc`), PoolErrorCode.SERVER_EXCEPTION, /launcher_id must be 32 bytes of hex/);
      await expectRefused(
        () => send('GET', `${without('authentication_token')}&authentication_token=-1`),
        PoolErrorCode.SERVER_EXCEPTION,
        /authentication_token must be an unsigned 64-bit integer/,
      );
      await expectRefused(() => send('GET', path), PoolErrorCode.SERVER_EXCEPTION, /invalid request: /);
    });
  });

  // ------------------------------------------------------------------ POST /farmer

  describe('POST /farmer', () => {
    it('11 FARMER_ALREADY_KNOWN: registering twice', async () => {
      const f = await registered('register twice');
      await expectRefused(() => signedPostFarmer(f), PoolErrorCode.FARMER_ALREADY_KNOWN, /is already registered; use PUT \/farmer/);
    });

    it('7 INVALID_SIGNATURE: signed by the authentication key instead of the owner key, or over another payload', async () => {
      const f = await member('register: wrong signature');
      const payload = postFarmerPayload(f);
      const byAuthKey = bls.sign(f.keys.authSk, PostFarmerPayloadSchema.hash(payload));
      await expectRefused(() => postFarmer(PostFarmerRequestSchema.toJson({ payload, signature: byAuthKey })), PoolErrorCode.INVALID_SIGNATURE, /owner key/);
      const otherPayload = f.signer.postFarmer({ ...payload, suggestedDifficulty: 5n }).signature;
      await expectRefused(() => postFarmer(PostFarmerRequestSchema.toJson({ payload, signature: otherPayload })), PoolErrorCode.INVALID_SIGNATURE, /owner key/);
    });

    it('12 INVALID_AUTHENTICATION_TOKEN: a registration signed over a stale token', async () => {
      const f = await member('register: stale token');
      await expectRefused(() => signedPostFarmer(f, { authenticationToken: staleToken() }), PoolErrorCode.INVALID_AUTHENTICATION_TOKEN, /outside the accepted window/);
    });

    it('13 INVALID_PAYOUT_INSTRUCTIONS: neither an address nor a 32-byte puzzle hash', async () => {
      const f = await member('register: bad payout');
      for (const payout of ['not an address', 'ab'.repeat(31), 'xch1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq']) {
        await expectRefused(() => signedPostFarmer(f, { payoutInstructions: payout }), PoolErrorCode.INVALID_PAYOUT_INSTRUCTIONS, /must be an address or a 32-byte puzzle hash/);
      }
    });

    it('14 INVALID_SINGLETON: a launcher id the chain never saw', async () => {
      const f = farmer('register: no plot NFT');
      const payload: PostFarmerPayload = {
        launcherId: randomBytes(32),
        authenticationToken: token(),
        authenticationPublicKey: f.signer.authPk,
        payoutInstructions: 'cd'.repeat(32),
        suggestedDifficulty: null,
      };
      await expectRefused(
        () => postFarmer(PostFarmerRequestSchema.toJson(f.signer.postFarmer(payload))),
        PoolErrorCode.INVALID_SINGLETON,
        new RegExp(`^launcher ${bytesToHex(payload.launcherId)} not found on chain$`),
      );
    });

    it('14 INVALID_SINGLETON: a plot NFT farming to another pool, or self-pooling', async () => {
      for (const [label, options, reason] of [
        ['register: another pool', { targetPuzzleHash: 'aa'.repeat(32) }, /farms to http:\/\/.* \(target puzzle hash a{64}\), not to this pool$/],
        ['register: self-pooling', { state: 'SELF_POOLING', targetPuzzleHash: 'bb'.repeat(32) }, /is self-pooling; join this pool with it first$/],
      ] as const) {
        const f = await member(label, options);
        await expectRefused(() => signedPostFarmer(f), PoolErrorCode.INVALID_SINGLETON, reason);
      }
    });

    // Before registration judged the latest state, a launch not yet buried by the confirmation threshold (4 here)
    // was refused with 14; it is now taken in the block that confirms it (registration-latest-state.e2e-spec.ts).
    it('a plot NFT launched in the peak block registers at once', async () => {
      const f = await launch(farmer('register: too recent'));
      chain.farmBlocks(1); // the launch is in the peak block
      expect(await signedPostFarmer(f)).toEqual({ status: 200, body: { welcome_message: expect.any(String) } });
    });

    it('14 INVALID_SINGLETON: a plot NFT that left the pool and whose lock height has passed', async () => {
      const f = await member('register: left before registering');
      const nfts = new PlotNftSimulator(chain);
      chain.addToMempool(nfts.leavePool(launcherHex(f)));
      // Past its lock height in the waiting room (LEAVING_POOL): it has left, and says so.
      chain.farmBlocks(6 + config.settings.relativeLockHeight + 1);
      await expectRefused(() => signedPostFarmer(f), PoolErrorCode.INVALID_SINGLETON, /left this pool \(its waiting room ended at height \d+\) and has not joined this pool since$/);
    });

    it('15 DELAY_TIME_TOO_SHORT: a plot NFT launched with a delay time under an hour', async () => {
      const f = await member('register: short delay', { delayTime: 600 });
      await expectRefused(() => signedPostFarmer(f), PoolErrorCode.DELAY_TIME_TOO_SHORT, /delay time 600 s is below 3600 s/);
    });

    it('8 SERVER_EXCEPTION: malformed registrations', async () => {
      const f = farmer('register: malformed');
      const json = PostFarmerRequestSchema.toJson(f.signer.postFarmer(postFarmerPayload(f, { launcherId: randomBytes(32) }))) as {
        payload: Record<string, unknown>;
        signature: string;
      };
      await expectRefused(() => postFarmer({ ...json, signature: '0x1234' }), PoolErrorCode.SERVER_EXCEPTION, /invalid request: signature must be 96 bytes of hex/);
      await expectRefused(() => postFarmer({ signature: json.signature }), PoolErrorCode.SERVER_EXCEPTION, /invalid request: .*payload/);
      await expectRefused(
        () => postFarmer({ ...json, payload: { ...json.payload, suggested_difficulty: -1 } }),
        PoolErrorCode.SERVER_EXCEPTION,
        /payload\.suggested_difficulty must be an unsigned 64-bit integer/,
      );
      await expectRefused(() => postFarmer('[1, 2, 3]'), PoolErrorCode.SERVER_EXCEPTION, /must be a JSON object/);
      // 48 bytes, but not a point: stored, it would make every later signature check fail.
      const notAKey = f.signer.postFarmer(postFarmerPayload(f, { launcherId: randomBytes(32), authenticationPublicKey: new Uint8Array(48).fill(0x11) }));
      await expectRefused(() => postFarmer(PostFarmerRequestSchema.toJson(notAKey)), PoolErrorCode.SERVER_EXCEPTION, /authentication_public_key is not a valid BLS public key/);
      await expectRefused(() => postFarmer('{"payload": '), PoolErrorCode.SERVER_EXCEPTION, /not valid JSON/);
    });
  });

  // ------------------------------------------------------------------ PUT /farmer

  describe('PUT /farmer', () => {
    it('7 INVALID_SIGNATURE: signed by a key other than the owner key, or not signed at all', async () => {
      const f = await registered('update: wrong signature');
      const payload = putFarmerPayload(f, { suggestedDifficulty: 10n });
      const byAuthKey = bls.sign(f.keys.authSk, PutFarmerPayloadSchema.hash(payload));
      await expectRefused(() => putFarmer(PutFarmerRequestSchema.toJson({ payload, signature: byAuthKey })), PoolErrorCode.INVALID_SIGNATURE, /owner key/);
      await expectRefused(() => putFarmer(PutFarmerRequestSchema.toJson({ payload, signature: null })), PoolErrorCode.INVALID_SIGNATURE, /owner key/);
      // Signed as the 5-field (chia 2.4.4) payload but sent as the 6-field one: the hashes differ.
      const legacySigned = bls.sign(f.keys.ownerSk, PutFarmerPayloadLegacySchema.hash(payload));
      await expectRefused(() => putFarmer(PutFarmerRequestSchema.toJson({ payload, signature: legacySigned })), PoolErrorCode.INVALID_SIGNATURE, /owner key/);
    });

    it('10 FARMER_NOT_KNOWN: an update for a plot NFT that never registered', async () => {
      const f = await member('update: not registered');
      await expectRefused(() => signedPutFarmer(f, { suggestedDifficulty: 10n }), PoolErrorCode.FARMER_NOT_KNOWN, /is not registered with this pool/);
    });

    it('12 INVALID_AUTHENTICATION_TOKEN: an update signed over a stale token', async () => {
      const f = await registered('update: stale token');
      await expectRefused(() => signedPutFarmer(f, { authenticationToken: staleToken(), suggestedDifficulty: 10n }), PoolErrorCode.INVALID_AUTHENTICATION_TOKEN, /outside the accepted window/);
    });

    it('13 INVALID_PAYOUT_INSTRUCTIONS: new payout instructions that are not an address or puzzle hash', async () => {
      const f = await registered('update: bad payout');
      await expectRefused(() => signedPutFarmer(f, { payoutInstructions: '0x1234' }), PoolErrorCode.INVALID_PAYOUT_INSTRUCTIONS, /must be an address or a 32-byte puzzle hash/);
    });

    it('16 REQUEST_FAILED: a second update within the cooldown', async () => {
      const f = await registered('update: twice');
      expect(await signedPutFarmer(f, { suggestedDifficulty: 7n })).toEqual({ status: 200, body: { authentication_public_key: false, payout_instructions: false, suggested_difficulty: true } });
      await expectRefused(() => signedPutFarmer(f, { suggestedDifficulty: 8n }), PoolErrorCode.REQUEST_FAILED, /was updated recently; try again in \d+ s/);
    });

    it('16 REQUEST_FAILED: a body larger than the limit', async () => {
      await expectRefused(() => putFarmer({ payload: {}, padding: 'a'.repeat(70_000) }), PoolErrorCode.REQUEST_FAILED, /larger than 65536 bytes/);
    });

    it('8 SERVER_EXCEPTION: malformed updates', async () => {
      const f = await registered('update: malformed');
      const json = PutFarmerRequestSchema.toJson(f.signer.putFarmer(putFarmerPayload(f, { suggestedDifficulty: 9n }))) as {
        payload: Record<string, unknown>;
        signature: string;
      };
      await expectRefused(
        () => putFarmer({ ...json, payload: { ...json.payload, authentication_public_key: '0x00' } }),
        PoolErrorCode.SERVER_EXCEPTION,
        /payload\.authentication_public_key must be 48 bytes of hex/,
      );
      await expectRefused(
        () => putFarmer({ ...json, payload: { ...json.payload, suggested_difficulty: `${1n << 64n}` } }),
        PoolErrorCode.SERVER_EXCEPTION,
        /suggested_difficulty must be an unsigned 64-bit integer/,
      );
      await expectRefused(() => putFarmer({ payload: 'x', signature: json.signature }), PoolErrorCode.SERVER_EXCEPTION, /invalid request: .*payload/);
      const notAKey = putFarmerPayload(f, { authenticationPublicKey: new Uint8Array(48).fill(0x11) });
      await expectRefused(
        () => putFarmer(PutFarmerRequestSchema.toJson(f.signer.putFarmer(notAKey))),
        PoolErrorCode.SERVER_EXCEPTION,
        /authentication_public_key is not a valid BLS public key/,
      );
    });
  });
});

// ---------------------------------------------------------------------- signed-request vectors

interface SignedRequests {
  common: { launcher_id: string; target_puzzle_hash: string; authentication_token: number; 'p2_singleton_puzzle_hash (pool_contract_puzzle_hash)': string };
  keys: Record<'owner_pk' | 'auth_pk' | 'plot_pk', string>;
  payloads: Record<string, { bytes_hex: string }>;
  signatures: Record<string, { signature: string }>;
}

/**
 * The generated signed requests (valid signatures over known payloads) pass the server's own checks: each is
 * read as a farmer would send it, through the protocol validation pipe and the controller's decoding, then
 * verified by the same code the routes run. Their launcher is not on the devnet, so this runs below HTTP.
 */
describeWithVectors<SignedRequests>('pool protocol v1: the signed-request vectors pass the server checks', 'protocol/signed_requests.json', (v) => {
  let bls: BlsBackend;
  beforeAll(async () => {
    bls = await loadBls();
  });

  const bytes = (name: string): Uint8Array => hexToBytes(v.payloads[name]!.bytes_hex);
  const signature = (name: string): Uint8Array => hexToBytes(v.signatures[name]!.signature, 96);
  const tampered = (sig: Uint8Array): Uint8Array => bls.aggregate([sig, bls.sign(hexToBytes('01'.repeat(32)), new Uint8Array(32))]);
  const body = (value: unknown, metatype: new () => object): Promise<unknown> => protocolValidationPipe.transform(value, { type: 'body', metatype });
  const launcherId = v.common.launcher_id;
  const p2 = v.common['p2_singleton_puzzle_hash (pool_contract_puzzle_hash)'];

  const registeredFarmer: () => RegisteredFarmer = () => ({
    status: 'registered',
    launcherId,
    authenticationPublicKey: v.keys.auth_pk,
    ownerPublicKey: v.keys.owner_pk,
    payoutInstructions: 'c2'.repeat(32),
    payoutPuzzleHash: 'c2'.repeat(32),
    p2SingletonPuzzleHash: p2,
    difficulty: 1n,
    previousDifficulty: null,
    graceUntil: null,
    isMember: true,
    lastUpdatedAt: null,
  });

  async function service(): Promise<V1Authentication> {
    const store = new InMemoryEventStore();
    const runner = new StreamCommandRunner(store);
    const farmer = registeredFarmer();
    await runner.run(farmerStream(launcherId), farmerDecider, {
      type: 'RegisterFarmer',
      launcherId,
      authenticationPublicKey: farmer.authenticationPublicKey,
      ownerPublicKey: farmer.ownerPublicKey,
      payoutInstructions: farmer.payoutInstructions,
      payoutPuzzleHash: farmer.payoutPuzzleHash,
      p2SingletonPuzzleHash: p2,
      delayTime: 604_800,
      delayPuzzleHash: '00'.repeat(32),
      difficulty: 1n,
      protocolVersion: 1,
      now: 0,
    });
    const base = loadPoolConfig({});
    const config = { ...base, settings: { ...base.settings, targetPuzzleHash: v.common.target_puzzle_hash, authenticationTokenTimeout: 5 } };
    // The vector token is floor(floor(1691366400 / 60) / 5); nothing here reaches the chain or the peak.
    return new V1Authentication(new FarmerRecords(runner), bls, config, () => 1_691_366_400);
  }

  it.each([
    ['get_farmer', 'v1_get_farmer'],
    ['get_login', 'v1_get_login'],
  ] as const)('%s: the query passes the pipe and the signature authenticates the registered farmer', async (method, name) => {
    const query = (sig: Uint8Array): Record<string, string> => ({
      launcher_id: `0x${launcherId}`,
      authentication_token: String(v.common.authentication_token),
      signature: bytesToHex(sig),
    });
    const farmers = await service();
    const checked = (await protocolValidationPipe.transform(query(signature(name)), { type: 'query', metatype: AuthenticatedQueryDto })) as AuthenticatedQueryDto;
    const authenticate = (sig: Uint8Array): Promise<RegisteredFarmer> =>
      farmers.authenticate(method, checked.launcher_id.replace(/^0x/, ''), BigInt(checked.authentication_token), sig);
    await expect(authenticate(hexToBytes(checked.signature, 96))).resolves.toMatchObject({ launcherId });
    await expect(authenticate(tampered(signature(name)))).rejects.toMatchObject({ code: PoolErrorCode.INVALID_SIGNATURE });
  });

  it('POST /farmer: the body passes the pipe and decodes to a payload the owner key signed', async () => {
    const json = PostFarmerRequestSchema.toJson({ payload: PostFarmerPayloadSchema.decode(bytes('post_farmer_payload')), signature: signature('v1_post_farmer') });
    const request = PostFarmerRequestSchema.fromJson((await body(json, PostFarmerRequestDto)) as never);
    const ownerPk = hexToBytes(v.keys.owner_pk, 48);
    expect(bytesToHex(request.payload.launcherId)).toBe(launcherId);
    expect(bls.verify(ownerPk, PostFarmerPayloadSchema.hash(request.payload), request.signature)).toBe(true);
    expect(bls.verify(ownerPk, PostFarmerPayloadSchema.hash(request.payload), tampered(request.signature))).toBe(false);
  });

  it.each([
    ['put_farmer_payload_5field', 'v1_put_farmer_5field', 'legacy'],
    ['put_farmer_payload_6field', 'v1_put_farmer_6field', 'current'],
  ] as const)('PUT /farmer (%s): read as the right edition, and its signed message verifies under the owner key', async (payloadName, sigName, edition) => {
    const json =
      edition === 'legacy'
        ? PutFarmerRequestLegacySchema.toJson({ payload: PutFarmerPayloadLegacySchema.decode(bytes(payloadName)), signature: signature(sigName) })
        : PutFarmerRequestSchema.toJson({ payload: PutFarmerPayloadSchema.decode(bytes(payloadName)), signature: signature(sigName) });
    const decoded = parsePutFarmerRequestJson(await body(json, PutFarmerRequestDto));
    expect(decoded.edition).toBe(edition);
    const ownerPk = hexToBytes(v.keys.owner_pk, 48);
    expect(bls.verify(ownerPk, putFarmerSignedMessage(decoded), decoded.request.signature!)).toBe(true);
    expect(bls.verify(ownerPk, putFarmerSignedMessage(decoded), tampered(decoded.request.signature!))).toBe(false);
  });

  it('POST /partial: the 2.4.4 body passes the pipe, its signature verifies, and validatePartial accepts its pool contract', async () => {
    const json = PostPartialRequestLegacySchema.toJson({
      payload: PostPartialPayloadSchema.decode(bytes('post_partial_payload')),
      aggregateSignature: signature('v1_post_partial'),
    });
    const { request } = parsePostPartialRequestJson(await body(json, PostPartialRequestDto));
    const unknownSignagePoint: PartialValidationContext = {
      crypto: new InProcessPartialVerifier(bls),
      chain: { getRecentSignagePointOrEos: async () => null },
      constants: posConstantsFor(DEVNET_NETWORK),
      partialTimeLimit: 25,
      nextHeight: () => Promise.resolve(1),
    };
    // Past the pool contract (9): the next check asks the node for the signage point, which it does not know.
    await expect(validatePartial(request, registeredFarmer(), 1_691_366_400, unknownSignagePoint)).rejects.toMatchObject({ code: PoolErrorCode.NOT_FOUND });
    // The signature is checked last (after every cheap check), so it is verified here on the job validatePartial sends.
    const signatureValid = async (sig: Uint8Array): Promise<boolean> =>
      (await new InProcessPartialVerifier(bls).verify(partialCryptoJob({ ...request, aggregateSignature: sig }, registeredFarmer()))).signatureValid;
    expect(await signatureValid(request.aggregateSignature)).toBe(true);
    expect(await signatureValid(tampered(request.aggregateSignature))).toBe(false);
  });
});
