import { ChiaRpcError, type JsonObject, type JsonValue, stringifyChiaJson } from '@pool/chia';

/**
 * Thrown by a FullNodeRpc/WalletRpc implementation (a simulator) to answer `success: false` with Chia's
 * structured error: `code` is one of Chia's `rpc_errors.py` names (`INVALID_HEIGHT_FOR_COIN`,
 * `TRANSACTION_FAILED`...), so the pool sees exactly what a real node would send. Any other error becomes a
 * plain `success: false` with its message.
 */
export class ChiaRpcServiceError extends Error {
  constructor(
    message: string,
    readonly code?: string,
    readonly data: JsonValue = {},
  ) {
    super(message);
    this.name = 'ChiaRpcServiceError';
  }
}

/** Chia's error answer: HTTP 200 with `success: false`, the error text, and a structured code when known. */
export function errorAnswer(error: unknown): JsonObject {
  const answer: JsonObject = { success: false, error: errorText(error) };
  const structured = structuredErrorOf(error);
  if (structured !== undefined) answer.structuredError = structured;
  if (error instanceof Error && error.stack !== undefined) answer.traceback = error.stack;
  return answer;
}

function errorText(error: unknown): string {
  // A ChiaRpcError from an implementation that forwards to a real node: pass on what that node said.
  if (error instanceof ChiaRpcError && error.kind === 'rpc' && error.nodeError !== undefined) return error.nodeError;
  if (error instanceof Error) return error.message;
  return String(error);
}

function structuredErrorOf(error: unknown): JsonObject | undefined {
  if (error instanceof ChiaRpcServiceError && error.code !== undefined) {
    return { code: error.code, message: error.message, data: error.data };
  }
  if (error instanceof ChiaRpcError && error.kind === 'rpc' && error.structuredError !== undefined) {
    const { code, message, data } = error.structuredError;
    return { code, message, data: plainJsonOrEmpty(data) };
  }
  return undefined;
}

function plainJsonOrEmpty(value: unknown): JsonValue {
  try {
    stringifyChiaJson(value);
    return value as JsonValue;
  } catch {
    return {};
  }
}
