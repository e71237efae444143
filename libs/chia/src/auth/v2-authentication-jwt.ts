import { SignJWT, errors as joseErrors, jwtVerify } from 'jose';
import { bytesToHex } from '../util/hex';

/*
 * Pool protocol v2 `authentication_token_v2`: an HS256 JWT the pool issues on GET /v2/auth and checks on
 * GET/PUT /v2/farmer and /v2/partial. Claims as in pool2-reference: sub = launcher id (lowercase hex, no 0x),
 * iat = issue time, exp = iat + timeout minutes; valid while exp >= now. The HMAC key belongs to the pool and
 * is passed in; the clock is passed in too.
 */

export const JWT_ALGORITHM = 'HS256';
/** RFC 7518 §3.2: an HS256 key must be at least as long as the hash output. */
export const MIN_JWT_KEY_BYTES = 32;

export type AuthenticationJwtFailure =
  | 'expired'
  | 'bad-signature'
  | 'wrong-algorithm'
  | 'wrong-subject'
  | 'missing-claim'
  | 'malformed';

/** Why a token was refused; every reason maps to INVALID_AUTHENTICATION_TOKEN (12) on the wire. */
export class AuthenticationJwtError extends Error {
  override readonly name = 'AuthenticationJwtError';

  constructor(
    readonly reason: AuthenticationJwtFailure,
    message: string,
  ) {
    super(message);
  }
}

export interface IssueAuthenticationJwtInput {
  readonly launcherId: Uint8Array;
  readonly nowUnixSeconds: number;
  /** The pool's `authentication_token_timeout`. */
  readonly timeoutMinutes: number;
  readonly key: Uint8Array;
}

export interface IssuedAuthenticationJwt {
  readonly token: string;
  /** Unix seconds, the `expiration` of GetAuthResponse (equals the exp claim). */
  readonly expiration: bigint;
}

export async function issueAuthenticationJwt(input: IssueAuthenticationJwtInput): Promise<IssuedAuthenticationJwt> {
  checkKey(input.key);
  const now = wholeSeconds(input.nowUnixSeconds);
  if (!Number.isInteger(input.timeoutMinutes) || input.timeoutMinutes < 1) {
    throw new RangeError(`timeoutMinutes must be a positive integer, got ${input.timeoutMinutes}`);
  }
  const expiration = now + input.timeoutMinutes * 60;
  const token = await new SignJWT({})
    .setProtectedHeader({ alg: JWT_ALGORITHM, typ: 'JWT' })
    .setSubject(launcherSubject(input.launcherId))
    .setIssuedAt(now)
    .setExpirationTime(expiration)
    .sign(input.key);
  return { token, expiration: BigInt(expiration) };
}

export interface VerifyAuthenticationJwtInput {
  readonly token: string;
  /** The launcher id the request is about; the token must have been issued for it. */
  readonly launcherId: Uint8Array;
  readonly nowUnixSeconds: number;
  readonly key: Uint8Array;
}

export interface VerifiedAuthenticationJwt {
  readonly issuedAt: number;
  readonly expiresAt: number;
}

/** Resolves with the token's times, or rejects with an {@link AuthenticationJwtError} naming the reason. */
export async function verifyAuthenticationJwt(input: VerifyAuthenticationJwtInput): Promise<VerifiedAuthenticationJwt> {
  checkKey(input.key);
  if (typeof input.token !== 'string' || input.token === '') {
    throw new AuthenticationJwtError('malformed', 'no authentication_token_v2 was sent');
  }
  const now = wholeSeconds(input.nowUnixSeconds);
  let payload;
  try {
    ({ payload } = await jwtVerify(input.token, input.key, {
      algorithms: [JWT_ALGORITHM],
      currentDate: new Date(now * 1000),
      requiredClaims: ['sub', 'exp', 'iat'],
      // jose treats exp == now as expired; pool2-reference accepts exp >= now. One second of tolerance
      // on the exp check makes the two agree (we issue no nbf, the only other claim it would relax).
      clockTolerance: 1,
    }));
  } catch (error) {
    throw translateJoseError(error);
  }
  const expected = launcherSubject(input.launcherId);
  if (payload.sub !== expected) {
    throw new AuthenticationJwtError('wrong-subject', `token was issued for launcher ${String(payload.sub)}, not ${expected}`);
  }
  return { issuedAt: payload.iat as number, expiresAt: payload.exp as number };
}

function translateJoseError(error: unknown): AuthenticationJwtError {
  if (error instanceof joseErrors.JWTExpired) {
    return new AuthenticationJwtError('expired', 'authentication token has expired');
  }
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) {
    return new AuthenticationJwtError('bad-signature', 'authentication token signature is invalid');
  }
  if (error instanceof joseErrors.JOSEAlgNotAllowed) {
    return new AuthenticationJwtError('wrong-algorithm', `authentication token must be signed with ${JWT_ALGORITHM}`);
  }
  if (error instanceof joseErrors.JWTClaimValidationFailed && /missing/.test(error.message)) {
    return new AuthenticationJwtError('missing-claim', `authentication token lacks a claim: ${error.message}`);
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new AuthenticationJwtError('malformed', `authentication token is not a valid JWT: ${detail}`);
}

function launcherSubject(launcherId: Uint8Array): string {
  if (!(launcherId instanceof Uint8Array) || launcherId.length !== 32) {
    throw new RangeError('launcherId must be 32 bytes');
  }
  return bytesToHex(launcherId);
}

function checkKey(key: Uint8Array): void {
  if (!(key instanceof Uint8Array) || key.length < MIN_JWT_KEY_BYTES) {
    throw new RangeError(`the JWT key must be at least ${MIN_JWT_KEY_BYTES} bytes`);
  }
}

function wholeSeconds(now: number): number {
  if (!Number.isFinite(now) || now < 0) throw new RangeError(`the current time must be a non-negative number, got ${now}`);
  return Math.floor(now);
}
