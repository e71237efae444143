import { bech32m } from 'bech32';
import { bytesToHex } from '../util/hex';

/** Address prefixes (human-readable parts) of the public Chia networks. */
export const MAINNET_ADDRESS_PREFIX = 'xch';
export const TESTNET_ADDRESS_PREFIX = 'txch';

const PUZZLE_HASH_LENGTH = 32;
/** BIP-173's limit; a 32-byte puzzle hash address is 62 (xch) or 63 (txch) characters. */
const MAX_ADDRESS_LENGTH = 90;
const PREFIX_PATTERN = /^[a-z0-9]{1,20}$/;

export class AddressError extends Error {
  override readonly name = 'AddressError';
}

export interface DecodedAddress {
  /** Lowercase human-readable part, e.g. "xch". */
  readonly prefix: string;
  readonly puzzleHash: Uint8Array;
}

/** `encode_puzzle_hash`: bech32m over the 32-byte puzzle hash regrouped into 5-bit words. */
export function puzzleHashToAddress(puzzleHash: Uint8Array, prefix: string): string {
  if (!(puzzleHash instanceof Uint8Array) || puzzleHash.length !== PUZZLE_HASH_LENGTH) {
    throw new AddressError(`a puzzle hash must be ${PUZZLE_HASH_LENGTH} bytes, got ${describeLength(puzzleHash)}`);
  }
  if (!PREFIX_PATTERN.test(prefix)) {
    throw new AddressError(`invalid address prefix ${JSON.stringify(prefix)} (lowercase letters and digits only)`);
  }
  return bech32m.encode(prefix, bech32m.toWords(puzzleHash), MAX_ADDRESS_LENGTH);
}

/**
 * Decodes any bech32m address that holds a 32-byte puzzle hash. Rejects a bad checksum (including a bech32,
 * i.e. non-"m", checksum), mixed case, non-zero padding bits and payloads that are not 32 bytes.
 */
export function decodeAddress(address: string): DecodedAddress {
  if (typeof address !== 'string') throw new AddressError('an address must be a string');
  const decoded = bech32m.decodeUnsafe(address, MAX_ADDRESS_LENGTH);
  if (decoded === undefined) {
    throw new AddressError(`${quote(address)} is not a valid bech32m address (${explainDecodeFailure(address)})`);
  }
  const data = bech32m.fromWordsUnsafe(decoded.words);
  if (data === undefined) {
    throw new AddressError(`${quote(address)} has invalid padding bits in its data part`);
  }
  if (data.length !== PUZZLE_HASH_LENGTH) {
    throw new AddressError(
      `${quote(address)} encodes ${data.length} bytes, but an address must encode a ${PUZZLE_HASH_LENGTH}-byte puzzle hash`,
    );
  }
  return { prefix: decoded.prefix, puzzleHash: Uint8Array.from(data) };
}

/** `decode_puzzle_hash` with the network checked: the address must carry `expectedPrefix` (e.g. "xch"). */
export function addressToPuzzleHash(address: string, expectedPrefix: string): Uint8Array {
  const decoded = decodeAddress(address);
  if (decoded.prefix !== expectedPrefix) {
    throw new AddressError(
      `${quote(address)} is a "${decoded.prefix}" address, expected "${expectedPrefix}" (wrong network?)`,
    );
  }
  return decoded.puzzleHash;
}

function explainDecodeFailure(address: string): string {
  // The library only says "invalid"; the common causes are worth naming for an operator.
  if (address.length > MAX_ADDRESS_LENGTH) return `longer than ${MAX_ADDRESS_LENGTH} characters`;
  if (address.toLowerCase() !== address && address.toUpperCase() !== address) return 'mixed case';
  if (!address.includes('1')) return 'no "1" separator';
  try {
    bech32m.decode(address, MAX_ADDRESS_LENGTH);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  return 'unknown reason';
}

function quote(address: string): string {
  return JSON.stringify(address.length > 100 ? `${address.slice(0, 100)}...` : address);
}

function describeLength(value: unknown): string {
  return value instanceof Uint8Array ? `${value.length} (${bytesToHex(value).slice(0, 16)}...)` : typeof value;
}
