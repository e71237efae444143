import { Agent, request } from 'node:https';
import { type IncomingMessage } from 'node:http';
import { ChiaRpcError, type ChiaRpcErrorDetails, type ChiaStructuredError } from './chia-rpc-error';
import { type ChiaTlsMaterial } from './chia-tls';
import { type JsonObject, JsonParseError, parseChiaJson, stringifyChiaJson } from '../util/json-bigint';
import { isJsonObject, JsonReader, JsonShapeError } from './json-reader';

export interface ChiaRpcConnectionOptions {
  host: string;
  port: number;
  tls: ChiaTlsMaterial;
  /** Time limit of one attempt, from sending to the last byte of the answer. Default 30 s. */
  timeoutMs?: number;
  /** Per-endpoint time limits, e.g. `{ get_coin_records_by_puzzle_hashes: 120_000 }` for big scans. */
  endpointTimeoutsMs?: Readonly<Record<string, number>>;
  /** Attempts for idempotent calls that fail in transport (connection or timeout). Default 3. */
  maxAttempts?: number;
  /** First backoff delay; doubled per retry, with jitter, capped by `maxRetryDelayMs`. Default 250 ms. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  /** Larger answers are refused rather than buffered. Default 256 MiB. */
  maxResponseBytes?: number;
  /** Told before each retry (for logs and metrics). */
  onRetry?: (event: RpcRetryEvent) => void;
}

export interface RpcRetryEvent {
  endpoint: string;
  /** The attempt that failed (1-based). */
  attempt: number;
  delayMs: number;
  error: ChiaRpcError;
}

export interface RpcCallOptions {
  /**
   * Whether sending the request twice is harmless. Only idempotent calls are retried. A call that changes
   * state (push_tx, send_transaction_multi...) gets exactly one attempt: after a timeout or a reset the
   * request may have been received and acted on, and the answer lost. Resending send_transaction_multi would
   * then build and push a second transaction from other coins (a double payout); resending push_tx is harmless
   * only for the identical bundle and only while it is not yet confirmed or replaced. So the caller, which
   * knows how to check the outcome (coin record spent? transaction in the wallet? bundle in the mempool?),
   * decides; `ChiaRpcError.isTransportFailure` and `transportCode` tell it what happened.
   */
  idempotent: boolean;
  timeoutMs?: number;
}

const DEFAULTS = {
  timeoutMs: 30_000,
  maxAttempts: 3,
  retryDelayMs: 250,
  maxRetryDelayMs: 5_000,
  maxResponseBytes: 256 * 1024 * 1024,
};

/**
 * One Chia RPC service (full node or wallet): `POST https://host:port/<endpoint>` with a JSON body, mutual TLS
 * against Chia's private CA, bigint-exact JSON, time limits, bounded retries and errors that name the call.
 */
export class ChiaRpcConnection {
  readonly target: string;
  private readonly options: Required<Omit<ChiaRpcConnectionOptions, 'tls' | 'onRetry' | 'endpointTimeoutsMs'>> &
    Pick<ChiaRpcConnectionOptions, 'onRetry' | 'endpointTimeoutsMs'>;
  /** Keep-alive connections for idempotent calls. */
  private readonly pooledAgent: Agent;
  /**
   * A fresh connection for every state-changing call: a reused keep-alive socket that the server closed a
   * moment earlier fails with ECONNRESET, and such a call cannot be retried, so it must not take that risk.
   */
  private readonly freshAgent: Agent;

  constructor(options: ChiaRpcConnectionOptions) {
    this.options = {
      host: options.host,
      port: options.port,
      timeoutMs: options.timeoutMs ?? DEFAULTS.timeoutMs,
      maxAttempts: options.maxAttempts ?? DEFAULTS.maxAttempts,
      retryDelayMs: options.retryDelayMs ?? DEFAULTS.retryDelayMs,
      maxRetryDelayMs: options.maxRetryDelayMs ?? DEFAULTS.maxRetryDelayMs,
      maxResponseBytes: options.maxResponseBytes ?? DEFAULTS.maxResponseBytes,
      endpointTimeoutsMs: options.endpointTimeoutsMs,
      onRetry: options.onRetry,
    };
    if (!(this.options.maxAttempts >= 1)) throw new RangeError('maxAttempts must be at least 1');
    this.target = `${options.host}:${options.port}`;
    const tls = {
      ca: options.tls.ca,
      cert: options.tls.cert,
      key: options.tls.key,
      // The service's certificate must chain to Chia's private CA (rejectUnauthorized), but its name is not
      // checked: `chia init` issues every service certificate for the fixed name "Chia" (no subjectAltName),
      // while we connect to localhost, an IP or a container name, so a hostname check would always fail.
      // Trust comes from the private CA instead, which only this CHIA_ROOT holds. Chia's own client does the
      // same (check_hostname=False with CERT_REQUIRED).
      rejectUnauthorized: true,
      checkServerIdentity: () => undefined,
      minVersion: 'TLSv1.2' as const,
    };
    this.pooledAgent = new Agent({ ...tls, keepAlive: true, maxSockets: 8 });
    this.freshAgent = new Agent({ ...tls, keepAlive: false });
  }

  /** POSTs `body` to `endpoint` and returns the answer object, or throws a ChiaRpcError. */
  async call(endpoint: string, body: object, callOptions: RpcCallOptions): Promise<JsonObject> {
    return (await this.callCountingAttempts(endpoint, body, callOptions)).response;
  }

  /** `call` followed by a typed decode; a shape mismatch becomes an `invalid-response` ChiaRpcError. */
  async callTyped<T>(
    endpoint: string,
    body: object,
    callOptions: RpcCallOptions,
    decode: (response: JsonReader) => T,
  ): Promise<T> {
    const { response, attempts } = await this.callCountingAttempts(endpoint, body, callOptions);
    try {
      return decode(JsonReader.of(response));
    } catch (error) {
      if (!(error instanceof JsonShapeError)) throw error;
      throw this.failure({ kind: 'invalid-response', endpoint, attempts, detail: error.message, cause: error });
    }
  }

  /** Closes idle keep-alive connections; calls made afterwards open new ones. */
  close(): void {
    this.pooledAgent.destroy();
    this.freshAgent.destroy();
  }

  private async callCountingAttempts(
    endpoint: string,
    body: object,
    callOptions: RpcCallOptions,
  ): Promise<{ response: JsonObject; attempts: number }> {
    const payload = Buffer.from(this.encodeRequest(endpoint, body), 'utf8');
    const timeoutMs = callOptions.timeoutMs ?? this.options.endpointTimeoutsMs?.[endpoint] ?? this.options.timeoutMs;
    const maxAttempts = callOptions.idempotent ? this.options.maxAttempts : 1;
    for (let attempt = 1; ; attempt++) {
      try {
        const response = await this.sendOnce(endpoint, payload, timeoutMs, attempt, callOptions.idempotent);
        return { response, attempts: attempt };
      } catch (error) {
        if (!(error instanceof ChiaRpcError)) throw error;
        const retryable = error.kind === 'connection' || error.kind === 'timeout';
        if (!retryable || attempt >= maxAttempts) throw error;
        const delayMs = this.backoffDelay(attempt);
        this.options.onRetry?.({ endpoint, attempt, delayMs, error });
        await sleep(delayMs);
      }
    }
  }

  private encodeRequest(endpoint: string, body: object): string {
    if (!/^[a-z0-9_]+$/.test(endpoint)) throw new TypeError(`Not a Chia RPC endpoint name: ${endpoint}`);
    return stringifyChiaJson(body);
  }

  private sendOnce(
    endpoint: string,
    payload: Buffer,
    timeoutMs: number,
    attempt: number,
    reuseConnection: boolean,
  ): Promise<JsonObject> {
    return new Promise<JsonObject>((resolve, reject) => {
      let settled = false;
      // Every callback below runs asynchronously, after all of these constants exist.
      const timer = setTimeout(() => {
        settle({ error: { kind: 'timeout', detail: `no complete answer within ${timeoutMs} ms` } });
        req.destroy();
      }, timeoutMs);
      const settle = (outcome: AnswerOutcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if ('value' in outcome) resolve(outcome.value);
        else reject(this.failure({ ...outcome.error, endpoint, attempts: attempt }));
      };

      const req = request(
        {
          agent: reuseConnection ? this.pooledAgent : this.freshAgent,
          host: this.options.host,
          port: this.options.port,
          method: 'POST',
          path: `/${endpoint}`,
          headers: {
            'content-type': 'application/json',
            'content-length': payload.length,
            accept: 'application/json',
          },
        },
        (res) => {
          this.readBody(res, (outcome) => {
            if ('error' in outcome) {
              req.destroy();
              settle(outcome);
            } else {
              settle(interpretAnswerSafely(res.statusCode ?? 0, outcome.body));
            }
          });
        },
      );
      // Every failure of the socket, including TLS verification and a server that refuses our certificate,
      // arrives here and becomes a rejected promise; nothing is thrown from inside an event handler.
      req.on('error', (error) => settle({ error: describeTransportError(error) }));
      req.end(payload);
    });
  }

  private readBody(
    res: IncomingMessage,
    done: (outcome: { body: Buffer } | { error: FailureDetails }) => void,
  ): void {
    const chunks: Buffer[] = [];
    let size = 0;
    let finished = false;
    const finish = (outcome: Parameters<typeof done>[0]) => {
      if (finished) return;
      finished = true;
      done(outcome);
    };
    res.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > this.options.maxResponseBytes) {
        const detail = `answer larger than ${this.options.maxResponseBytes} bytes`;
        finish({ error: { kind: 'invalid-response', detail } });
        return;
      }
      chunks.push(chunk);
    });
    res.on('end', () => finish({ body: Buffer.concat(chunks) }));
    res.on('error', (error) => finish({ error: describeTransportError(error) }));
    res.on('close', () => {
      if (res.complete) return;
      finish({ error: { kind: 'connection', detail: 'connection closed before the answer was complete' } });
    });
  }

  private backoffDelay(failedAttempt: number): number {
    const ceiling = Math.min(this.options.maxRetryDelayMs, this.options.retryDelayMs * 2 ** (failedAttempt - 1));
    // Jitter in [ceiling/2, ceiling] keeps several pool workers from retrying in lockstep after a node restart.
    return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
  }

  private failure(details: Omit<ChiaRpcErrorDetails, 'target'>): ChiaRpcError {
    return new ChiaRpcError({ ...details, target: this.target });
  }
}

/** What is known about a failure before the connection adds endpoint, target and attempt count. */
type FailureDetails = Omit<ChiaRpcErrorDetails, 'endpoint' | 'target' | 'attempts'>;
type AnswerOutcome = { value: JsonObject } | { error: FailureDetails };

/** interpretAnswer runs inside a socket event handler, where a throw would crash the process. */
function interpretAnswerSafely(status: number, body: Buffer): AnswerOutcome {
  try {
    return interpretAnswer(status, body);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { error: { kind: 'invalid-response', detail: `unreadable answer (${reason})`, cause: error } };
  }
}

function interpretAnswer(status: number, body: Buffer): AnswerOutcome {
  const text = body.toString('utf8');
  let parsed: ReturnType<typeof parseChiaJson> | undefined;
  let parseError: JsonParseError | undefined;
  try {
    parsed = parseChiaJson(text);
  } catch (error) {
    if (!(error instanceof JsonParseError)) throw error;
    parseError = error;
  }
  if (status !== 200) {
    const nodeError = isJsonObject(parsed) && typeof parsed.error === 'string' ? parsed.error : undefined;
    return {
      error: {
        kind: 'http',
        httpStatus: status,
        nodeError,
        detail: `HTTP ${status}${nodeError !== undefined ? `: ${nodeError}` : text ? `: ${snippet(text)}` : ''}`,
      },
    };
  }
  if (parseError !== undefined) {
    const detail = `answer is not JSON (${parseError.message})`;
    return { error: { kind: 'invalid-response', detail, cause: parseError } };
  }
  if (!isJsonObject(parsed)) {
    return { error: { kind: 'invalid-response', detail: `answer is not a JSON object: ${snippet(text)}` } };
  }
  // Chia adds `success: true` itself; a service that leaves it out (a simulator) is taken as successful.
  if (parsed.success === false) {
    const nodeError = typeof parsed.error === 'string' ? parsed.error : undefined;
    const structuredError = readStructuredError(parsed.structuredError);
    return {
      error: {
        kind: 'rpc',
        nodeError,
        structuredError,
        detail: [structuredError?.code, nodeError ?? 'success: false without an error text'].filter(Boolean).join(': '),
      },
    };
  }
  return { value: parsed };
}

function readStructuredError(value: unknown): ChiaStructuredError | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  if (typeof record.code !== 'string') return undefined;
  return {
    code: record.code,
    message: typeof record.message === 'string' ? record.message : '',
    data: record.data ?? null,
  };
}

const TLS_CODE = /^(ERR_SSL_|ERR_TLS_|ERR_OSSL_)|CERT|^UNABLE_TO_|^SELF_SIGNED|^DEPTH_ZERO/;

function describeTransportError(error: Error): FailureDetails {
  const code = (error as NodeJS.ErrnoException).code;
  const isTls = (code !== undefined && TLS_CODE.test(code)) || /SSL routines|certificate/i.test(error.message);
  return {
    kind: isTls ? 'tls' : 'connection',
    transportCode: code,
    detail: code !== undefined && !error.message.includes(code) ? `${code}: ${error.message}` : error.message,
    cause: error,
  };
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 197)}...` : flat;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
