import { HexFormatError, bytesToHex, hexToBytes } from '../util/hex';
import { type ByteReader, type ByteWriter } from './byte-stream';
import { clvmSerializedLength } from './clvm-serialized-length';
import { type JsonValue } from '../util/json-bigint';
import { StreamableError } from './streamable-error';

/**
 * One Streamable type: its binary form (Chia `stream`/`parse`) and its JSON form (Chia `to_json_dict` /
 * `from_json_dict`). `path` is only used for error messages.
 */
export interface FieldCodec<T> {
  /** Chia's name for the type, used in error messages ("uint64", "Optional[G1Element]", ...). */
  readonly typeName: string;
  /** Optional[T] and List[T]: the codec of T (introspection, e.g. for generating test data). */
  readonly inner?: FieldCodec<unknown>;
  write(writer: ByteWriter, value: T, path: string): void;
  read(reader: ByteReader, path: string): T;
  toJson(value: T, path: string): JsonValue;
  fromJson(json: unknown, path: string): T;
}

// ---------------------------------------------------------------------------------------------------------
// Unsigned integers. uint8/16/32 are JS numbers; uint64 and uint128 are bigint so they never lose precision.
// ---------------------------------------------------------------------------------------------------------

const DECIMAL_DIGITS = /^[0-9]+$/;

function uintFromJson(json: unknown, bits: number, typeName: string, path: string): bigint {
  let value: bigint;
  if (typeof json === 'bigint') {
    value = json;
  } else if (typeof json === 'number') {
    if (!Number.isInteger(json)) {
      throw new StreamableError(path, `expected ${typeName}, got the non-integer number ${json}`);
    }
    if (!Number.isSafeInteger(json)) {
      throw new StreamableError(
        path,
        `${typeName} value ${json} is beyond 2^53 and was already rounded by the JSON parser; parse the request with parseChiaJson`,
      );
    }
    value = BigInt(json);
  } else if (typeof json === 'string') {
    // Query parameters arrive as strings; Chia converts them with uint64("123").
    if (!DECIMAL_DIGITS.test(json)) {
      throw new StreamableError(path, `expected ${typeName} as decimal digits, got ${JSON.stringify(json)}`);
    }
    value = BigInt(json);
  } else {
    throw new StreamableError(path, `expected ${typeName}, got ${describeJson(json)}`);
  }
  assertUintRange(value, bits, typeName, path);
  return value;
}

function assertUintRange(value: bigint, bits: number, typeName: string, path: string): void {
  if (value < 0n || value >= 1n << BigInt(bits)) {
    throw new StreamableError(path, `${typeName} out of range: ${value}`);
  }
}

function smallUint(bits: 8 | 16 | 32): FieldCodec<number> {
  const typeName = `uint${bits}`;
  const byteWidth = bits / 8;
  return {
    typeName,
    write(writer, value, path) {
      if (!Number.isInteger(value)) throw new StreamableError(path, `${typeName} must be an integer, got ${value}`);
      const big = BigInt(value);
      assertUintRange(big, bits, typeName, path);
      writer.writeUint(big, byteWidth);
    },
    read: (reader, path) => Number(reader.readUint(byteWidth, path)),
    toJson: (value) => value,
    fromJson: (json, path) => Number(uintFromJson(json, bits, typeName, path)),
  };
}

function bigUint(bits: 64 | 128): FieldCodec<bigint> {
  const typeName = `uint${bits}`;
  const byteWidth = bits / 8;
  return {
    typeName,
    write(writer, value, path) {
      if (typeof value !== 'bigint') throw new StreamableError(path, `${typeName} must be a bigint, got ${typeof value}`);
      assertUintRange(value, bits, typeName, path);
      writer.writeUint(value, byteWidth);
    },
    read: (reader, path) => reader.readUint(byteWidth, path),
    // Same shape parseChiaJson produces: number while exact, bigint beyond 2^53.
    toJson: (value) => (value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value),
    fromJson: (json, path) => uintFromJson(json, bits, typeName, path),
  };
}

export const uint8 = smallUint(8);
export const uint16 = smallUint(16);
export const uint32 = smallUint(32);
export const uint64 = bigUint(64);
export const uint128 = bigUint(128);

// ---------------------------------------------------------------------------------------------------------
// bool, fixed-size bytes, variable bytes, str
// ---------------------------------------------------------------------------------------------------------

export const bool: FieldCodec<boolean> = {
  typeName: 'bool',
  write(writer, value, path) {
    if (typeof value !== 'boolean') throw new StreamableError(path, `bool must be true or false, got ${typeof value}`);
    writer.writeByte(value ? 1 : 0);
  },
  read(reader, path) {
    const byte = reader.readByte(path);
    if (byte > 1) throw new StreamableError(path, `invalid bool byte 0x${byte.toString(16).padStart(2, '0')}`);
    return byte === 1;
  },
  toJson: (value) => value,
  fromJson(json, path) {
    if (typeof json !== 'boolean') throw new StreamableError(path, `expected bool, got ${describeJson(json)}`);
    return json;
  },
};

/** Chia's `hexstr_to_bytes`: `0x`/`0X` optional, either case, even length. */
function bytesFromJsonHex(json: unknown, typeName: string, path: string): Uint8Array {
  if (typeof json !== 'string') {
    throw new StreamableError(path, `expected ${typeName} as a hex string, got ${describeJson(json)}`);
  }
  try {
    return hexToBytes(json, undefined, { label: typeName });
  } catch (error) {
    if (error instanceof HexFormatError) throw new StreamableError(path, error.message);
    throw error;
  }
}

function assertBytes(value: unknown, typeName: string, path: string): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) throw new StreamableError(path, `${typeName} must be a Uint8Array`);
}

/** Sized bytes (bytes32, G1Element, ...): raw, no length prefix. Points are not curve-checked here. */
export function fixedBytes(length: number, typeName: string): FieldCodec<Uint8Array> {
  const checkLength = (value: Uint8Array, path: string): void => {
    if (value.length !== length) {
      throw new StreamableError(path, `${typeName} must be ${length} bytes, got ${value.length}`);
    }
  };
  return {
    typeName,
    write(writer, value, path) {
      assertBytes(value, typeName, path);
      checkLength(value, path);
      writer.writeBytes(value);
    },
    read: (reader, path) => reader.readBytes(length, path),
    toJson: (value) => bytesToHex(value, { prefix: true }),
    fromJson(json, path) {
      const bytes = bytesFromJsonHex(json, typeName, path);
      checkLength(bytes, path);
      return bytes;
    },
  };
}

export const bytes32 = fixedBytes(32, 'bytes32');
export const bytes100 = fixedBytes(100, 'bytes100');
export const g1Element = fixedBytes(48, 'G1Element');
export const g2Element = fixedBytes(96, 'G2Element');

const MAX_UINT32 = 0xffffffff;

function writeLengthPrefix(writer: ByteWriter, length: number, path: string): void {
  if (length > MAX_UINT32) throw new StreamableError(path, `length ${length} does not fit the uint32 prefix`);
  writer.writeUint(BigInt(length), 4);
}

/** Variable-length `bytes`: uint32 length, then the data. */
export const bytes: FieldCodec<Uint8Array> = {
  typeName: 'bytes',
  write(writer, value, path) {
    assertBytes(value, 'bytes', path);
    writeLengthPrefix(writer, value.length, path);
    writer.writeBytes(value);
  },
  read(reader, path) {
    const length = Number(reader.readUint(4, path));
    return reader.readBytes(length, path);
  },
  toJson: (value) => bytesToHex(value, { prefix: true }),
  fromJson: (json, path) => bytesFromJsonHex(json, 'bytes', path),
};

const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf8Encoder = new TextEncoder();
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** `str`: uint32 byte length, then UTF-8. Invalid UTF-8 and lone surrogates are rejected, as in Python. */
export const str: FieldCodec<string> = {
  typeName: 'str',
  write(writer, value, path) {
    if (typeof value !== 'string') throw new StreamableError(path, `str must be a string, got ${typeof value}`);
    if (LONE_SURROGATE.test(value)) throw new StreamableError(path, 'str contains a lone UTF-16 surrogate');
    const encoded = utf8Encoder.encode(value);
    writeLengthPrefix(writer, encoded.length, path);
    writer.writeBytes(encoded);
  },
  read(reader, path) {
    const length = Number(reader.readUint(4, path));
    const encoded = reader.readBytes(length, path);
    try {
      return utf8Decoder.decode(encoded);
    } catch {
      throw new StreamableError(path, 'str is not valid UTF-8');
    }
  },
  toJson: (value) => value,
  fromJson(json, path) {
    if (typeof json !== 'string') throw new StreamableError(path, `expected str, got ${describeJson(json)}`);
    if (LONE_SURROGATE.test(json)) throw new StreamableError(path, 'str contains a lone UTF-16 surrogate');
    return json;
  },
};

/**
 * `Program` / `SerializedProgram`: the raw CLVM serialization, which delimits itself (no length prefix).
 * Kept as bytes; JSON is the hex of those bytes.
 */
export const serializedProgram: FieldCodec<Uint8Array> = {
  typeName: 'Program',
  write(writer, value, path) {
    assertBytes(value, 'Program', path);
    assertSingleProgram(value, path);
    writer.writeBytes(value);
  },
  read(reader, path) {
    const length = clvmSerializedLength(reader.viewRemaining(), 0, path);
    return reader.readBytes(length, path);
  },
  toJson: (value) => bytesToHex(value, { prefix: true }),
  fromJson(json, path) {
    const value = bytesFromJsonHex(json, 'Program', path);
    assertSingleProgram(value, path);
    return value;
  },
};

function assertSingleProgram(value: Uint8Array, path: string): void {
  const length = clvmSerializedLength(value, 0, path);
  if (length !== value.length) {
    throw new StreamableError(path, `Program has ${value.length - length} byte(s) after the serialized program`);
  }
}

/** Serialized CLVM nil (`Program.to(None)`), the default `pool_memoization`. */
export const CLVM_NIL: Uint8Array = Uint8Array.of(0x80);

// ---------------------------------------------------------------------------------------------------------
// Combinators
// ---------------------------------------------------------------------------------------------------------

/** `Optional[T]`: 0x00, or 0x01 followed by T. JSON null. */
export function optional<T>(inner: FieldCodec<T>): FieldCodec<T | null> {
  return {
    typeName: `Optional[${inner.typeName}]`,
    inner: inner as FieldCodec<unknown>,
    write(writer, value, path) {
      if (value === null || value === undefined) {
        writer.writeByte(0);
        return;
      }
      writer.writeByte(1);
      inner.write(writer, value, path);
    },
    read(reader, path) {
      const flag = reader.readByte(path);
      if (flag === 0) return null;
      if (flag !== 1) {
        throw new StreamableError(path, `invalid Optional flag 0x${flag.toString(16).padStart(2, '0')} (expected 0x00 or 0x01)`);
      }
      return inner.read(reader, path);
    },
    toJson: (value, path) => (value === null ? null : inner.toJson(value, path)),
    fromJson: (json, path) => (json === null ? null : inner.fromJson(json, path)),
  };
}

/** `List[T]`: uint32 count, then the items. */
export function list<T>(item: FieldCodec<T>): FieldCodec<T[]> {
  return {
    typeName: `List[${item.typeName}]`,
    inner: item as FieldCodec<unknown>,
    write(writer, value, path) {
      if (!Array.isArray(value)) throw new StreamableError(path, 'List must be an array');
      writeLengthPrefix(writer, value.length, path);
      value.forEach((element, index) => item.write(writer, element, `${path}[${index}]`));
    },
    read(reader, path) {
      const count = Number(reader.readUint(4, path));
      // Every item takes at least one byte, so a count beyond the remaining input is a lie: fail before looping.
      if (count > reader.remaining) {
        throw new StreamableError(path, `list claims ${count} items but only ${reader.remaining} byte(s) remain`);
      }
      const items: T[] = [];
      for (let index = 0; index < count; index += 1) items.push(item.read(reader, `${path}[${index}]`));
      return items;
    },
    toJson: (value, path) => value.map((element, index) => item.toJson(element, `${path}[${index}]`)),
    fromJson(json, path) {
      if (!Array.isArray(json)) throw new StreamableError(path, `expected a JSON array, got ${describeJson(json)}`);
      return json.map((element, index) => item.fromJson(element, `${path}[${index}]`));
    },
  };
}

export function describeJson(json: unknown): string {
  if (json === null) return 'null';
  if (json === undefined) return 'nothing';
  if (Array.isArray(json)) return 'an array';
  if (typeof json === 'string') return `the string ${JSON.stringify(json.length > 40 ? `${json.slice(0, 40)}...` : json)}`;
  if (typeof json === 'object') return 'an object';
  return `${typeof json} ${String(json)}`;
}
