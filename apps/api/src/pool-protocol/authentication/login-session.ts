import { createHmac, timingSafeEqual } from 'node:crypto';

/** The cookie GET /login sets for a browser, read by the dashboard's farmer page. */
export const LOGIN_COOKIE = 'pool_session';

/** Seconds a login session lasts: long enough to look around the dashboard, short enough that a shared link goes stale. */
export const LOGIN_SESSION_SECONDS = 30 * 60;

export interface LoginSession {
  launcherId: string;
  /** Unix seconds on the pool's clock. */
  expiresAt: number;
}

const VERSION = 'v1';

/**
 * Signed, self-contained login sessions: `v1.<launcherId>.<expiresAt>.<HMAC-SHA256>`. Nothing is stored, so
 * any api instance with the same key accepts the cookie, and a session cannot be extended or moved to another
 * launcher without the key.
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

  issue(launcherId: string, now: number): { value: string; session: LoginSession } {
    const expiresAt = Math.floor(now) + this.ttlSeconds;
    const body = `${VERSION}.${launcherId}.${expiresAt}`;
    return { value: `${body}.${this.mac(body)}`, session: { launcherId, expiresAt } };
  }

  /** The session a cookie value proves, or null when it is forged, altered, malformed or expired. */
  verify(value: string | undefined, now: number): LoginSession | null {
    if (!value) return null;
    const parts = value.split('.');
    if (parts.length !== 4 || parts[0] !== VERSION || !/^[0-9a-f]{64}$/.test(parts[1]!) || !/^\d{1,12}$/.test(parts[2]!)) return null;
    const body = parts.slice(0, 3).join('.');
    const given = Buffer.from(parts[3]!, 'base64url');
    const expected = Buffer.from(this.mac(body), 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    const expiresAt = Number(parts[2]);
    return now < expiresAt ? { launcherId: parts[1]!, expiresAt } : null;
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

/** Where a browser goes after logging in (the dashboard's farmer page). */
export const dashboardFarmerPath = (launcherId: string): string => `/dashboard/farmer/${launcherId}`;
