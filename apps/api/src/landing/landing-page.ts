import type { FastifyInstance } from 'fastify';
import { DASHBOARD_PREFIX } from '../dashboard/dashboard.static';

/**
 * `/` is where a person lands who types the pool URL (the one farmers are given) into a browser: the dashboard is
 * the pool's face, so they are sent there rather than shown the protocol's "no such route" JSON. A temporary
 * redirect (302), so browsers do not remember it if the pool ever gets a page of its own at `/`.
 */
export function installLandingPage(fastify: FastifyInstance): void {
  fastify.get('/', (_request, reply) => reply.redirect(DASHBOARD_PREFIX, 302));
}
