import { createHmac } from 'node:crypto';
import { SignJWT, UnsecuredJWT, decodeJwt, decodeProtectedHeader } from 'jose';
import { bytesToHex } from '../util/hex';
import {
  AuthenticationJwtError,
  type AuthenticationJwtFailure,
  issueAuthenticationJwt,
  verifyAuthenticationJwt,
} from './v2-authentication-jwt';

const key = new Uint8Array(32).fill(0x5a);
const otherKey = new Uint8Array(32).fill(0x33);
const launcherId = Uint8Array.from({ length: 32 }, (_, index) => index + 1);
const otherLauncher = new Uint8Array(32).fill(0xee);
const issuedAt = 1_700_000_000;
const timeoutMinutes = 10;

function base64url(data: string | Buffer): string {
  return Buffer.from(data).toString('base64url');
}

/** An HS256 token assembled by hand (what PyJWT produces), independent of the code under test. */
function handMadeToken(payload: object, secret: Uint8Array, header: object = { alg: 'HS256', typ: 'JWT' }): string {
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  const signature = createHmac('sha256', secret).update(signingInput).digest();
  return `${signingInput}.${base64url(signature)}`;
}

async function expectRejection(promise: Promise<unknown>, reason: AuthenticationJwtFailure): Promise<void> {
  await expect(promise).rejects.toBeInstanceOf(AuthenticationJwtError);
  await expect(promise).rejects.toMatchObject({ reason });
}

describe('v2 authentication JWT', () => {
  it('issues an HS256 JWT with sub = launcher hex, iat = now, exp = now + timeout minutes', async () => {
    const issued = await issueAuthenticationJwt({ launcherId, nowUnixSeconds: issuedAt, timeoutMinutes, key });
    expect(issued.expiration).toBe(BigInt(issuedAt + 600));
    expect(decodeProtectedHeader(issued.token)).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(decodeJwt(issued.token)).toEqual({ sub: bytesToHex(launcherId), iat: issuedAt, exp: issuedAt + 600 });
  });

  it('verifies its own token until exp inclusive and reports expiry after', async () => {
    const { token } = await issueAuthenticationJwt({ launcherId, nowUnixSeconds: issuedAt, timeoutMinutes, key });
    await expect(verifyAuthenticationJwt({ token, launcherId, key, nowUnixSeconds: issuedAt })).resolves.toEqual({
      issuedAt,
      expiresAt: issuedAt + 600,
    });
    await expect(verifyAuthenticationJwt({ token, launcherId, key, nowUnixSeconds: issuedAt + 600 })).resolves.toBeDefined();
    await expectRejection(verifyAuthenticationJwt({ token, launcherId, key, nowUnixSeconds: issuedAt + 601 }), 'expired');
  });

  it('accepts a token built the way PyJWT builds it (interoperability)', async () => {
    const token = handMadeToken({ sub: bytesToHex(launcherId), exp: issuedAt + 60, iat: issuedAt }, key);
    await expect(verifyAuthenticationJwt({ token, launcherId, key, nowUnixSeconds: issuedAt + 30 })).resolves.toEqual({
      issuedAt,
      expiresAt: issuedAt + 60,
    });
  });

  it('refuses a token signed with another key or altered after signing', async () => {
    const { token } = await issueAuthenticationJwt({ launcherId, nowUnixSeconds: issuedAt, timeoutMinutes, key: otherKey });
    await expectRejection(verifyAuthenticationJwt({ token, launcherId, key, nowUnixSeconds: issuedAt }), 'bad-signature');

    const genuine = handMadeToken({ sub: bytesToHex(launcherId), exp: issuedAt + 60, iat: issuedAt }, key);
    const [header, , signature] = genuine.split('.');
    const forgedPayload = base64url(JSON.stringify({ sub: bytesToHex(launcherId), exp: issuedAt + 999_999, iat: issuedAt }));
    await expectRejection(
      verifyAuthenticationJwt({ token: `${header}.${forgedPayload}.${signature}`, launcherId, key, nowUnixSeconds: issuedAt }),
      'bad-signature',
    );
  });

  it('refuses other algorithms, including an unsecured token', async () => {
    const claims = { sub: bytesToHex(launcherId), exp: issuedAt + 60, iat: issuedAt };
    const hs512 = await new SignJWT(claims).setProtectedHeader({ alg: 'HS512' }).sign(new Uint8Array(64).fill(1));
    await expectRejection(verifyAuthenticationJwt({ token: hs512, launcherId, key, nowUnixSeconds: issuedAt }), 'wrong-algorithm');
    const unsecured = new UnsecuredJWT(claims).encode();
    await expectRejection(verifyAuthenticationJwt({ token: unsecured, launcherId, key, nowUnixSeconds: issuedAt }), 'wrong-algorithm');
  });

  it('refuses a token issued for another launcher', async () => {
    const { token } = await issueAuthenticationJwt({ launcherId: otherLauncher, nowUnixSeconds: issuedAt, timeoutMinutes, key });
    await expectRejection(verifyAuthenticationJwt({ token, launcherId, key, nowUnixSeconds: issuedAt }), 'wrong-subject');
  });

  it('refuses a token without exp', async () => {
    const token = handMadeToken({ sub: bytesToHex(launcherId), iat: issuedAt }, key);
    await expectRejection(verifyAuthenticationJwt({ token, launcherId, key, nowUnixSeconds: issuedAt }), 'missing-claim');
  });

  it.each(['', 'not-a-jwt', 'a.b.c', '5637888'])('refuses the malformed token %j', async (token) => {
    await expectRejection(verifyAuthenticationJwt({ token, launcherId, key, nowUnixSeconds: issuedAt }), 'malformed');
  });

  it('requires a key of at least 32 bytes and sane inputs', async () => {
    await expect(
      issueAuthenticationJwt({ launcherId, nowUnixSeconds: issuedAt, timeoutMinutes, key: new Uint8Array(16) }),
    ).rejects.toThrow(/at least 32 bytes/);
    await expect(issueAuthenticationJwt({ launcherId, nowUnixSeconds: issuedAt, timeoutMinutes: 0, key })).rejects.toThrow(
      /positive integer/,
    );
    await expect(
      issueAuthenticationJwt({ launcherId: new Uint8Array(31), nowUnixSeconds: issuedAt, timeoutMinutes, key }),
    ).rejects.toThrow(/32 bytes/);
  });
});
