/**
 * Why a node or wallet call failed:
 * - `rpc`: the service answered `success: false`; `nodeError` holds its `error` text and `structuredCode`
 *   the `structuredError.code` newer Chia versions add (e.g. `COIN_RECORD_NOT_FOUND`, `SP_NOT_IN_CACHE`).
 * - `http`: a status other than 200 (Chia reports its own errors with 200, so this is a proxy or a wrong port).
 * - `tls`: the handshake failed (certificate not signed by the CA, client certificate refused...). Never
 *   retried: it is a configuration problem, not a passing one.
 * - `timeout`: no complete answer within the call's time limit.
 * - `connection`: refused, reset, unreachable, name not found.
 * - `invalid-response`: the body is not JSON or lacks the fields the typed result needs.
 */
export type ChiaRpcFailureKind = 'rpc' | 'http' | 'tls' | 'timeout' | 'connection' | 'invalid-response';

export interface ChiaStructuredError {
  code: string;
  message: string;
  data: unknown;
}

export interface ChiaRpcErrorDetails {
  kind: ChiaRpcFailureKind;
  endpoint: string;
  /** `host:port` of the service called. */
  target: string;
  /** How many requests were sent (1 + retries). */
  attempts: number;
  detail: string;
  httpStatus?: number;
  /** Node's error code for transport failures, e.g. `ECONNREFUSED`, `ECONNRESET`, `ERR_SSL_...`. */
  transportCode?: string;
  nodeError?: string;
  structuredError?: ChiaStructuredError;
  cause?: unknown;
}

export class ChiaRpcError extends Error {
  readonly kind: ChiaRpcFailureKind;
  readonly endpoint: string;
  readonly target: string;
  readonly attempts: number;
  readonly httpStatus: number | undefined;
  readonly transportCode: string | undefined;
  readonly nodeError: string | undefined;
  readonly structuredError: ChiaStructuredError | undefined;

  constructor(details: ChiaRpcErrorDetails) {
    const tries = details.attempts > 1 ? ` after ${details.attempts} attempts` : '';
    super(`Chia RPC ${details.endpoint} on ${details.target} failed (${details.kind}${tries}): ${details.detail}`, {
      cause: details.cause,
    });
    this.name = 'ChiaRpcError';
    this.kind = details.kind;
    this.endpoint = details.endpoint;
    this.target = details.target;
    this.attempts = details.attempts;
    this.httpStatus = details.httpStatus;
    this.transportCode = details.transportCode;
    this.nodeError = details.nodeError;
    this.structuredError = details.structuredError;
  }

  /** `structuredError.code` when the service sent one. */
  get structuredCode(): string | undefined {
    return this.structuredError?.code;
  }

  /** The request may not have reached the service, or its answer was lost. */
  get isTransportFailure(): boolean {
    return this.kind === 'connection' || this.kind === 'timeout' || this.kind === 'tls';
  }
}

/**
 * True when the service said the thing asked for does not exist, by structured code or, for versions
 * without structured errors, by the wording of its error text.
 */
export function isNotFoundRpcError(error: unknown, codes: readonly string[], textPattern: RegExp): boolean {
  if (!(error instanceof ChiaRpcError) || error.kind !== 'rpc') return false;
  if (error.structuredCode !== undefined && codes.includes(error.structuredCode)) return true;
  return error.nodeError !== undefined && textPattern.test(error.nodeError);
}
