import { PoolErrorCode } from '@pool/chia';
import { DomainError, type RejectionReason } from '@pool/domain';

/** A refusal in the pool protocol's own terms: answered as `{"error_code", "error_message"}` with HTTP 200. */
export class PoolProtocolError extends Error {
  override readonly name = 'PoolProtocolError';
  constructor(
    readonly code: PoolErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const CODE_FOR_REASON: Record<RejectionReason, PoolErrorCode> = {
  FARMER_NOT_KNOWN: PoolErrorCode.FARMER_NOT_KNOWN,
  FARMER_ALREADY_KNOWN: PoolErrorCode.FARMER_ALREADY_KNOWN,
  REQUEST_FAILED: PoolErrorCode.REQUEST_FAILED,
  INVALID_DIFFICULTY: PoolErrorCode.INVALID_DIFFICULTY,
  // The protocol has no code for a replayed proof; REQUEST_FAILED with a message that says so.
  DUPLICATE_PARTIAL: PoolErrorCode.REQUEST_FAILED,
  NOT_A_MEMBER: PoolErrorCode.INVALID_SINGLETON,
  INVALID_STATE: PoolErrorCode.REQUEST_FAILED,
  INVALID_DISPLAY_NAME: PoolErrorCode.REQUEST_FAILED,
  INVALID_MINIMUM_PAYOUT: PoolErrorCode.REQUEST_FAILED,
};

export function protocolErrorFromDomain(error: DomainError): PoolProtocolError {
  return new PoolProtocolError(CODE_FOR_REASON[error.reason], error.message);
}

export interface ErrorBody {
  error_code: PoolErrorCode;
  error_message: string;
}

/** Any failure, as the body a farmer understands; unexpected ones say little and are logged by the caller. */
export function toErrorBody(error: unknown): { body: ErrorBody; unexpected: boolean } {
  if (error instanceof PoolProtocolError) return { body: { error_code: error.code, error_message: error.message }, unexpected: false };
  if (error instanceof DomainError) return toErrorBody(protocolErrorFromDomain(error));
  return {
    body: { error_code: PoolErrorCode.SERVER_EXCEPTION, error_message: 'the pool could not process the request; it has been logged' },
    unexpected: true,
  };
}
