/**
 * Error codes of the pool protocol (`PoolErrorCode`), identical in chia-blockchain 2.4.4 and main. Pools send
 * them as `{"error_code": n, "error_message": "..."}` with HTTP 200.
 */
export enum PoolErrorCode {
  REVERTED_SIGNAGE_POINT = 1,
  TOO_LATE = 2,
  NOT_FOUND = 3,
  INVALID_PROOF = 4,
  PROOF_NOT_GOOD_ENOUGH = 5,
  INVALID_DIFFICULTY = 6,
  INVALID_SIGNATURE = 7,
  SERVER_EXCEPTION = 8,
  INVALID_P2_SINGLETON_PUZZLE_HASH = 9,
  FARMER_NOT_KNOWN = 10,
  FARMER_ALREADY_KNOWN = 11,
  INVALID_AUTHENTICATION_TOKEN = 12,
  INVALID_PAYOUT_INSTRUCTIONS = 13,
  INVALID_SINGLETON = 14,
  DELAY_TIME_TOO_SHORT = 15,
  REQUEST_FAILED = 16,
}

/** The pool protocol version this codebase's v1 routes speak (`POOL_PROTOCOL_VERSION`). */
export const POOL_PROTOCOL_VERSION = 1;
/** `protocol_version` advertised by a v2 pool (pool2-reference `/v2/pool_info`). */
export const POOL_PROTOCOL_VERSION_V2 = 2;

export function isPoolErrorCode(value: unknown): value is PoolErrorCode {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 16;
}
