import { loginCookieValue, LoginSessions, wantsBrowserLogin } from './login-session';

const LAUNCHER = 'ab'.repeat(32);

describe('login sessions', () => {
  const sessions = new LoginSessions('42'.repeat(32), 600);

  it('issues a cookie that proves the launcher and its session until it expires', () => {
    const { value, session } = sessions.issue(LAUNCHER, 1000.7);
    expect(session).toEqual({ launcherId: LAUNCHER, sessionId: expect.stringMatching(/^[\w-]{22}$/), expiresAt: 1600 });
    expect(sessions.verify(value, 1599)).toEqual(session);
    expect(sessions.verify(value, 1600)).toBeNull();
    // Each login is a session of its own.
    expect(sessions.issue(LAUNCHER, 1000).session.sessionId).not.toBe(session.sessionId);
  });

  it("derives a CSRF token per session that another session's does not pass for", () => {
    const a = sessions.issue(LAUNCHER, 1000).session;
    const b = sessions.issue(LAUNCHER, 1000).session;
    expect(sessions.checkCsrfToken(a, sessions.csrfToken(a))).toBe(true);
    expect(sessions.checkCsrfToken(a, sessions.csrfToken(b))).toBe(false);
    expect(sessions.checkCsrfToken(a, undefined)).toBe(false);
    expect(sessions.checkCsrfToken(a, '')).toBe(false);
  });

  it('refuses altered, foreign and malformed values', () => {
    const { value } = sessions.issue(LAUNCHER, 1000);
    const [version, launcher, id, expiresAt, mac] = value.split('.') as [string, string, string, string, string];
    const flipped = mac.slice(0, -1) + (mac.endsWith('A') ? 'B' : 'A');
    for (const bad of [
      [version, launcher, id, expiresAt, flipped].join('.'),
      [version, 'cd'.repeat(32), id, expiresAt, mac].join('.'),
      [version, launcher, 'A'.repeat(22), expiresAt, mac].join('.'),
      [version, launcher, id, '99999', mac].join('.'),
      ['v3', launcher, id, expiresAt, mac].join('.'),
      // A cookie of the version before sessions could be ended: no session id, so refused.
      ['v1', launcher, expiresAt, mac].join('.'),
      `${value}.extra`,
      '',
      undefined,
    ]) {
      expect(sessions.verify(bad, 1001)).toBeNull();
    }
    expect(new LoginSessions('43'.repeat(32), 600).verify(value, 1001)).toBeNull();
  });

  it("refuses every other spelling of the same MAC (the last character's 2 bits that base64url decoding drops)", () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const { value } = sessions.issue(LAUNCHER, 1000);
    const last = alphabet.indexOf(value.at(-1)!);
    const sameBytes = [0, 1, 2, 3].map((low) => alphabet[(last & ~3) | low]!).filter((c) => c !== value.at(-1));
    expect(sameBytes).toHaveLength(3);
    for (const c of sameBytes) {
      const respelled = value.slice(0, -1) + c;
      expect(Buffer.from(respelled.split('.')[4]!, 'base64url')).toEqual(Buffer.from(value.split('.')[4]!, 'base64url'));
      expect(sessions.verify(respelled, 1001)).toBeNull();
    }
    expect(sessions.verify(value, 1001)).not.toBeNull();
  });

  it('needs a real key', () => {
    expect(() => new LoginSessions('00')).toThrow(/at least 32 bytes/);
  });

  it('writes an HttpOnly, SameSite cookie, Secure over HTTPS, and finds it again in a Cookie header', () => {
    const { value } = sessions.issue(LAUNCHER, 0);
    expect(sessions.cookie(value, false)).toBe(`pool_session=${value}; Path=/; Max-Age=600; HttpOnly; SameSite=Lax`);
    expect(sessions.cookie(value, true)).toMatch(/; Secure$/);
    expect(sessions.clearCookie(false)).toBe('pool_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax');
    expect(loginCookieValue(`theme=dark; pool_session=${value}; other=1`)).toBe(value);
    expect(loginCookieValue('theme=dark')).toBeUndefined();
    expect(loginCookieValue(undefined)).toBeUndefined();
  });

  it('tells browsers from API clients by their Accept header', () => {
    expect(wantsBrowserLogin('text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8')).toBe(true);
    expect(wantsBrowserLogin('application/json')).toBe(false);
    expect(wantsBrowserLogin('application/json, text/html')).toBe(false);
    expect(wantsBrowserLogin('*/*')).toBe(false);
    expect(wantsBrowserLogin(undefined)).toBe(false);
  });
});
