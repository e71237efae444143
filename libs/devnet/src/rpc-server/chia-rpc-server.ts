import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { type IncomingMessage, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import {
  chiaRootTlsPaths,
  type ChiaRpcService,
  type JsonObject,
  JsonParseError,
  JsonReader,
  type JsonValue,
  parseChiaJson,
  stringifyChiaJson,
} from '@pool/chia';
import { errorAnswer } from './rpc-service-error';

/**
 * A Chia-style RPC service over HTTPS: `POST /<endpoint>` with a JSON body, mutual TLS against the CHIA_ROOT's
 * private CA (a client without a certificate signed by it is refused during the handshake), answers as Chia
 * writes them (HTTP 200, `success: true|false`, keys sorted, integers exact).
 */

/** Reads the request body (an object) and returns the answer's fields; a throw becomes `success: false`. */
export type RpcHandler = (request: JsonReader) => Promise<JsonObject>;
export type RpcRoutes = Readonly<Record<string, RpcHandler>>;

export interface RpcServerOptions {
  /** The CHIA_ROOT whose `config/ssl` holds the private CA and the service's own certificate. */
  chiaRoot: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: any free port (read it from the result). */
  port?: number;
  /** Larger request bodies are refused with HTTP 413. Default 16 MiB. */
  maxRequestBytes?: number;
  /** Told about failures the client only sees as an answer (handler errors) or not at all (TLS refusals). */
  onError?: (event: RpcServerErrorEvent) => void;
}

export interface RpcServerErrorEvent {
  /** Absent for failures before a request existed (a refused TLS handshake). */
  endpoint?: string;
  error: unknown;
}

export interface RunningRpcServer {
  host: string;
  port: number;
  /** Stops accepting, drops open (keep-alive) connections and resolves once the port is free. */
  close(): Promise<void>;
}

const DEFAULT_MAX_REQUEST_BYTES = 16 * 1024 * 1024;

export async function startChiaRpcServer(
  service: ChiaRpcService,
  routes: RpcRoutes,
  options: RpcServerOptions,
): Promise<RunningRpcServer> {
  // The service presents its own pair (`config/ssl/<service>/private_<service>.crt|key`), as Chia's does.
  const tls = loadServiceTls(service, options.chiaRoot);
  const maxRequestBytes = options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES;
  const served = withCommonRoutes(routes);
  const report = options.onError ?? (() => undefined);

  const server = createServer(
    { ...tls, requestCert: true, rejectUnauthorized: true, minVersion: 'TLSv1.2' },
    (req, res) => {
      handleRequest(req, res, served, maxRequestBytes, report).catch((error: unknown) => {
        report({ endpoint: endpointOf(req), error });
        if (!res.headersSent) sendJson(res, 500, errorAnswer(error));
        else res.destroy();
      });
    },
  );
  server.on('tlsClientError', (error) => report({ error }));

  const host = options.host ?? '127.0.0.1';
  await listen(server, options.port ?? 0, host);
  const port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    host,
    port,
    close: () => {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

function loadServiceTls(service: ChiaRpcService, chiaRoot: string): { ca: Buffer; cert: Buffer; key: Buffer } {
  const paths = chiaRootTlsPaths({ service, chiaRoot, clientIdentity: 'service' });
  const read = (path: string, what: string) => {
    try {
      return readFileSync(path);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`Cannot start the ${service} RPC service: no ${what} at ${path} (${reason}); ` +
        'ensureDevnetChiaRoot makes one', { cause: error });
    }
  };
  return {
    ca: read(paths.caCert, 'private CA certificate'),
    cert: read(paths.clientCert, 'service certificate'),
    key: read(paths.clientKey, 'service private key'),
  };
}

/**
 * The two endpoints every Chia service answers whatever it is: `healthz` (for health checks) and `get_routes`
 * (its endpoint list, each with a leading slash).
 */
function withCommonRoutes(routes: RpcRoutes): RpcRoutes {
  const all: Record<string, RpcHandler> = {
    ...routes,
    healthz: async () => ({}),
    get_routes: async () => ({ routes: Object.keys(all).map((name) => `/${name}`) }),
  };
  return all;
}

async function handleRequest(
  req: IncomingMessage,
  res: ServerResponse,
  routes: RpcRoutes,
  maxRequestBytes: number,
  report: (event: RpcServerErrorEvent) => void,
): Promise<void> {
  const endpoint = endpointOf(req);
  const handler = Object.hasOwn(routes, endpoint) ? routes[endpoint] : undefined;
  // Chia's web framework answers these itself, in plain text, before any handler runs.
  if (handler === undefined) return sendText(res, 404, '404: Not Found');
  if (req.method !== 'POST') return sendText(res, 405, '405: Method Not Allowed', { allow: 'POST' });

  const body = await readBody(req, maxRequestBytes);
  if (body === 'too-large') {
    res.setHeader('connection', 'close');
    return sendText(res, 413, '413: Request Entity Too Large');
  }
  let parsed: JsonValue;
  try {
    // An empty body counts as `{}`, so endpoints without arguments can be called with a bare POST.
    parsed = body.length === 0 ? {} : parseChiaJson(body.toString('utf8'));
  } catch (error) {
    if (!(error instanceof JsonParseError)) throw error;
    return sendJson(res, 400, errorAnswer(new Error(`request body is not JSON: ${error.message}`)));
  }

  let answer: JsonObject;
  try {
    const fields = await handler(JsonReader.of(parsed, '$'));
    answer = { ...fields, success: true };
    // Serialize inside the try: a value the implementation got wrong (an unsafe number) is its error too.
    return sendJson(res, 200, answer);
  } catch (error) {
    report({ endpoint, error });
    return sendJson(res, 200, errorAnswer(error));
  }
}

function endpointOf(req: IncomingMessage): string {
  const path = (req.url ?? '/').split('?')[0];
  return path.startsWith('/') ? path.slice(1) : path;
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      if (!tooLarge) chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, answer: JsonObject): void {
  // Serialized before anything is written, so a failure here can still become an error answer.
  const text = stringifyChiaJson(sortKeys(answer));
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
  res.end(text);
}

/** Chia writes its answers with sorted keys; doing the same keeps captured traffic comparable. */
function sortKeys(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  const sorted: JsonObject = {};
  for (const key of Object.keys(value).sort()) {
    const item = value[key];
    if (item !== undefined) sorted[key] = sortKeys(item);
  }
  return sorted;
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
