import fc from 'fast-check';

/*
 * What the protocol fuzzer sends: for each body field of a route, what the api's DTO accepts there, and from that
 * the arbitraries of malformed values (the DTO must refuse them, naming the field), of well-formed but wrong
 * values (refused by a later check), and of junk that is no request at all. Plain fast-check, no jest: the same
 * generators run in the CI spec (test/e2e/protocol-fuzz.e2e-spec.ts) and in the long script (protocol-fuzz.main.ts).
 */

export type Json = unknown;
export type Path = readonly string[];

/** A field of a request body: where it is, and what the DTO accepts there. */
export interface FieldSpec {
  path: Path;
  kind: { type: 'hex'; bytes?: number; nullable?: boolean } | { type: 'uint'; bits: 8 | 16 | 32 | 64; nullable?: boolean } | { type: 'bool' } | { type: 'string'; maxLength: number; nullable?: boolean } | { type: 'object' };
  optional?: boolean;
}

const HEX_RE = /^(0x|0X)?([0-9a-fA-F]{2})*$/;
export const hexOf = (bytes: Uint8Array): string => `0x${Buffer.from(bytes).toString('hex')}`;

/** Values that are never a JSON object: for fields that must be one. */
const notAnObject = (): fc.Arbitrary<Json> => fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.jsonValue(), { maxLength: 4 }));

/** Deeply nested arrays/objects, to reach recursion in the decoding path. */
export const nested = (): fc.Arbitrary<Json> =>
  fc.tuple(fc.integer({ min: 1, max: 60 }), fc.boolean()).map(([depth, arrays]) => {
    let value: Json = 'leaf';
    for (let i = 0; i < depth; i++) value = arrays ? [value] : { x: value };
    return value;
  });

/** Values the field's validation must refuse, by kind: wrong types, wrong hex lengths, out-of-range numbers. */
function invalidValue(kind: FieldSpec['kind']): fc.Arbitrary<Json> {
  const wrongShapes = [fc.array(fc.jsonValue(), { maxLength: 4 }), fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue(), { maxKeys: 4 }), nested()];
  const nullUnlessNullable = 'nullable' in kind && kind.nullable ? [] : [fc.constant(null)];
  switch (kind.type) {
    case 'hex': {
      const wrongLength =
        kind.bytes === undefined
          ? fc.constant(`0x${'ab'.repeat(4097)}`) // over maxBytes
          : fc.uint8Array({ maxLength: 100 }).filter((b) => b.length !== kind.bytes).map(hexOf);
      return fc.oneof(
        wrongLength,
        fc.string().filter((s) => !HEX_RE.test(s)),
        fc.uint8Array({ minLength: 1, maxLength: 40 }).map((b) => `${hexOf(b)}0`), // odd length
        fc.integer(),
        fc.bigInt(),
        fc.boolean(),
        ...nullUnlessNullable,
        ...wrongShapes,
      );
    }
    case 'uint': {
      const max = (1n << BigInt(kind.bits)) - 1n;
      return fc.oneof(
        fc.bigInt({ min: max + 1n, max: max + (1n << 80n) }), // beyond the type
        fc.bigInt({ min: -(1n << 80n), max: -1n }), // negative
        fc.double({ noNaN: true, noDefaultInfinity: true }).filter((x) => !Number.isSafeInteger(x)), // floats, and integers past 2^53
        fc.string().filter((s) => !/^[0-9]{1,20}$/.test(s)),
        fc.bigInt({ min: 1n << 64n, max: 1n << 70n }).map(String), // a decimal string past uint64
        fc.boolean(),
        ...nullUnlessNullable,
        ...wrongShapes,
      );
    }
    case 'bool':
      return fc.oneof(fc.integer(), fc.string(), fc.constant(null), ...wrongShapes);
    case 'string':
      return fc.oneof(fc.integer(), fc.boolean(), fc.string({ minLength: kind.maxLength + 1, maxLength: kind.maxLength + 50, unit: 'binary-ascii' }), ...nullUnlessNullable, ...wrongShapes);
    case 'object':
      return notAnObject();
  }
}

/** Values of the right shape (random, so the request is still wrong: a bad signature, an unknown farmer…). */
function wellFormedValue(kind: FieldSpec['kind']): fc.Arbitrary<Json> {
  switch (kind.type) {
    case 'hex':
      return fc.uint8Array({ minLength: kind.bytes ?? 0, maxLength: kind.bytes ?? 300 }).map(hexOf);
    case 'uint':
      return fc.bigInt({ min: 0n, max: (1n << BigInt(kind.bits)) - 1n });
    case 'bool':
      return fc.boolean();
    case 'string':
      return fc.string({ maxLength: 100 });
    case 'object':
      return fc.constant({});
  }
}

export const PARTIAL_FIELDS: FieldSpec[] = [
  { path: ['payload'], kind: { type: 'object' } },
  { path: ['payload', 'launcher_id'], kind: { type: 'hex', bytes: 32 } },
  { path: ['payload', 'authentication_token'], kind: { type: 'uint', bits: 64 } },
  { path: ['payload', 'proof_of_space'], kind: { type: 'object' } },
  { path: ['payload', 'proof_of_space', 'challenge'], kind: { type: 'hex', bytes: 32 } },
  { path: ['payload', 'proof_of_space', 'pool_public_key'], kind: { type: 'hex', bytes: 48, nullable: true } },
  { path: ['payload', 'proof_of_space', 'pool_contract_puzzle_hash'], kind: { type: 'hex', bytes: 32, nullable: true } },
  { path: ['payload', 'proof_of_space', 'plot_public_key'], kind: { type: 'hex', bytes: 48 } },
  { path: ['payload', 'proof_of_space', 'size'], kind: { type: 'uint', bits: 8 } },
  { path: ['payload', 'proof_of_space', 'proof'], kind: { type: 'hex' } },
  { path: ['payload', 'sp_hash'], kind: { type: 'hex', bytes: 32 } },
  { path: ['payload', 'end_of_sub_slot'], kind: { type: 'bool' } },
  { path: ['payload', 'harvester_id'], kind: { type: 'hex', bytes: 32 } },
  { path: ['aggregate_signature'], kind: { type: 'hex', bytes: 96 } },
];

/** POST /v2/partial: the same body, with the JWT beside the payload (CHIP-59). */
export const PARTIAL_V2_FIELDS: FieldSpec[] = [...PARTIAL_FIELDS, { path: ['authentication_token_v2'], kind: { type: 'string', maxLength: 4096, nullable: true }, optional: true }];

export const POST_FARMER_FIELDS: FieldSpec[] = [
  { path: ['payload'], kind: { type: 'object' } },
  { path: ['payload', 'launcher_id'], kind: { type: 'hex', bytes: 32 } },
  { path: ['payload', 'authentication_token'], kind: { type: 'uint', bits: 64 } },
  { path: ['payload', 'authentication_public_key'], kind: { type: 'hex', bytes: 48 } },
  { path: ['payload', 'payout_instructions'], kind: { type: 'string', maxLength: 1024 } },
  { path: ['payload', 'suggested_difficulty'], kind: { type: 'uint', bits: 64, nullable: true } },
  { path: ['signature'], kind: { type: 'hex', bytes: 96 } },
];

export const PUT_FARMER_FIELDS: FieldSpec[] = [
  { path: ['payload'], kind: { type: 'object' } },
  { path: ['payload', 'launcher_id'], kind: { type: 'hex', bytes: 32 } },
  { path: ['payload', 'authentication_token'], kind: { type: 'uint', bits: 64 } },
  { path: ['payload', 'authentication_public_key'], kind: { type: 'hex', bytes: 48, nullable: true } },
  { path: ['payload', 'payout_instructions'], kind: { type: 'string', maxLength: 1024, nullable: true }, optional: true },
  { path: ['payload', 'suggested_difficulty'], kind: { type: 'uint', bits: 64, nullable: true } },
  { path: ['payload', 'authentication_token_v2'], kind: { type: 'string', maxLength: 4096, nullable: true }, optional: true },
  { path: ['signature'], kind: { type: 'hex', bytes: 96, nullable: true } },
];

/** `body` with the value at `path` replaced (or removed when `value` is `REMOVE`). Copies along the path only. */
export const REMOVE = Symbol('remove');
export function setAt(body: Json, path: Path, value: Json | typeof REMOVE): Json {
  const [head, ...rest] = path;
  const copy = { ...(body as Record<string, Json>) };
  if (rest.length === 0) {
    if (value === REMOVE) delete copy[head!];
    else copy[head!] = value;
  } else {
    copy[head!] = setAt(copy[head!], rest, value);
  }
  return copy;
}

/** Removing a field the DTO requires, or putting a value there it refuses. */
export function malformation(fields: FieldSpec[]): fc.Arbitrary<{ path: Path; value: Json | typeof REMOVE }> {
  const required = fields.filter((f) => !f.optional);
  return fc.oneof(
    fc.constantFrom(...required).map((f) => ({ path: f.path, value: REMOVE as Json | typeof REMOVE })),
    fc.constantFrom(...fields).chain((f) => invalidValue(f.kind).map((value) => ({ path: f.path, value: value as Json | typeof REMOVE }))),
  );
}

/** Well-formed changes: right-shaped random values, and extra fields anywhere. */
export function wellFormedChanges(fields: FieldSpec[]): fc.Arbitrary<{ path: Path; value: Json }[]> {
  const objectPaths = [[] as Path, ...fields.filter((f) => f.kind.type === 'object').map((f) => f.path)];
  const replace = fc
    .constantFrom(...fields.filter((f) => f.kind.type !== 'object'))
    .chain((f) => wellFormedValue(f.kind).map((value) => ({ path: f.path, value })));
  const extra = fc
    .tuple(fc.constantFrom(...objectPaths), fc.string({ minLength: 1, maxLength: 12 }), fc.jsonValue({ maxDepth: 3 }))
    .filter(([path, key]) => !fields.some((f) => f.path.length === path.length + 1 && f.path[path.length] === key) && key !== '__proto__')
    .map(([path, key, value]) => ({ path: [...path, key], value: value as Json }));
  return fc.array(fc.oneof(replace, extra), { minLength: 1, maxLength: 4 });
}

/** Text that is no request object: junk, JSON of other shapes, deep nesting (under the 64 KiB body limit). */
export const junkBody = (): fc.Arbitrary<string> =>
  fc.oneof(
    fc.string(),
    fc.jsonValue().map((v) => JSON.stringify(v)),
    nested().map((v) => JSON.stringify(v)),
    fc.integer({ min: 1, max: 20_000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`),
    fc.integer({ min: 1, max: 5_000 }).map((depth) => `${'{"payload":'.repeat(depth)}1${'}'.repeat(depth)}`),
  );

/**
 * JSON text of a fuzzed body, bigints as bare numbers. Unlike stringifyChiaJson it also writes what a sloppy
 * client would: integers past 2^53 as JavaScript prints them.
 */
const BIG = '\u0000big:';
export function toJsonText(value: Json): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `${BIG}${v}` : v)).replace(/"\\u0000big:(-?[0-9]+)"/g, '$1');
}

/** The last path segment a validation message names (a removed `payload.x` is reported as `payload.x`). */
export const fieldName = (path: Path): string => path[path.length - 1]!;

/** A query-string value of any sort: text, graphemes, hex, huge and negative integers, floats. */
export const queryValue = (): fc.Arbitrary<string> =>
  fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.uint8Array({ maxLength: 100 }).map(hexOf), fc.bigInt({ min: -(1n << 80n), max: 1n << 80n }).map(String), fc.double().map(String));

/**
 * Query strings built from `valid` (the route's parameters with acceptable values): each parameter kept, dropped,
 * replaced or repeated, plus extra parameters; at least one parameter is dropped or replaced, so none is the valid
 * query itself.
 */
export function mangledQuery(names: readonly string[], valid: () => Record<string, string>): fc.Arbitrary<string> {
  const value = queryValue();
  const replaced = fc.record(Object.fromEntries(names.map((name) => [name, fc.oneof(value, fc.array(value, { minLength: 2, maxLength: 3 }))])) as Record<string, fc.Arbitrary<string | string[]>>, { requiredKeys: [] });
  const extra = fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), value, { maxKeys: 3 });
  return fc
    .tuple(replaced, fc.subarray([...names]), extra)
    .filter(([mangled, kept]) => names.some((key) => mangled[key] !== undefined || !kept.includes(key)))
    .map(([mangled, kept, more]) => {
      const params = new URLSearchParams();
      const base = valid();
      for (const key of names) {
        const replacement = mangled[key];
        if (replacement !== undefined) for (const v of [replacement].flat()) params.append(key, v);
        else if (kept.includes(key)) params.append(key, base[key]!);
      }
      for (const [key, v] of Object.entries(more)) if (!names.includes(key)) params.append(key, v);
      return params.toString();
    });
}
