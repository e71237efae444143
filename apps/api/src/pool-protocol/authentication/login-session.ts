import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The cookie GET /login sets for a browser, read by the farmer area (apps/api/src/farmer-area). */
export const LOGIN_COOKIE = 'pool_session';

/** Seconds a login session lasts: long enough to look around the dashboard, short enough that a shared link goes stale. */
export const LOGIN_SESSION_SECONDS = 30 * 60;

export interface LoginSession {
  launcherId: string;
  /** 128 random bits (base64url): names the session in the private farmer_sessions table, where it can be revoked. */
  sessionId: string;
  /** Unix seconds on the pool's clock. */
  expiresAt: number;
}

// v1 cookies carried no session id, so nothing could revoke them: they are refused and the farmer logs in again.
const VERSION = 'v2';

/**
 * Signed login sessions: `v2.<launcherId>.<sessionId>.<expiresAt>.<HMAC-SHA256>`. The signature and the expiry are
 * checked here, by any api instance with the same key, so a session cannot be extended or moved to another launcher
 * without the key; whether it was revoked since is the farmer_sessions table's answer (FarmerSessions).
 *
 * The key comes from the settings: the pool's JWT secret, run through HMAC with a fixed label so a session
 * cookie can never pass as a v2 JWT signature or the other way round.
 */
export class LoginSessions {
  private readonly key: Buffer;

  constructor(
    secretHex: string,
    private readonly ttlSeconds = LOGIN_SESSION_SECONDS,
  ) {
    if (!/^[0-9a-f]{64,}$/i.test(secretHex)) throw new RangeError('the login session secret must be at least 32 bytes of hex');
    this.key = createHmac('sha256', Buffer.from(secretHex, 'hex')).update('chia-pool-ledger login session').digest();
  }

  get lifetimeSeconds(): number {
    return this.ttlSeconds;
  }

  issue(launcherId: string, now: number, sessionId: string = randomBytes(16).toString('base64url')): { value: string; session: LoginSession } {
    const expiresAt = Math.floor(now) + this.ttlSeconds;
    const body = `${VERSION}.${launcherId}.${sessionId}.${expiresAt}`;
    return { value: `${body}.${this.mac(body)}`, session: { launcherId, sessionId, expiresAt } };
  }

  /** The session a cookie value proves, or null when it is forged, altered, malformed or expired. */
  verify(value: string | undefined, now: number): LoginSession | null {
    if (!value) return null;
    const parts = value.split('.');
    if (parts.length !== 5 || parts[0] !== VERSION || !/^[0-9a-f]{64}$/.test(parts[1]!) || !/^[\w-]{22}$/.test(parts[2]!) || !/^\d{1,12}$/.test(parts[3]!)) return null;
    const body = parts.slice(0, 4).join('.');
    if (!this.matches(parts[4]!, this.mac(body))) return null;
    const expiresAt = Number(parts[3]);
    return now < expiresAt ? { launcherId: parts[1]!, sessionId: parts[2]!, expiresAt } : null;
  }

  /**
   * The session's CSRF token: what a page of the farmer area sends back with every change (x-csrf-token). Derived
   * from the session id under another label, so it needs no storage and a page on another origin cannot know it.
   */
  csrfToken(session: LoginSession): string {
    return this.mac(`csrf.${session.launcherId}.${session.sessionId}`);
  }

  checkCsrfToken(session: LoginSession, token: string | undefined): boolean {
    return token !== undefined && this.matches(token, this.csrfToken(session));
  }

  /**
   * The MAC exactly as this pool spells it, compared in constant time. Not its decoded bytes: the last of 43 base64url
   * characters carries 2 bits that decoding drops, so 4 spellings decode to the same MAC, and a value with its last
   * character changed was accepted (the spec that alters one failed 1 run in 16).
   */
  private matches(given: string, expected: string): boolean {
    const a = Buffer.from(given, 'utf8');
    const b = Buffer.from(expected, 'utf8');
    return a.length === b.length && timingSafeEqual(a, b);
  }

  /** A Set-Cookie header that removes the session cookie (after the farmer ended the session). */
  clearCookie(secure: boolean): string {
    return [`${LOGIN_COOKIE}=`, 'Path=/', 'Max-Age=0', 'HttpOnly', 'SameSite=Lax', ...(secure ? ['Secure'] : [])].join('; ');
  }

  /** The Set-Cookie header for a session; `secure` when the request came over HTTPS. */
  cookie(value: string, secure: boolean): string {
    return [`${LOGIN_COOKIE}=${value}`, 'Path=/', `Max-Age=${this.ttlSeconds}`, 'HttpOnly', 'SameSite=Lax', ...(secure ? ['Secure'] : [])].join('; ');
  }

  private mac(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}

/** The value of the login cookie in a Cookie header, if any. */
export function loginCookieValue(cookieHeader: string | undefined): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === LOGIN_COOKIE) return rest.join('=');
  }
  return undefined;
}

/**
 * Browsers (Accept naming text/html) get a session and the dashboard; API clients (Accept naming
 * application/json, or no preference at all, like the reference pool's callers) get JSON.
 */
export function wantsBrowserLogin(accept: string | undefined): boolean {
  if (!accept) return false;
  const types = accept.split(',').map((t) => t.split(';')[0]!.trim().toLowerCase());
  if (types.includes('application/json')) return false;
  return types.includes('text/html');
}

/** Where a browser goes after logging in: the farmer area (its settings), which knows the farmer from the session. */
export const FARMER_AREA_PATH = '/dashboard/account';
