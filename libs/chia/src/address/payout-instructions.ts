import { hexToBytes } from '../util/hex';
import { AddressError, decodeAddress } from './bech32m-address';

export interface PayoutInstructionsOptions {
  /** Accept only these address prefixes (e.g. ["xch"]); by default any prefix, as pool-reference does. */
  readonly allowedPrefixes?: readonly string[];
}

/**
 * The puzzle hash that `payout_instructions` designates: either a bech32m address or 32-byte hex (with or
 * without 0x). Anything else is an error the caller maps to INVALID_PAYOUT_INSTRUCTIONS (13).
 */
export function payoutInstructionsToPuzzleHash(
  payoutInstructions: string,
  options: PayoutInstructionsOptions = {},
): Uint8Array {
  const text = payoutInstructions;
  if (/^(0x)?[0-9a-fA-F]{64}$/.test(text)) return hexToBytes(text, 32);
  const decoded = decodeAddress(text);
  if (options.allowedPrefixes !== undefined && !options.allowedPrefixes.includes(decoded.prefix)) {
    throw new AddressError(
      `payout address prefix "${decoded.prefix}" is not accepted here (expected ${options.allowedPrefixes.join(' or ')})`,
    );
  }
  return decoded.puzzleHash;
}
