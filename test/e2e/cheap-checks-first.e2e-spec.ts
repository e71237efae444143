import { randomUUID } from 'node:crypto';
import { getCurrentAuthenticationToken, hexToBytes, PoolErrorCode, PutFarmerRequestSchema, stringifyChiaJson, parseChiaJson, type PutFarmerPayload } from '@pool/chia';
import { FarmerSigner, farmerKeysFromSeed, MisbehavingFarmer, type SimulatedFarmer } from '@pool/devnet';
import { farmerStream, PAYOUT_LEDGER_EVENT_TYPES } from '@pool/domain';
import { type ReadAllOptions } from '@pool/event-sourcing';
import { PARTIAL_CRYPTO, type PartialCryptoVerifier } from '@pool/api';
import { DevnetPoolHarness, factsHead, registeredEvent, syntheticLauncherId, expectLedgerAudits } from '../support';

/*
 * Issue 14, item 2: what a request costs the pool before it is refused. Over HTTP against the api on the devnet:
 * a forged PUT /farmer never makes the node follow the plot NFT's history; a forged partial reaches the crypto
 * workers only once it passes every cheap check, and a sender whose partials keep failing them is refused at the
 * door; an unknown farmer's statement is answered without replaying the ledger, and replays are bounded.
 */
describe('cheap checks before expensive ones (devnet, HTTP)', () => {
  const harness = new DevnetPoolHarness('cheap-checks-first');
  const { chain } = harness;
  /** Every RPC the api makes to the node goes through its connection's one request method. */
  let rpcs: jest.SpyInstance;

  beforeAll(async () => {
    await harness.start();
    const connection = (harness.client as unknown as { connection: object }).connection;
    rpcs = jest.spyOn(connection as { callCountingAttempts(endpoint: string): Promise<unknown> }, 'callCountingAttempts');
  });
  afterAll(() => harness.stop());

  async function registered(f: SimulatedFarmer): Promise<SimulatedFarmer> {
    await f.joinPool();
    chain.farmBlocks(6);
    expect(await f.register()).toEqual({ welcome_message: expect.any(String) });
    return f;
  }

  async function send(method: 'PUT' | 'GET', path: string, body?: unknown): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
    const response = await fetch(`${harness.poolUrl}${path}`, {
      method,
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: stringifyChiaJson(body) }),
    });
    return { status: response.status, headers: response.headers, body: parseChiaJson(await response.text()) as Record<string, unknown> };
  }

  describe('PUT /farmer', () => {
    const payloadFor = (launcherId: string): PutFarmerPayload => ({
      launcherId: hexToBytes(launcherId, 32),
      authenticationToken: getCurrentAuthenticationToken(harness.config.settings.authenticationTokenTimeout, Math.floor(harness.now())),
      authenticationPublicKey: null,
      payoutInstructions: null,
      suggestedDifficulty: 12n,
      authenticationTokenV2: '',
    });

    it('refuses a registered launcher with a forged or missing signature without a single RPC to the node, and still takes the owner’s update', async () => {
      const f = await registered(harness.farmer('put owner'));
      const forger = new FarmerSigner(harness.bls, farmerKeysFromSeed(harness.bls, harness.hash('put forger')));
      const head = await harness.store.headPosition();
      rpcs.mockClear();

      const forged = await send('PUT', '/farmer', PutFarmerRequestSchema.toJson(forger.putFarmer(payloadFor(f.launcherId))));
      const unsigned = await send('PUT', '/farmer', PutFarmerRequestSchema.toJson({ payload: payloadFor(f.launcherId), signature: null }));
      for (const answer of [forged, unsigned]) {
        expect(answer).toMatchObject({
          status: 200,
          body: { error_code: PoolErrorCode.INVALID_SIGNATURE, error_message: expect.stringMatching(/does not verify with the plot NFT's owner key registered with this pool/) },
        });
      }
      // PUT /v2/farmer authenticates with its JWT (an HMAC) before anything else, so a forged one costs no RPC either.
      const forgedJwt = await send('PUT', '/v2/farmer', PutFarmerRequestSchema.toJson({ payload: { ...payloadFor(f.launcherId), authenticationTokenV2: 'a.b.c' }, signature: null }));
      expect(forgedJwt.body).toMatchObject({ error_code: PoolErrorCode.INVALID_AUTHENTICATION_TOKEN });
      expect(rpcs).not.toHaveBeenCalled();
      expect(await harness.store.headPosition()).toEqual(head);

      // The owner's own update still reads the plot NFT's latest state from the node (its key may have moved on).
      expect(await f.updateFarmer({ suggestedDifficulty: 12n })).toEqual({ authentication_public_key: false, payout_instructions: false, suggested_difficulty: true });
      expect(rpcs.mock.calls.map(([endpoint]) => endpoint)).toEqual(expect.arrayContaining(['get_blockchain_state', 'get_coin_record_by_name']));
    });
  });

  describe('POST /partial', () => {
    let verify: jest.SpyInstance;
    let mallory: MisbehavingFarmer;
    beforeAll(async () => {
      verify = jest.spyOn(harness.app.get<PartialCryptoVerifier>(PARTIAL_CRYPTO, { strict: false }), 'verify');
      mallory = (await registered(new MisbehavingFarmer(harness.farmerOptions('farmer cheap mallory')))) as MisbehavingFarmer;
    });

    it('refuses a forged partial failing a cheap check without handing it to the crypto workers', async () => {
      verify.mockClear();
      const { answer } = await mallory.sendWrongPuzzleHashPartial(harness.hash('not a plot NFT of this pool').toString('hex'));
      expect(answer).toMatchObject({ error_code: PoolErrorCode.INVALID_P2_SINGLETON_PUZZLE_HASH });
      const late = await mallory.sendLatePartial(harness.config.settings.partialTimeLimit);
      expect(late.answer).toMatchObject({ error_code: PoolErrorCode.TOO_LATE });
      expect(verify).not.toHaveBeenCalled();
    });

    it('refuses at the door a sender whose partials for a launcher keep failing their signature, and no one else', async () => {
      const forged = mallory;
      const bystander = await registered(harness.farmer('bystander'));
      verify.mockClear();
      // 20 failures (the default budget) in 10 minutes: each passes every cheap check (a live signage point, the
      // farmer's pool contract, a plot passing the filter), reaches the workers and is refused for its signature.
      const { request: garbage, answer: first } = await forged.sendWronglySignedPartial();
      expect(first).toMatchObject({ error_code: PoolErrorCode.INVALID_SIGNATURE });
      for (let i = 1; i < 20; i++) expect(await forged.submit(garbage)).toMatchObject({ error_code: PoolErrorCode.INVALID_SIGNATURE });
      expect(verify).toHaveBeenCalledTimes(20);

      verify.mockClear();
      // The refused-partials log is not a fact: a refusal adds none.
      const before = await factsHead(harness.store);
      const refused = await forged.replayPartial(garbage);
      expect(refused.answer).toEqual({
        error_code: PoolErrorCode.REQUEST_FAILED,
        error_message: expect.stringMatching(
          new RegExp(`^20 partials for launcher ${forged.launcherId} from your address 127\\.0\\.0\\.1 failed their signature or proof check within 10 minutes; its partials from that address are refused unchecked for \\d+ s more$`),
        ),
      });
      expect(verify).not.toHaveBeenCalled();
      expect(await factsHead(harness.store)).toEqual(before);

      // Another farmer's partials are checked and credited as ever.
      expect(await bystander.submit(bystander.nextPartial())).toEqual({ new_difficulty: expect.anything() });
      expect(verify).toHaveBeenCalledTimes(1);
    });
  });

  describe('GET /api/farmers/:launcherId/statement', () => {
    /** A statement replay's read: the payout ledger's event types (other readers of the api read other types). */
    const isReplay = (options?: ReadAllOptions): boolean =>
      JSON.stringify(options?.filter?.types ?? []) === JSON.stringify(PAYOUT_LEDGER_EVENT_TYPES);

    it('answers 404 for a launcher the ledger never registered, without replaying the ledger', async () => {
      const reads = jest.spyOn(harness.store, 'readAll');
      try {
        const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => send('GET', `/api/farmers/${syntheticLauncherId(9000 + i)}/statement`)));
        expect(answers.map((a) => a.status)).toEqual(Array(50).fill(404));
        expect(answers[0]!.body).toMatchObject({ message: `no farmer with launcher id ${syntheticLauncherId(9000)} is in the ledger` });
        expect(reads.mock.calls.filter(([options]) => isReplay(options))).toEqual([]);
      } finally {
        reads.mockRestore();
      }
    });

    it('replays at most 8 farmers at once and refuses the next with 503 and a Retry-After, answering the others', async () => {
      const farmers = Array.from({ length: 9 }, (_, i) => syntheticLauncherId(8000 + i));
      for (const f of farmers) {
        const { type, data } = registeredEvent(f, Math.floor(harness.now()));
        await harness.store.append(farmerStream(f), [{ id: randomUUID(), type, data }], { expectedRevision: 'any' });
      }
      // Hold the ledger reads of the replays so that they are all waiting when the ninth farmer asks.
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const readAll = harness.store.readAll.bind(harness.store);
      const readStream = harness.store.readStream.bind(harness.store);
      const replays = jest.spyOn(harness.store, 'readAll').mockImplementation(async (...args) => {
        if (isReplay(args[0])) await held;
        return readAll(...args);
      });
      // The known-farmer checks that have answered: once all eight have, their replays are queued.
      let checked = 0;
      const checks = jest.spyOn(harness.store, 'readStream').mockImplementation(async (...args) => {
        const events = await readStream(...args);
        if (farmers.some((f) => args[0] === farmerStream(f))) checked++;
        return events;
      });
      try {
        const queued = farmers.slice(0, 8).map((f) => send('GET', `/api/farmers/${f}/statement`));
        while (checked < 8) await new Promise((resolve) => setTimeout(resolve, 10));
        await new Promise((resolve) => setTimeout(resolve, 50));
        const refused = await send('GET', `/api/farmers/${farmers[8]}/statement`);
        expect(refused.status).toBe(503);
        expect(refused.body).toMatchObject({ message: expect.stringMatching(/statements are already being replayed from the ledger; try again in \d+ s/) });
        expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
        release();
        expect((await Promise.all(queued)).map((a) => [a.status, a.body.launcherId])).toEqual(farmers.slice(0, 8).map((f) => [200, f]));
        expect((await send('GET', `/api/farmers/${farmers[8]}/statement`)).status).toBe(200);
      } finally {
        release();
        replays.mockRestore();
        checks.mockRestore();
      }
    });
  });

  it('leaves a ledger that still audits', () => expectLedgerAudits(harness.store));
});
