import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { PoolErrorCode, PostPartialRequestLegacySchema, parseChiaJson, stringifyChiaJson, type PostPartialRequest } from '@pool/chia';
import { PARTIAL_CRYPTO, type PartialCryptoVerifier } from '@pool/api';
import { type SimulatedFarmer } from '@pool/devnet';
import { DevnetPoolHarness, expectLedgerAudits } from '../support';

type Answer = Record<string, unknown>;

/** One request from the loopback address `from` (Linux answers for all of 127.0.0.0/8), so tests can be many clients. */
function send(poolUrl: string, from: string, method: 'GET' | 'POST', path: string, body?: string): Promise<Answer> {
  const url = new URL(path, poolUrl);
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: `${url.pathname}${url.search}`,
        method,
        localAddress: from,
        rejectUnauthorized: false,
        headers: body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          try {
            expect(res.statusCode).toBe(200);
            resolve(parseChiaJson(Buffer.concat(chunks).toString('utf8')) as Answer);
          } catch (error) {
            reject(error as Error);
          }
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Issue 13 item 8 over HTTP against the devnet: rate limits per client address and per launcher id, answered in
 * the protocol's format, and checked before any signature or proof is verified.
 */
describe('rate limits on the pool protocol', () => {
  const PER_ADDRESS = 10;
  const PER_LAUNCHER = 15;
  // The forged partials below are made before the registrations move the clock on: a day's time limit keeps them in
  // time, so they pass every cheap check and reach the signature check, the crypto the limits must come before.
  const harness = new DevnetPoolHarness('rate-limits', {
    settings: { partialTimeLimit: 24 * 3600 },
    rateLimits: { enabled: true, perAddressPerMinute: PER_ADDRESS, perLauncherPerMinute: PER_LAUNCHER },
  });
  const { chain } = harness;
  let f: SimulatedFarmer;
  let g: SimulatedFarmer;
  let verify: jest.SpyInstance;
  let bodies: { f: string[]; g: string[] };

  /** A partial of `farmer` carrying another partial's signature: well formed, refused by the BLS check (7). */
  function badSignaturePartial(farmer: SimulatedFarmer): string {
    const [partial, other] = [farmer.nextPartial(), farmer.nextPartial()];
    const forged: PostPartialRequest = { ...partial, aggregateSignature: other.aggregateSignature };
    return stringifyChiaJson(PostPartialRequestLegacySchema.toJson(forged));
  }
  const postPartial = (from: string, body: string): Promise<Answer> => send(harness.poolUrl, from, 'POST', '/partial', body);

  beforeAll(async () => {
    await harness.start();
    // The farmers join and register from 127.0.0.1; the tests below are other clients.
    [f, g] = [harness.farmer('f'), harness.farmer('g')];
    for (const farmer of [f, g]) await farmer.joinPool();
    chain.farmBlocks(6);
    // Made before registering: walking signage points moves the (manual) clock the budgets refill by; from the
    // registrations on it stands still, so the counts below are exact.
    bodies = { f: [badSignaturePartial(f), badSignaturePartial(f), badSignaturePartial(f)], g: [badSignaturePartial(g), badSignaturePartial(g)] };
    for (const farmer of [f, g]) expect(await farmer.register()).toEqual({ welcome_message: expect.any(String) });
    verify = jest.spyOn(harness.app.get<PartialCryptoVerifier>(PARTIAL_CRYPTO, { strict: false }), 'verify');
  });
  afterAll(() => harness.stop());

  it('refuses the request past the address budget in the protocol format, before any crypto, and leaves other addresses alone', async () => {
    const body = bodies.f[0]!;
    for (let i = 0; i < PER_ADDRESS; i++) expect(await postPartial('127.0.0.2', body)).toMatchObject({ error_code: PoolErrorCode.INVALID_SIGNATURE });
    expect(verify).toHaveBeenCalledTimes(PER_ADDRESS);

    const limited = await postPartial('127.0.0.2', body);
    expect(limited).toEqual({
      error_code: PoolErrorCode.REQUEST_FAILED,
      error_message: expect.stringMatching(new RegExp(`^rate limit: more than ${PER_ADDRESS} requests a minute from your address 127\\.0\\.0\\.2; try again in [1-9] s$`)),
    });
    // The address's budget covers every protocol route, /pool_info included, however the path is spelt.
    expect(await send(harness.poolUrl, '127.0.0.2', 'GET', '/pool_info')).toMatchObject({ error_code: PoolErrorCode.REQUEST_FAILED });
    expect(await send(harness.poolUrl, '127.0.0.2', 'POST', '/p%61rtial', body)).toMatchObject({ error_code: PoolErrorCode.REQUEST_FAILED });
    expect(verify).toHaveBeenCalledTimes(PER_ADDRESS);

    // Another client, another farmer: untouched.
    expect(await postPartial('127.0.0.3', bodies.g[0]!)).toMatchObject({ error_code: PoolErrorCode.INVALID_SIGNATURE });
    expect(await send(harness.poolUrl, '127.0.0.3', 'GET', '/pool_info')).toMatchObject({ name: expect.any(String) });
    expect(verify).toHaveBeenCalledTimes(PER_ADDRESS + 1);
  });

  it("refuses a launcher's requests past its budget from any address, before any crypto; other launchers go on", async () => {
    const body = bodies.g[1]!;
    verify.mockClear();
    // One request from each of many addresses, all naming g: the launcher's budget is what runs out.
    const answers: Answer[] = [];
    for (let i = 1; i <= PER_LAUNCHER; i++) answers.push(await postPartial(`127.0.1.${i}`, body));
    const refusedAt = answers.findIndex((answer) => answer.error_code === PoolErrorCode.REQUEST_FAILED);
    // g spent one request registering and one in the test above.
    expect(refusedAt).toBe(PER_LAUNCHER - 2);
    expect(answers[refusedAt]).toEqual({
      error_code: PoolErrorCode.REQUEST_FAILED,
      error_message: expect.stringMatching(new RegExp(`^rate limit: more than ${PER_LAUNCHER} requests a minute for launcher ${g.launcherId}; try again in [1-9] s$`)),
    });
    expect(answers.slice(refusedAt).every((answer) => answer.error_code === PoolErrorCode.REQUEST_FAILED)).toBe(true);
    expect(verify).toHaveBeenCalledTimes(refusedAt);

    // Every route that names the launcher shares its budget (GET /farmer names it in the query).
    expect(await send(harness.poolUrl, '127.0.2.1', 'GET', `/farmer?launcher_id=${g.launcherId}&authentication_token=1&signature=00`)).toMatchObject({
      error_code: PoolErrorCode.REQUEST_FAILED,
      error_message: expect.stringMatching(/^rate limit: .* for launcher /),
    });
    expect(await postPartial('127.0.2.2', bodies.f[1]!)).toMatchObject({ error_code: PoolErrorCode.INVALID_SIGNATURE });
  });

  it('leaves a ledger that still audits', () => expectLedgerAudits(harness.store));
});

describe('rate limits switched off', () => {
  const harness = new DevnetPoolHarness('rate-limits-off', { rateLimits: { enabled: false, perAddressPerMinute: 1, perLauncherPerMinute: 1 } });
  beforeAll(() => harness.start());
  afterAll(() => harness.stop());

  it('lets every request through to its own answer', async () => {
    const launcherId = 'ab'.repeat(32);
    for (let i = 0; i < 5; i++) {
      expect(await send(harness.poolUrl, '127.0.0.2', 'GET', '/pool_info')).toMatchObject({ name: expect.any(String) });
      // Its own answer: the token is long expired.
      expect(await send(harness.poolUrl, '127.0.0.2', 'GET', `/farmer?launcher_id=${launcherId}&authentication_token=1&signature=${'00'.repeat(96)}`)).toMatchObject({
        error_code: PoolErrorCode.INVALID_AUTHENTICATION_TOKEN,
      });
    }
  });
});
