import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { bytesToHex, getCurrentAuthenticationToken, hexToBytes, PoolErrorCode } from '@pool/chia';
import { SimulatedFarmerV2, type SimulatedFarmer } from '@pool/devnet';
import { createApiServer, LOGIN_COOKIE, LoginSessions } from '@pool/api';
import { DevnetPoolHarness } from '../support';

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

/*
 * The v2 odds and ends, over HTTP against the api on the devnet: GET /v2/login (the link chia-blockchain main prints
 * for a v2 plot NFT) opens the same dashboard session as GET /login; /v2/auth takes a timestamp as far off as v1
 * takes a token and tells the farmer to renew before the JWT really expires; the session cookie is Secure when the
 * request came over HTTPS, as a trusted TLS proxy reports it.
 */
describe('v2 login, /v2/auth clock and expiration, Secure session cookie (devnet, HTTP)', () => {
  const harness = new DevnetPoolHarness('v2-login-and-auth');
  const { chain, clock } = harness;
  let v2: SimulatedFarmerV2;
  let v1: SimulatedFarmer;
  let sessions: LoginSessions;

  beforeAll(async () => {
    await harness.start();
    sessions = new LoginSessions(harness.config.settings.jwtSecretHex);
    v2 = new SimulatedFarmerV2(harness.farmerOptions('v2 farmer'));
    await v2.joinPool();
    v1 = harness.farmer('v1 farmer');
    await v1.joinPool();
    chain.farmBlock();
    expect(await v2.register()).toEqual({ welcome_message: expect.any(String) });
    expect(await v1.register()).toEqual({ welcome_message: expect.any(String) });
  });
  afterAll(() => harness.stop());

  /** Opens a login link as a browser does (Accept: text/html), without following the redirect. */
  const browse = (baseUrl: string, path: string, headers: Record<string, string> = {}): Promise<Response> =>
    fetch(`${baseUrl}${path}`, { headers: { accept: BROWSER_ACCEPT, ...headers }, redirect: 'manual' });

  const cookieValue = (setCookie: string): string => setCookie.split(';')[0]!.slice(LOGIN_COOKIE.length + 1);

  describe('GET /v2/login', () => {
    it('logs a v2 farmer in: a session cookie for its launcher and a redirect to the farmer area, which opens', async () => {
      const response = await browse(harness.poolUrl, v2.loginPath());
      expect(response.status).toBe(303);
      const page = response.headers.get('location');
      expect(page).toBe('/dashboard/account');
      const setCookie = response.headers.get('set-cookie') ?? '';
      expect(setCookie).toMatch(new RegExp(`^${LOGIN_COOKIE}=[^;]+; Path=/; Max-Age=1800; HttpOnly; SameSite=Lax$`));
      expect(sessions.verify(cookieValue(setCookie), harness.now())).toEqual({ launcherId: v2.launcherId, sessionId: expect.any(String), expiresAt: Math.floor(harness.now()) + 1800 });

      const farmerPage = await fetch(`${harness.poolUrl}${page}`, { headers: { accept: BROWSER_ACCEPT, cookie: setCookie.split(';')[0]! } });
      expect(farmerPage.status).toBe(200);
      expect(farmerPage.headers.get('content-type')).toMatch(/text\/html/);
      const area = await fetch(`${harness.poolUrl}/api/farmer-area`, { headers: { cookie: setCookie.split(';')[0]! } });
      expect(await area.json()).toMatchObject({ launcherId: v2.launcherId });
    });

    it('answers an API client with the farmer record, as GET /login does', async () => {
      expect(await v2.login()).toMatchObject({ farmer_record: { launcher_id: `0x${v2.launcherId}`, is_pool_member: true }, recent_partials: [] });
    });

    it('refuses a link signed with the authentication key itself (7), a v1 farmer (10) and a stale token (12), with no cookie', async () => {
      const token = getCurrentAuthenticationToken(harness.config.settings.authenticationTokenTimeout, Math.floor(harness.now()));
      // What a v1 link would carry: the same message signed by the underived key.
      const underived = v2.signer.authentication('get_login', hexToBytes(v2.launcherId, 32), hexToBytes(harness.poolTarget, 32), token);
      const v1Signed = `/v2/login?launcher_id=${v2.launcherId}&authentication_token=${token}&signature=${bytesToHex(underived)}`;
      const v1OnV2 = v1.loginPath().replace('/login', '/v2/login');
      const stale = v2.loginPath(token - BigInt(harness.config.settings.authenticationTokenTimeout) - 1n);
      for (const [path, code, message] of [
        [v1Signed, PoolErrorCode.INVALID_SIGNATURE, /12381-derived key/],
        [v1OnV2, PoolErrorCode.FARMER_NOT_KNOWN, /registered through protocol v1/],
        [stale, PoolErrorCode.INVALID_AUTHENTICATION_TOKEN, /outside the accepted window/],
      ] as const) {
        const response = await browse(harness.poolUrl, path);
        expect(response.status).toBe(200);
        expect(response.headers.get('set-cookie')).toBeNull();
        expect(await response.json()).toEqual({ error_code: code, error_message: expect.stringMatching(message) });
      }
    });
  });

  describe('GET /v2/auth', () => {
    const minutes = (n: number): bigint => BigInt(n * 60);
    const now = (): bigint => BigInt(Math.floor(harness.now()));

    it("takes a timestamp as far from the pool's clock as v1 takes a token (timeout² minutes), no further", async () => {
      // authentication_token_timeout 5: v1 accepts tokens within 5 five-minute periods, about 25 minutes either way.
      expect(harness.config.settings.authenticationTokenTimeout).toBe(5);
      for (const skew of [-20, 20]) {
        expect(await v2.authenticate(now() + minutes(skew))).toEqual({ authentication_token: expect.any(String), expiration: expect.any(Number) });
      }
      for (const skew of [-40, 40]) {
        expect(await v2.authenticate(now() + minutes(skew))).toEqual({ error_code: PoolErrorCode.INVALID_AUTHENTICATION_TOKEN, error_message: expect.stringMatching(/check your clock/) });
      }
    });

    it('answers an expiration a minute before the JWT expires, and the farmer renews before the pool would refuse it', async () => {
      const answer = await v2.authenticate();
      const issuedAt = Math.floor(harness.now());
      const claims = JSON.parse(Buffer.from(String(answer.authentication_token).split('.')[1]!, 'base64url').toString()) as { exp: number; iat: number };
      const lifetime = harness.config.settings.authenticationTokenTimeout * 60;
      expect(claims).toMatchObject({ iat: issuedAt, exp: issuedAt + lifetime });
      // max(60 s, 10 % of 300 s) before the real expiry.
      expect(answer.expiration).toBe(claims.exp - 60);

      // Past the advertised expiration, before the real one: the farmer asks for a new token instead of being refused.
      clock.advance((Number(answer.expiration) - issuedAt + 1) * 1000);
      const before = v2.authentications;
      expect(await v2.getFarmer()).toMatchObject({ current_difficulty: 1 });
      expect(v2.authentications).toBe(before + 1);
    });
  });

  describe('the session cookie is Secure over HTTPS', () => {
    let proxied: NestFastifyApplication;
    let proxiedUrl: string;

    beforeAll(async () => {
      // The same pool behind a TLS proxy it trusts (trust_proxy true): X-Forwarded-Proto says how the browser came.
      proxied = await createApiServer(
        {
          config: { ...harness.config, trustProxy: true },
          store: harness.store,
          readModels: harness.readModels,
          chain: harness.client,
          bls: harness.bls,
          constants: harness.constants,
          clock: harness.now,
        },
        ['error'],
      );
      await proxied.listen(0, '127.0.0.1');
      proxiedUrl = await proxied.getUrl();
    });
    afterAll(() => proxied.close());

    const setCookie = async (baseUrl: string, path: string, headers: Record<string, string> = {}): Promise<string> => {
      const response = await browse(baseUrl, path, headers);
      expect(response.status).toBe(303);
      return response.headers.get('set-cookie') ?? '';
    };

    it('plain HTTP: no Secure flag, even when an untrusted client claims X-Forwarded-Proto https', async () => {
      for (const path of [v1.loginPath(), v2.loginPath()]) {
        expect(await setCookie(harness.poolUrl, path)).not.toMatch(/Secure/);
        expect(await setCookie(harness.poolUrl, path, { 'x-forwarded-proto': 'https' })).not.toMatch(/Secure/);
      }
    });

    it('behind a trusted TLS proxy: Secure when it forwarded HTTPS, not when it forwarded HTTP', async () => {
      for (const path of [v1.loginPath(), v2.loginPath()]) {
        expect(await setCookie(proxiedUrl, path, { 'x-forwarded-proto': 'https' })).toMatch(/; HttpOnly; SameSite=Lax; Secure$/);
        expect(await setCookie(proxiedUrl, path, { 'x-forwarded-proto': 'http' })).not.toMatch(/Secure/);
      }
    });
  });
});
