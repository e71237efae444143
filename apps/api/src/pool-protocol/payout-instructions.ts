import { AddressError, bytesToHex, payoutInstructionsToPuzzleHash, PoolErrorCode } from '@pool/chia';
import { PoolProtocolError } from './pool-protocol.error';

/** The puzzle hash payouts go to, from an address or a puzzle hash (error 15 otherwise); both editions alike. */
export function payoutPuzzleHash(instructions: string): string {
  try {
    return bytesToHex(payoutInstructionsToPuzzleHash(instructions));
  } catch (error) {
    const why = error instanceof AddressError || error instanceof Error ? error.message : String(error);
    throw new PoolProtocolError(PoolErrorCode.INVALID_PAYOUT_INSTRUCTIONS, `payout instructions must be an address or a 32-byte puzzle hash: ${why}`);
  }
}
