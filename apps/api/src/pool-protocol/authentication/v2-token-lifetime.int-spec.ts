import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { hexToBytes, issueAuthenticationJwt, PoolErrorCode } from '@pool/chia';
import { loadPoolConfig } from '@pool/config';
import { InMemoryEventStore } from '@pool/event-store';
import { ReadModelDatabase } from '@pool/read-models';
import { apiDepsWithoutChain } from '@pool/testing';
import { SignJWT, type JWTPayload } from 'jose';
import { createApiServer } from '../../api-server';

/**
 * The v2 JWT's lifetime is the pool's, whatever the token says: tokens forged with the pool's own key (as anyone
 * holding a leaked or reused key can) but a far exp, no exp or iat, or an iat ahead are refused with 12 over real
 * HTTP; a token as /v2/auth mints it passes the JWT check (and reaches the next one: this farmer is unknown, 10).
 */
describe('v2 JWT lifetime', () => {
  const secretHex = 'c0ffee'.padEnd(64, '9e3779b97f4a7c15f39cc0605cedc834');
  const key = hexToBytes(secretHex, 32);
  const launcherId = 'ab'.repeat(32);
  const timeoutMinutes = 5;
  let app: NestFastifyApplication;
  let url: string;
  let readModels: ReadModelDatabase;

  beforeAll(async () => {
    readModels = await ReadModelDatabase.open('sqlite::memory:');
    const base = loadPoolConfig({});
    const config = { ...base, port: 0, host: '127.0.0.1', settings: { ...base.settings, jwtSecretHex: secretHex, authenticationTokenTimeout: timeoutMinutes } };
    app = await createApiServer(await apiDepsWithoutChain(config, new InMemoryEventStore(), readModels), ['error']);
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  });
  afterAll(async () => {
    await app.close();
    await readModels.close();
  });

  const forge = (claims: JWTPayload): Promise<string> => new SignJWT({ sub: launcherId, ...claims }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(key);
  const getFarmer = async (token: string): Promise<{ error_code?: number; error_message?: string }> => {
    const response = await fetch(`${url}/v2/farmer?launcher_id=${launcherId}&authentication_token_v2=${token}`);
    expect(response.status).toBe(200);
    return (await response.json()) as { error_code?: number; error_message?: string };
  };

  it('accepts a token as /v2/auth mints it', async () => {
    const { token } = await issueAuthenticationJwt({ launcherId: hexToBytes(launcherId, 32), nowUnixSeconds: Date.now() / 1000, timeoutMinutes, key });
    expect(await getFarmer(token)).toMatchObject({ error_code: PoolErrorCode.FARMER_NOT_KNOWN });
  });

  it('refuses a validly signed token that expires in the year 3000, or lives longer than the pool issues', async () => {
    const now = Math.floor(Date.now() / 1000);
    const year3000 = Math.floor(Date.UTC(3000, 0, 1) / 1000);
    for (const claims of [
      { iat: now, exp: year3000 },
      { iat: now, exp: now + 365 * 86_400 },
      // Just past the lifetime plus the skew.
      { iat: now, exp: now + timeoutMinutes * 60 + 61 },
      // An old iat does not make room for a far exp either.
      { iat: now - 86_400, exp: now + 86_400 - 1 },
    ]) {
      expect({ claims, answer: await getFarmer(await forge(claims)) }).toEqual({
        claims,
        answer: { error_code: PoolErrorCode.INVALID_AUTHENTICATION_TOKEN, error_message: expect.stringMatching(/lives longer than the pool's 5-minute token lifetime.*GET \/v2\/auth/) },
      });
    }
  });

  it('refuses tokens without exp or iat, or issued in the future', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect(await getFarmer(await forge({ iat: now }))).toMatchObject({ error_code: PoolErrorCode.INVALID_AUTHENTICATION_TOKEN, error_message: expect.stringMatching(/lacks a claim/) });
    expect(await getFarmer(await forge({ exp: now + 60 }))).toMatchObject({ error_code: PoolErrorCode.INVALID_AUTHENTICATION_TOKEN, error_message: expect.stringMatching(/lacks a claim/) });
    expect(await getFarmer(await forge({ iat: now + 3600, exp: now + 3600 + 60 }))).toMatchObject({
      error_code: PoolErrorCode.INVALID_AUTHENTICATION_TOKEN,
      error_message: expect.stringMatching(/issued in the future/),
    });
  });
});
