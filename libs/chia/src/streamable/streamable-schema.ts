import { sha256 } from '../util/hash';
import { ByteReader, ByteWriter } from './byte-stream';
import { describeJson, type FieldCodec } from './field-codecs';
import { type JsonObject, type JsonValue, parseChiaJson, stringifyChiaJson } from '../util/json-bigint';
import { StreamableError, joinPath } from './streamable-error';

/** One field of a Streamable class, in declaration order (which is also the byte order). */
export interface FieldSpec<Name extends string, T> {
  /** Property name on the TypeScript object (camelCase). */
  readonly name: Name;
  readonly codec: FieldCodec<T>;
  /** Key in Chia's JSON form (snake_case). */
  readonly jsonKey: string;
  /** Used when the JSON key is absent; without it a missing key is an error, as in Chia's from_json_dict. */
  readonly defaultValue?: () => T;
}

export interface FieldOptions<T> {
  readonly jsonKey?: string;
  readonly defaultValue?: () => T;
}

/** Declares a field; the JSON key defaults to the snake_case spelling of `name` (`launcherId` -> `launcher_id`). */
export function field<Name extends string, T>(
  name: Name,
  codec: FieldCodec<T>,
  options: FieldOptions<T> = {},
): FieldSpec<Name, T> {
  return {
    name,
    codec,
    jsonKey: options.jsonKey ?? camelToSnake(name),
    ...(options.defaultValue === undefined ? {} : { defaultValue: options.defaultValue }),
  };
}

export function camelToSnake(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

// The field list mixes value types, so its element type has to accept any FieldCodec<T>.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFieldSpec = FieldSpec<string, any>;

/** The TypeScript object type described by a field list. */
export type StreamableObject<Fields extends readonly AnyFieldSpec[]> = {
  [Spec in Fields[number] as Spec['name']]: Spec extends FieldSpec<string, infer T> ? T : never;
};

/** A Streamable class: a codec usable as a nested field, plus whole-message helpers. */
export interface StreamableSchema<T> extends FieldCodec<T> {
  readonly className: string;
  readonly fields: readonly AnyFieldSpec[];
  /** `bytes(obj)` in Chia. */
  encode(value: T): Uint8Array;
  /** `Class.from_bytes(data)`: the whole input must be exactly one value. */
  decode(data: Uint8Array): T;
  /** `obj.get_hash()` = SHA-256 of the Streamable bytes. */
  hash(value: T): Uint8Array;
  toJson(value: T, path?: string): JsonObject;
  fromJson(json: unknown, path?: string): T;
  /** Parses JSON text with exact integers, then `fromJson`. */
  fromJsonText(text: string): T;
  /** `toJson` written as text with exact integers (Chia's key order: declaration order). */
  toJsonText(value: T): string;
}

export function defineStreamable<const Fields extends readonly AnyFieldSpec[]>(
  className: string,
  fields: Fields,
): StreamableSchema<StreamableObject<Fields>> {
  type T = StreamableObject<Fields>;

  const write = (writer: ByteWriter, value: T, path: string): void => {
    const record = asRecord(value, className, path);
    for (const spec of fields) {
      const fieldPath = joinPath(path, spec.jsonKey);
      const fieldValue = record[spec.name];
      if (fieldValue === undefined) throw new StreamableError(fieldPath, `missing value for ${spec.codec.typeName} field`);
      spec.codec.write(writer, fieldValue, fieldPath);
    }
  };

  const read = (reader: ByteReader, path: string): T => {
    const result: Record<string, unknown> = {};
    for (const spec of fields) result[spec.name] = spec.codec.read(reader, joinPath(path, spec.jsonKey));
    return result as T;
  };

  const toJson = (value: T, path: string = className): JsonObject => {
    const record = asRecord(value, className, path);
    const json: JsonObject = {};
    for (const spec of fields) {
      const fieldPath = joinPath(path, spec.jsonKey);
      const fieldValue = record[spec.name];
      if (fieldValue === undefined) throw new StreamableError(fieldPath, `missing value for ${spec.codec.typeName} field`);
      json[spec.jsonKey] = spec.codec.toJson(fieldValue, fieldPath);
    }
    return json;
  };

  const fromJson = (json: unknown, path: string = className): T => {
    if (json === null || typeof json !== 'object' || Array.isArray(json)) {
      throw new StreamableError(path, `expected a JSON object for ${className}, got ${describeJson(json)}`);
    }
    const source = json as Record<string, unknown>;
    const result: Record<string, unknown> = {};
    for (const spec of fields) {
      const fieldPath = joinPath(path, spec.jsonKey);
      if (Object.prototype.hasOwnProperty.call(source, spec.jsonKey)) {
        result[spec.name] = spec.codec.fromJson(source[spec.jsonKey], fieldPath);
      } else if (spec.defaultValue !== undefined) {
        result[spec.name] = spec.defaultValue();
      } else {
        throw new StreamableError(fieldPath, `missing key "${spec.jsonKey}" (${spec.codec.typeName})`);
      }
    }
    return result as T;
  };

  return schemaFromCodec<T>({ typeName: className, fields, write, read, toJson, fromJson });
}

/** Wraps a hand-written codec (one whose layout is not a plain field list) with the whole-message helpers. */
export function schemaFromCodec<T>(codec: FieldCodec<T> & { readonly fields: readonly AnyFieldSpec[] }): StreamableSchema<T> {
  const className = codec.typeName;
  const encode = (value: T): Uint8Array => {
    const writer = new ByteWriter();
    codec.write(writer, value, className);
    return writer.toBytes();
  };
  const toJson = (value: T, path: string = className): JsonObject => {
    const json: JsonValue = codec.toJson(value, path);
    if (json === null || typeof json !== 'object' || Array.isArray(json)) {
      throw new StreamableError(path, `${className} did not produce a JSON object`);
    }
    return json;
  };
  const fromJson = (json: unknown, path: string = className): T => codec.fromJson(json, path);
  return {
    className,
    typeName: className,
    fields: codec.fields,
    write: codec.write,
    read: codec.read,
    toJson,
    fromJson,
    encode,
    decode(data: Uint8Array): T {
      if (!(data instanceof Uint8Array)) throw new StreamableError(className, 'decode expects a Uint8Array');
      const reader = new ByteReader(data);
      const value = codec.read(reader, className);
      reader.assertFullyConsumed(className);
      return value;
    },
    hash: (value: T) => sha256(encode(value)),
    fromJsonText: (text: string) => fromJson(parseChiaJson(text)),
    toJsonText: (value: T) => stringifyChiaJson(toJson(value)),
  };
}


function asRecord(value: unknown, className: string, path: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object') {
    throw new StreamableError(path, `expected a ${className} object, got ${value === null ? 'null' : typeof value}`);
  }
  return value as Record<string, unknown>;
}
