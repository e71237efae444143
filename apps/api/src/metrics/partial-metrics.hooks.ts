import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type PoolMetrics } from '@pool/runtime';

const PARTIAL_ROUTES: ReadonlyMap<string, string> = new Map([
  ['/partial', 'v1'],
  ['/v2/partial', 'v2'],
]);
const started = new WeakMap<FastifyRequest, { version: string; start: bigint }>();

/**
 * Counts every partial answer and times it, at the HTTP edge: every way a partial can end (accepted, refused by
 * any check, refused by the body parser, crashed) passes through onSend, so no code path can forget to count.
 * The pool protocol answers refusals with HTTP 200 and `{"error_code": n}`, which is what is read here.
 */
export function installPartialMetrics(fastify: FastifyInstance, metrics: PoolMetrics): void {
  fastify.addHook('onRequest', async (request) => {
    // The route the router matched, not the raw URL: `/p%61rtial` is a partial like `/partial` and must be counted
    // (the "no partial accepted" and "mostly rejected" alerts read this counter).
    const version = request.method === 'POST' && request.routeOptions.url !== undefined ? PARTIAL_ROUTES.get(request.routeOptions.url) : undefined;
    if (version !== undefined) started.set(request, { version, start: process.hrtime.bigint() });
  });
  fastify.addHook('onSend', async (request, reply, payload) => {
    const timing = started.get(request);
    if (timing === undefined) return payload;
    started.delete(request);
    const { version, start } = timing;
    const text = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : '';
    const code = /"error_code"\s*:\s*(\d+)/.exec(text)?.[1];
    const result = reply.statusCode !== 200 ? 'error' : code === undefined ? 'accepted' : 'rejected';
    metrics.partials.inc({ version, result, error_code: code ?? '' });
    metrics.partialSeconds.observe({ result }, Number(process.hrtime.bigint() - start) / 1e9);
    return payload;
  });
}
