import { type JsonObject, type JsonValue } from '../util/json-bigint';

/**
 * A response lacks a field, or a field has the wrong type or range; `path` says where
 * (`$.coin_record.coin.amount`).
 */
export class JsonShapeError extends Error {
  constructor(
    readonly path: string,
    expected: string,
    actual: unknown,
  ) {
    super(`${path}: expected ${expected}, got ${describe(actual)}`);
    this.name = 'JsonShapeError';
  }
}

const UINT32_MAX = 0xffff_ffff;
const UINT64_MAX = (1n << 64n) - 1n;
const UINT128_MAX = (1n << 128n) - 1n;

/**
 * Typed, path-aware access to one parsed JSON object. Every accessor checks type and range and names the
 * field on failure, so a wrong or truncated node answer is reported precisely instead of surfacing later
 * as `undefined` in accounting code.
 */
export class JsonReader {
  private constructor(
    private readonly object: JsonObject,
    readonly path: string,
  ) {}

  static of(value: JsonValue | undefined, path = '$'): JsonReader {
    if (!isJsonObject(value)) throw new JsonShapeError(path, 'an object', value);
    return new JsonReader(value, path);
  }

  has(key: string): boolean {
    return this.object[key] !== undefined && this.object[key] !== null;
  }

  raw(key: string): JsonValue | undefined {
    return this.object[key];
  }

  child(key: string): JsonReader {
    return JsonReader.of(this.object[key], this.at(key));
  }

  /** `null` when the field is absent or null (Chia's Optional), otherwise the decoded value. */
  optional<T>(key: string, read: (reader: this, key: string) => T): T | null {
    return this.has(key) ? read(this, key) : null;
  }

  bool(key: string): boolean {
    const value = this.object[key];
    if (typeof value !== 'boolean') throw new JsonShapeError(this.at(key), 'a boolean', value);
    return value;
  }

  string(key: string): string {
    const value = this.object[key];
    if (typeof value !== 'string') throw new JsonShapeError(this.at(key), 'a string', value);
    return value;
  }

  /** Bytes as lowercase hex without `0x`; the node's own form, with or without `0x`, is accepted. */
  hex(key: string, byteLength?: number): string {
    return normalizeHex(this.object[key], this.at(key), byteLength);
  }

  /** Bytes as raw bytes, for the Streamable chain objects. */
  bytes(key: string, byteLength?: number): Uint8Array {
    return Uint8Array.from(Buffer.from(this.hex(key, byteLength), 'hex'));
  }

  bytes32(key: string): string {
    return this.hex(key, 32);
  }

  /** uint8/uint16/uint32 and other small counters, as number. */
  uint32(key: string): number {
    return Number(this.unsigned(key, BigInt(UINT32_MAX), 'a uint32'));
  }

  /** A non-negative integer that stays below 2^53 in practice (unix seconds, counts), as number. */
  safeUint(key: string): number {
    return Number(this.unsigned(key, BigInt(Number.MAX_SAFE_INTEGER), 'a non-negative safe integer'));
  }

  uint64(key: string): bigint {
    return this.unsigned(key, UINT64_MAX, 'a uint64');
  }

  uint128(key: string): bigint {
    return this.unsigned(key, UINT128_MAX, 'a uint128');
  }

  /** Any integer (signed), as bigint. */
  integer(key: string): bigint {
    const value = this.object[key];
    const exact = integerValue(value);
    if (exact === undefined) throw new JsonShapeError(this.at(key), 'an integer', value);
    return exact;
  }

  /** A float (Chia's `time_received`); integers are accepted too. */
  float(key: string): number {
    const value = this.object[key];
    if (typeof value === 'number') return value;
    if (typeof value === 'bigint') return Number(value);
    throw new JsonShapeError(this.at(key), 'a number', value);
  }

  array<T>(key: string, readItem: (item: JsonValue, path: string) => T): T[] {
    const value = this.object[key];
    if (!Array.isArray(value)) throw new JsonShapeError(this.at(key), 'an array', value);
    return value.map((item, index) => readItem(item, `${this.at(key)}[${index}]`));
  }

  objects<T>(key: string, readItem: (reader: JsonReader) => T): T[] {
    return this.array(key, (item, path) => readItem(JsonReader.of(item, path)));
  }

  at(key: string): string {
    return `${this.path}.${key}`;
  }

  private unsigned(key: string, max: bigint, expected: string): bigint {
    const value = this.object[key];
    const exact = integerValue(value);
    if (exact === undefined || exact < 0n || exact > max) throw new JsonShapeError(this.at(key), expected, value);
    return exact;
  }
}

export function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Validates hex bytes (with or without `0x`, any case) and returns them lowercase without `0x`. */
export function normalizeHex(value: unknown, path: string, byteLength?: number): string {
  const expected = byteLength === undefined ? 'hex bytes' : `${byteLength} bytes of hex`;
  if (typeof value !== 'string') throw new JsonShapeError(path, expected, value);
  const digits = value.startsWith('0x') || value.startsWith('0X') ? value.slice(2) : value;
  if (digits.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(digits)) throw new JsonShapeError(path, expected, value);
  if (byteLength !== undefined && digits.length !== byteLength * 2) throw new JsonShapeError(path, expected, value);
  return digits.toLowerCase();
}

/** Hex bytes as Chia's JSON writes them: validated, lowercase, `0x`-prefixed. Only for what goes on the wire. */
export function wireHex(value: unknown, path: string, byteLength?: number): string {
  return `0x${normalizeHex(value, path, byteLength)}`;
}

function integerValue(value: JsonValue | undefined): bigint | undefined {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  return undefined;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'bigint') return `${value}`;
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
