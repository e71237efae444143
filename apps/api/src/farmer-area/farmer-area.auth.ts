import { ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { CLOCK, type Clock } from '@pool/runtime';
import type { FastifyRequest } from 'fastify';
import { loginCookieValue, LoginSessions, type LoginSession } from '../pool-protocol/authentication/login-session';
import { FarmerSessions } from './sessions/farmer-sessions';

/** The header a farmer area page sends its session's CSRF token in. */
export const CSRF_HEADER = 'x-csrf-token';

/**
 * Who is asking in the farmer area: the farmer whose signed, unexpired session cookie names a session that is still
 * open in farmer_sessions (401 otherwise: log in again with `chia plotnft get_login_link`). A change must also come
 * from a page of this pool: the cookie is SameSite=Lax (another site's form cannot send it with a POST), the request's
 * Origin and Sec-Fetch-Site, when the browser sends them, name this origin, and it carries the session's CSRF token.
 */
@Injectable()
export class FarmerAreaAuth {
  constructor(
    private readonly cookies: LoginSessions,
    private readonly sessions: FarmerSessions,
    @Inject(CLOCK) private readonly now: Clock,
  ) {}

  async session(request: FastifyRequest): Promise<LoginSession> {
    const now = this.now();
    const session = this.cookies.verify(loginCookieValue(request.headers.cookie), now);
    if (session === null || !(await this.sessions.isOpen(session, now))) {
      throw new UnauthorizedException('no open farmer session: open the login link your farmer prints (chia plotnft get_login_link)');
    }
    return session;
  }

  async change(request: FastifyRequest): Promise<LoginSession> {
    const session = await this.session(request);
    const origin = request.headers.origin;
    if (origin !== undefined && origin !== `${request.protocol}://${request.headers.host ?? ''}`) throw new ForbiddenException(`a change from ${origin} is refused: only this pool's pages may change settings`);
    const site = request.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin') throw new ForbiddenException('a change from another site is refused');
    const token = request.headers[CSRF_HEADER];
    if (!this.cookies.checkCsrfToken(session, typeof token === 'string' ? token : undefined)) {
      throw new ForbiddenException('the CSRF token is missing or wrong: reload the farmer area');
    }
    return session;
  }
}
