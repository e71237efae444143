import { type CoinRecordQuery, type JsonReader, JsonShapeError } from '@pool/chia';
import { fromWireHex } from '@pool/chia';

/**
 * Request fields as the interfaces want them. Absent and null both mean "not given" (Python's
 * `request.get(key)`), and then the key is left out of the result so the implementation applies its default.
 */

export function hash32(r: JsonReader, key: string): string {
  return fromWireHex(r.raw(key), r.at(key), 32);
}

export function hash32List(r: JsonReader, key: string): string[] {
  return r.array(key, (item, path) => fromWireHex(item, path, 32));
}

export function optionalBool(r: JsonReader, key: string): boolean | undefined {
  return r.has(key) ? r.bool(key) : undefined;
}

export function optionalUint32(r: JsonReader, key: string): number | undefined {
  return r.has(key) ? r.uint32(key) : undefined;
}

export function optionalUint64(r: JsonReader, key: string): bigint | undefined {
  return r.has(key) ? r.uint64(key) : undefined;
}

const UINT64_MAX = (1n << 64n) - 1n;

export function uint64List(r: JsonReader, key: string): bigint[] {
  return r.array(key, (item, path) => {
    const value = typeof item === 'number' && Number.isSafeInteger(item) ? BigInt(item) : item;
    if (typeof value !== 'bigint' || value < 0n || value > UINT64_MAX) throw new JsonShapeError(path, 'a uint64', item);
    return value;
  });
}

export function optionalStrings(r: JsonReader, key: string): string[] | undefined {
  if (!r.has(key)) return undefined;
  return r.array(key, (item, path) => {
    if (typeof item !== 'string') throw new JsonShapeError(path, 'a string', item);
    return item;
  });
}

/** Drops the keys whose value is undefined, so "not given" stays distinguishable from a given value. */
export function definedFields<T extends object>(fields: T): T {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as T;
}

export function coinRecordQuery(r: JsonReader): CoinRecordQuery {
  return definedFields({
    includeSpentCoins: optionalBool(r, 'include_spent_coins'),
    startHeight: optionalUint32(r, 'start_height'),
    endHeight: optionalUint32(r, 'end_height'),
  });
}
