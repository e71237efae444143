import { type CanActivate, type ExecutionContext, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { type PoolConfig } from '@pool/config';
import { POOL_CONFIG } from '@pool/runtime';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { routedPath } from '../routed-path';

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/**
 * `x-api-key` must equal the configured operator key. Without a configured key every request is refused the same
 * way, so nothing tells a caller whether the endpoints exist, are disabled, or the key was wrong. Hashing both
 * sides first makes the comparison constant-time whatever the lengths.
 */
@Injectable()
export class OperatorKeyGuard implements CanActivate {
  private readonly expected: Buffer | undefined;

  constructor(@Inject(POOL_CONFIG) config: PoolConfig) {
    this.expected = config.operatorApiKey ? digest(config.operatorApiKey) : undefined;
  }

  canActivate(context: ExecutionContext): boolean {
    const header = context.switchToHttp().getRequest<FastifyRequest>().headers['x-api-key'];
    const given = Array.isArray(header) ? header[0] : header;
    if (this.expected === undefined || typeof given !== 'string' || !timingSafeEqual(digest(given), this.expected)) {
      throw new UnauthorizedException();
    }
    return true;
  }
}

/** /api/operator and everything under it, as the router sees the path (see routedPath). */
export function isOperatorPath(path: string): boolean {
  return path === '/api/operator' || path.startsWith('/api/operator/');
}

/**
 * The same check before the handler, for every path under /api/operator: an unknown operator path answers 401
 * like a known one, so probing without the key learns nothing, not even which routes exist. The path is the
 * decoded one the router matched: `/api/%6Fperator/x` is under /api/operator too.
 */
export function installOperatorKeyCheck(fastify: FastifyInstance, config: PoolConfig): void {
  const expected = config.operatorApiKey ? digest(config.operatorApiKey) : undefined;
  fastify.addHook('onRequest', async (request, reply) => {
    if (!isOperatorPath(routedPath(request))) return;
    const header = request.headers['x-api-key'];
    const given = Array.isArray(header) ? header[0] : header;
    if (expected === undefined || typeof given !== 'string' || !timingSafeEqual(digest(given), expected)) {
      await reply.code(401).header('content-type', 'application/json; charset=utf-8').send('{"statusCode":401,"message":"Unauthorized"}');
    }
  });
}
