import { createServer, type Server } from 'node:http';
import { type PoolMetrics } from '@pool/runtime';
import { type PoolLoops } from './pool-loops';

/**
 * The worker's own /metrics (its lease and chain-follower gauges) and /health, for Prometheus and the orchestrator;
 * it serves nothing else: farmers and users talk to the api.
 */
export function startWorkerHttp(metrics: PoolMetrics, loops: PoolLoops, port: number, host: string): Promise<Server> {
  const server = createServer((request, response) => {
    if (request.method === 'GET' && request.url === '/metrics') {
      void metrics.registry.metrics().then(
        (text) => response.writeHead(200, { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' }).end(text),
        (error: unknown) => response.writeHead(500).end(String(error)),
      );
      return;
    }
    if (request.method === 'GET' && request.url === '/health') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ok', leaseHeld: loops.lease.isHolder }));
      return;
    }
    response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'not found' }));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
