import { type Hex } from '../chain/chain-types';
import { wireHex } from './json-reader';

/** Checks on request arguments, so a bad value fails here, naming the argument, instead of at the node. */

const UINT64_MAX = (1n << 64n) - 1n;

export function uint32Argument(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 0 || value > 0xffff_ffff) {
    throw new RangeError(`${name} must be a uint32, got ${value}`);
  }
  return value;
}

export function uint64Argument(value: bigint, name: string): bigint {
  if (typeof value !== 'bigint' || value < 0n || value > UINT64_MAX) {
    throw new RangeError(`${name} must be a uint64 bigint, got ${String(value)}`);
  }
  return value;
}

/** A 32-byte hash as the wire's `0x` hex; accepts it with or without `0x`, in either case. */
export function hash32Argument(value: Hex, name: string): string {
  return wireHex(value, name, 32);
}

export function hashListArgument(values: readonly Hex[], name: string): string[] {
  if (!Array.isArray(values)) throw new TypeError(`${name} must be a list of 32-byte hashes`);
  return values.map((value, index) => hash32Argument(value, `${name}[${index}]`));
}
