import type { FastifyInstance, FastifyRequest } from 'fastify';

/** The pool protocol's routes, v1 and v2: what a browser-based pool list or explorer may want to read. */
const PROTOCOL_ROUTES = new Set(['/pool_info', '/farmer', '/partial', '/login']);

export function isCorsProtocolRoute(url: string): boolean {
  const path = url.split('?', 1)[0]!;
  return PROTOCOL_ROUTES.has(path) || path.startsWith('/v2/');
}

/** Preflight answers may be cached this long (seconds): the rule never changes while the pool runs. */
const PREFLIGHT_MAX_AGE = '86400';

/**
 * `Access-Control-Allow-Origin: *` on every answer of the protocol routes, errors included, as both references send
 * it (pool-reference `pool/pool_server.py` adds it to each response; pool2-reference `farmer_rpc.py` too), and an
 * answer to a browser's preflight (OPTIONS) for them. Farmers do not need it (they are not browsers); web pages
 * that list pools read /pool_info with it. Nothing here carries credentials, so the wildcard is safe. The read API
 * and the dashboard are served from this origin and get no header.
 */
export function installProtocolCors(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    if (request.method !== 'OPTIONS' || !isCorsProtocolRoute(request.url)) return done();
    void reply
      .code(204)
      .headers({
        'access-control-allow-origin': '*',
        'access-control-allow-methods': 'GET, POST, PUT, OPTIONS',
        'access-control-allow-headers': requestedHeaders(request),
        'access-control-max-age': PREFLIGHT_MAX_AGE,
      })
      .send();
  });
  fastify.addHook('onSend', (request, reply, payload, done) => {
    if (isCorsProtocolRoute(request.url)) void reply.header('access-control-allow-origin', '*');
    done(null, payload);
  });
}

/** The headers the page asked to send (e.g. content-type for a JSON POST); the protocol itself reads no others. */
function requestedHeaders(request: FastifyRequest): string {
  const asked = request.headers['access-control-request-headers'];
  return typeof asked === 'string' && asked.length > 0 ? asked : 'content-type';
}
