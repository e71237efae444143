import { readFileSync } from 'node:fs';
import type { Server as HttpServer, ServerOptions as HttpServerOptions } from 'node:http';
import type { Server as HttpsServer, ServerOptions as HttpsServerOptions } from 'node:https';
import type { Socket } from 'node:net';
import type { ConnectionLimitSettings, TrustProxy } from '@pool/config';
import type { PoolMetrics } from '@pool/runtime';

/**
 * File descriptors kept free for everything the process opens besides client sockets: the worker's full-node and
 * wallet RPC connections (a fresh one for every state-changing call), the event store and read-model databases,
 * worker threads, certificate files. A few hundred cover them; a small limit keeps half for them instead.
 */
const RESERVED_DESCRIPTORS = 1024;

/** The soft open-file limit of this process (Node has already raised it to the hard limit at start), if known. */
export function openFileLimit(readLimits: () => string = () => readFileSync('/proc/self/limits', 'utf8')): number | undefined {
  try {
    const soft = /^Max open files\s+(\d+|unlimited)\s/m.exec(readLimits())?.[1];
    if (soft === undefined || soft === 'unlimited') return undefined;
    return Number(soft);
  } catch {
    // Not Linux (no /proc): the configured cap stands alone.
    return undefined;
  }
}

/**
 * The cap in force: the configured one, lowered so the client sockets can never take the descriptors the pool loops
 * need (an EMFILE there stops payouts and reward absorption, not only the api).
 */
export function connectionCap(configured: number, fileLimit: number | undefined): { cap: number; lowered: boolean } {
  if (fileLimit === undefined) return { cap: configured, lowered: false };
  const room = Math.max(1, fileLimit - Math.min(RESERVED_DESCRIPTORS, Math.floor(fileLimit / 2)));
  return room < configured ? { cap: room, lowered: true } : { cap: configured, lowered: false };
}

/**
 * Limits for the Node server Fastify creates, passed at its creation so they hold from the first connection.
 * Fastify's own defaults leave the whole-request time unlimited (requestTimeout 0): that is what let a body trickled
 * a byte at a time hold its socket for ever.
 */
export function nodeServerLimits(limits: ConnectionLimitSettings): HttpServerOptions {
  const headersTimeout = limits.headersTimeoutSeconds * 1000;
  const requestTimeout = limits.requestTimeoutSeconds * 1000;
  return {
    headersTimeout,
    requestTimeout,
    keepAliveTimeout: limits.keepAliveTimeoutSeconds * 1000,
    // Node checks the two limits above on this interval (30 s by default), so a socket could outlive its limit by
    // that much: check a few times per limit instead (a walk over the requests still arriving, cheap).
    connectionsCheckingInterval: Math.min(5_000, Math.max(250, Math.floor(Math.min(headersTimeout, requestTimeout) / 4))),
  };
}

/**
 * The FastifyAdapter options that carry the limits, for plain HTTP or (with `tls`, the certificate and key) HTTPS.
 * Fastify sets its requestTimeout and keepAliveTimeout on the server after creating it, so they must agree.
 */
export function fastifyConnectionOptions(
  limits: ConnectionLimitSettings,
  tls: HttpsServerOptions | undefined,
): { requestTimeout: number; keepAliveTimeout: number } & ({ http: HttpServerOptions } | { https: HttpsServerOptions }) {
  const node = nodeServerLimits(limits);
  const common = { requestTimeout: node.requestTimeout!, keepAliveTimeout: node.keepAliveTimeout! };
  // A client that never finishes the TLS handshake is not yet an HTTP request, so the limits above do not see it;
  // Node's own handshake limit would let it hold the socket for two minutes.
  return tls ? { ...common, https: { ...tls, ...node, handshakeTimeout: node.headersTimeout! } } : { ...common, http: node };
}

export interface ConnectionLimitsContext {
  metrics: PoolMetrics;
  /** A trusted proxy carries every client's requests, so counting by socket address would cap the proxy. */
  trustProxy: TrustProxy;
  /** The open-file limit to fit under; default: this process's. */
  fileLimit?: number;
  warn?: (message: string) => void;
}

/**
 * Caps the server's open connections (in total and per client address) and reports them: the open count, the
 * cap, refusals and timeouts. A refused connection is closed as it arrives, before any byte is read, so it costs
 * its descriptor for a moment only. Call before `listen`.
 */
export function installConnectionLimits(server: HttpServer | HttpsServer, limits: ConnectionLimitSettings, context: ConnectionLimitsContext): { cap: number } {
  const { metrics } = context;
  const fileLimit = context.fileLimit ?? openFileLimit();
  const { cap, lowered } = connectionCap(limits.maxConnections, fileLimit);
  if (lowered) {
    context.warn?.(
      `server.max_connections ${limits.maxConnections} lowered to ${cap}: the open-file limit is ${fileLimit} and the ` +
        'pool loops, node and database connections need the rest (raise the limit, e.g. LimitNOFILE= or ulimit -n, to allow more)',
    );
  }
  // Node closes connections beyond this as they are accepted, and says so with 'drop'.
  server.maxConnections = cap;
  metrics.httpMaxConnections.set(cap);
  server.on('drop', () => metrics.httpConnectionsRefused.inc({ cap: 'total' }));

  const perAddress = context.trustProxy === false ? limits.maxConnectionsPerAddress : 0;
  const byAddress = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const address = clientAddress(socket);
    if (perAddress > 0 && address !== undefined) {
      const held = byAddress.get(address) ?? 0;
      if (held >= perAddress) {
        metrics.httpConnectionsRefused.inc({ cap: 'per_address' });
        socket.destroy();
        return;
      }
      byAddress.set(address, held + 1);
    }
    metrics.httpOpenConnections.inc();
    socket.once('close', () => {
      metrics.httpOpenConnections.dec();
      if (perAddress > 0 && address !== undefined) {
        const left = (byAddress.get(address) ?? 1) - 1;
        if (left > 0) byAddress.set(address, left);
        else byAddress.delete(address);
      }
    });
  });

  // Counted beside Fastify's own handlers, which answer 408 and close: a listener here does not change that.
  server.on('clientError', (error: NodeJS.ErrnoException) => {
    if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') metrics.httpRequestTimeouts.inc({ phase: 'request' });
  });
  server.on('tlsClientError', (error: NodeJS.ErrnoException) => {
    if (error.code === 'ERR_TLS_HANDSHAKE_TIMEOUT') metrics.httpRequestTimeouts.inc({ phase: 'tls_handshake' });
  });
  return { cap };
}

/** One key per client host: an IPv4 client seen on a dual-stack socket as ::ffff:a.b.c.d is the same client. */
function clientAddress(socket: Socket): string | undefined {
  const address = socket.remoteAddress;
  return address?.startsWith('::ffff:') ? address.slice(7) : address;
}
