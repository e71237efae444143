import { type Hex } from '../chain/chain-types';
import { concatBytes, parseHex, readUintBE, toHex, uintBytesBE } from './bytes-hex';

/** Values of PoolState.state (chia PoolSingletonState). */
export const PoolSingletonState = {
  SELF_POOLING: 1,
  LEAVING_POOL: 2,
  FARMING_TO_POOL: 3,
} as const;
export type PoolSingletonStateValue = (typeof PoolSingletonState)[keyof typeof PoolSingletonState];

/** What a plot NFT commits to in its launcher and travel spends (chia `PoolState`). */
export interface PoolState {
  version: number;
  state: PoolSingletonStateValue;
  targetPuzzleHash: Hex;
  /** 48-byte compressed G1 owner key. */
  ownerPubkey: Hex;
  poolUrl: string | null;
  relativeLockHeight: number;
}

const TARGET_LENGTH = 32;
const G1_LENGTH = 48;
const utf8 = new TextDecoder('utf-8', { fatal: true });

function isKnownState(state: number): state is PoolSingletonStateValue {
  return state === 1 || state === 2 || state === 3;
}

/**
 * Streamable layout: u8 version | u8 state | bytes32 target_puzzle_hash | G1 owner_pubkey (48) |
 * Optional[str] pool_url (00, or 01 + u32 length + UTF-8) | u32 relative_lock_height.
 */
export function encodePoolState(poolState: PoolState): Uint8Array {
  checkUint(poolState.version, 8, 'version');
  if (!isKnownState(poolState.state)) throw new RangeError(`unknown pool singleton state ${poolState.state}`);
  checkUint(poolState.relativeLockHeight, 32, 'relative_lock_height');
  const parts = [
    Uint8Array.of(poolState.version, poolState.state),
    parseHex(poolState.targetPuzzleHash, 'target_puzzle_hash', TARGET_LENGTH),
    parseHex(poolState.ownerPubkey, 'owner_pubkey', G1_LENGTH),
  ];
  if (poolState.poolUrl === null) {
    parts.push(Uint8Array.of(0));
  } else {
    const url = new TextEncoder().encode(poolState.poolUrl);
    parts.push(Uint8Array.of(1), uintBytesBE(BigInt(url.length), 4), url);
  }
  parts.push(uintBytesBE(BigInt(poolState.relativeLockHeight), 4));
  return concatBytes(...parts);
}

/** Inverse of `encodePoolState`; rejects truncated input, trailing bytes, bad flags and unknown states. */
export function decodePoolState(bytes: Uint8Array): PoolState {
  const reader = new ByteReader(bytes);
  const version = reader.u8('version');
  const state = reader.u8('state');
  if (!isKnownState(state)) throw new Error(`PoolState has unknown state ${state}`);
  const targetPuzzleHash = toHex(reader.take(TARGET_LENGTH, 'target_puzzle_hash'));
  const ownerPubkey = toHex(reader.take(G1_LENGTH, 'owner_pubkey'));
  const urlFlag = reader.u8('pool_url flag');
  let poolUrl: string | null = null;
  if (urlFlag === 1) {
    const length = Number(readUintBE(reader.take(4, 'pool_url length')));
    const raw = reader.take(length, 'pool_url');
    try {
      poolUrl = utf8.decode(raw);
    } catch {
      throw new Error('PoolState pool_url is not valid UTF-8');
    }
  } else if (urlFlag !== 0) {
    throw new Error(`PoolState pool_url has invalid Optional flag ${urlFlag}`);
  }
  const relativeLockHeight = Number(readUintBE(reader.take(4, 'relative_lock_height')));
  reader.expectEnd();
  return { version, state, targetPuzzleHash, ownerPubkey, poolUrl, relativeLockHeight };
}

export function decodePoolStateHex(hex: string): PoolState {
  return decodePoolState(parseHex(hex, 'PoolState'));
}

export function encodePoolStateHex(poolState: PoolState): Hex {
  return toHex(encodePoolState(poolState));
}

function checkUint(value: number, bits: number, label: string): void {
  if (!Number.isInteger(value) || value < 0 || value >= 2 ** bits) {
    throw new RangeError(`${label} must be a uint${bits}`);
  }
}

class ByteReader {
  private offset = 0;

  constructor(private readonly bytes: Uint8Array) {}

  take(length: number, label: string): Uint8Array {
    if (this.offset + length > this.bytes.length) {
      throw new Error(`PoolState truncated while reading ${label}`);
    }
    const slice = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return slice;
  }

  u8(label: string): number {
    return this.take(1, label)[0];
  }

  expectEnd(): void {
    if (this.offset !== this.bytes.length) {
      throw new Error(`PoolState has ${this.bytes.length - this.offset} trailing bytes`);
    }
  }
}
