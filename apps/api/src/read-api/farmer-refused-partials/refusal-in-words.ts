import { PoolErrorCode } from '@pool/chia';

/**
 * A refusal's error code in a farmer's words: what went wrong, short enough for a table column. The message the
 * farmer was answered with says the particulars (how late, which signage point, which key).
 */
const REFUSAL_WORDS: Readonly<Record<PoolErrorCode, string>> = {
  [PoolErrorCode.REVERTED_SIGNAGE_POINT]: 'signage point reverted',
  [PoolErrorCode.TOO_LATE]: 'too late',
  [PoolErrorCode.NOT_FOUND]: 'signage point not found',
  [PoolErrorCode.INVALID_PROOF]: 'invalid proof',
  [PoolErrorCode.PROOF_NOT_GOOD_ENOUGH]: 'proof not good enough',
  [PoolErrorCode.INVALID_DIFFICULTY]: 'invalid difficulty',
  [PoolErrorCode.INVALID_SIGNATURE]: 'invalid signature',
  [PoolErrorCode.SERVER_EXCEPTION]: 'request not readable',
  [PoolErrorCode.INVALID_P2_SINGLETON_PUZZLE_HASH]: 'wrong pool contract',
  [PoolErrorCode.FARMER_NOT_KNOWN]: 'farmer not known',
  [PoolErrorCode.FARMER_ALREADY_KNOWN]: 'farmer already known',
  [PoolErrorCode.INVALID_AUTHENTICATION_TOKEN]: 'invalid authentication token',
  [PoolErrorCode.INVALID_PAYOUT_INSTRUCTIONS]: 'invalid payout instructions',
  [PoolErrorCode.INVALID_SINGLETON]: 'not a member',
  [PoolErrorCode.DELAY_TIME_TOO_SHORT]: 'delay time too short',
  [PoolErrorCode.REQUEST_FAILED]: 'request failed',
};

export function refusalInWords(errorCode: number): string {
  return REFUSAL_WORDS[errorCode as PoolErrorCode] ?? `error ${errorCode}`;
}
