import { hexToBytes, PostPartialRequestLegacySchema, type PostPartialRequest } from '@pool/chia';
import { type SimulatedFarmer } from '@pool/devnet';
import { type SqliteEventStore } from '@pool/event-store';
import { DevnetPoolHarness, factsHead } from '../support';

/**
 * The pool protocol end to end: a devnet node served over mutual-TLS RPC, the pool api reaching it through
 * its real client, and simulated farmers with real plot NFTs, real plots and real signatures.
 */
describe('pool protocol against the devnet', () => {
  const harness = new DevnetPoolHarness('pool-protocol');
  const { chain, clock } = harness;
  let store: SqliteEventStore;
  let farmers = 0;
  const farmer = (): SimulatedFarmer => harness.farmer(String(farmers++));

  beforeAll(async () => {
    await harness.start();
    store = harness.store;
  });
  afterAll(() => harness.stop());

  /** Launches the farmer's plot NFT and buries it past the pool's confirmation threshold. */
  async function joined(f: SimulatedFarmer): Promise<SimulatedFarmer> {
    await f.joinPool();
    chain.farmBlocks(6);
    return f;
  }

  /** Walks signage points until the farmer has `count` partials, submitting each; returns the answers. */
  async function farmPartials(f: SimulatedFarmer, count: number): Promise<{ request: PostPartialRequest; answer: Record<string, unknown> }[]> {
    const sent: { request: PostPartialRequest; answer: Record<string, unknown> }[] = [];
    for (let sp = 0; sp < 2000 && sent.length < count; sp++) {
      chain.advanceSignagePoints(1);
      for (const request of f.partialsFor(chain.latestSignagePoint(), chain.peakHeight() + 1)) {
        sent.push({ request, answer: await f.submit(request) });
        if (sent.length === count) break;
      }
    }
    return sent;
  }

  it('lets a farmer register, read itself back, and have its partials recorded once each', async () => {
    const f = await joined(farmer());
    expect(await f.register()).toEqual({ welcome_message: expect.any(String) });
    expect(await f.getFarmer()).toMatchObject({ current_difficulty: 1, authentication_public_key: expect.stringMatching(/^0x/) });

    const sent = await farmPartials(f, 3);
    expect(sent).toHaveLength(3);
    for (const { answer } of sent) expect(answer).toEqual({ new_difficulty: 1 });

    const submitted = (await store.readAll({ filter: { types: ['PartialSubmitted'] } })).filter(
      (e) => (e.data as { launcherId: string }).launcherId === f.launcherId,
    );
    expect(submitted).toHaveLength(3);
    expect(submitted.every((e) => (e.data as { points: string }).points === '1')).toBe(true);

    // The same proof again: refused, and nothing more is written.
    const again = await f.submit(sent[0]!.request);
    expect(again).toMatchObject({ error_code: 16, error_message: expect.stringMatching(/already submitted/) });
    expect((await store.readAll({ filter: { types: ['PartialSubmitted'] } })).length).toBeGreaterThanOrEqual(3);
  });

  it('refuses partials with a wrong signature, for an unknown farmer, or sent too late, writing nothing', async () => {
    const f = await joined(farmer());
    await f.register();
    const [{ request }] = await farmPartials(f, 1);
    const before = await factsHead(store);

    // A second, fresh partial to tamper with.
    let fresh: PostPartialRequest | undefined;
    for (let sp = 0; sp < 2000 && !fresh; sp++) {
      chain.advanceSignagePoints(1);
      fresh = f.partialsFor(chain.latestSignagePoint(), chain.peakHeight() + 1)[0];
    }
    const tampered = { ...fresh!, aggregateSignature: request!.aggregateSignature };
    expect(await f.submit(tampered)).toMatchObject({ error_code: 7 });

    const stranger = await joined(farmer());
    expect(await stranger.getFarmer()).toMatchObject({ error_code: 10 });

    clock.advance(60_000); // the signage point is now a minute old
    expect(await f.submit(fresh!)).toMatchObject({ error_code: 2, error_message: expect.stringMatching(/after the signage point/) });
    expect(await factsHead(store)).toBe(before);
  });

  it('refuses malformed bodies with a clear protocol error', async () => {
    const f = await joined(farmer());
    await f.register();
    const answer = await f.post('/partial', { payload: { launcher_id: 'zz' }, aggregate_signature: '0x00' }, 'POST');
    expect(answer).toMatchObject({ error_code: 8, error_message: expect.stringMatching(/invalid request: .*launcher_id/) });
    const json = PostPartialRequestLegacySchema.toJson({
      payload: {
        launcherId: hexToBytes(f.launcherId, 32),
        authenticationToken: 0n,
        proofOfSpace: {
          challenge: new Uint8Array(32),
          poolPublicKey: null,
          poolContractPuzzleHash: new Uint8Array(32),
          plotPublicKey: new Uint8Array(48),
          version: 0,
          plotIndex: 0,
          metaGroup: 0,
          strength: 0,
          size: 18,
          proof: new Uint8Array(144),
        },
        spHash: new Uint8Array(32),
        endOfSubSlot: false,
        harvesterId: new Uint8Array(32),
      },
      aggregateSignature: new Uint8Array(96),
    });
    expect(await f.post('/partial', json, 'POST')).toMatchObject({ error_code: 12 });
  });
});
