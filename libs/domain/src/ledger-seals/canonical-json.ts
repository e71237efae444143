/**
 * The one JSON spelling the seals hash: RFC 8785 (JSON Canonicalization Scheme) for the values the ledger holds.
 * Object keys sorted by UTF-16 code units (JavaScript's default sort), no whitespace, strings and numbers as
 * JSON.stringify writes them (which is what RFC 8785 prescribes), members whose value is undefined left out as
 * JSON.stringify leaves them out. Two readers of one ledger get the same bytes whichever store they read it from:
 * PostgreSQL's jsonb reorders keys, SQLite keeps them as written, and neither matters here.
 *
 * Money is a bigint in the domain and a decimal string in the ledger; a bigint met here is written as that string,
 * so a value encodes the same before and after it went through the store.
 */
export function canonicalLedgerJson(value: unknown): string {
  // The common case (values read back from a store): the engine's own JSON writer, told every key in sorted order.
  const keys = new Set<string>();
  // "__proto__" in the list would make it read every object's prototype: spelled out instead.
  return plainJson(value, keys) && !keys.has('__proto__') ? JSON.stringify(value, [...keys].sort()) : encodeValue(value);
}

/**
 * Whether JSON.stringify writes `value` as encodeValue does once given every key: only plain objects (no toJSON, no
 * class), arrays without holes or undefined, strings, finite numbers, booleans and null. Collects the keys on the way.
 * JSON.stringify with a list of keys writes each object's keys in the list's order and leaves out members whose value
 * is undefined, as encodeValue does; with every key present in the list, nothing else is left out.
 */
function plainJson(value: unknown, keys: Set<string>): boolean {
  if (value === null) return true;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object': {
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) if (!(i in value) || value[i] === undefined || !plainJson(value[i], keys)) return false;
        return true;
      }
      const prototype: unknown = Object.getPrototypeOf(value);
      if (prototype !== Object.prototype && prototype !== null) return false;
      for (const key of Object.keys(value)) {
        keys.add(key);
        const member = (value as Record<string, unknown>)[key];
        if (member !== undefined && !plainJson(member, keys)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

/** The encoding spelled out, for any value (bigints, undefined in arrays, and what is not JSON, which it refuses). */
function encodeValue(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      // NaN and the infinities are not JSON: the store could not have handed them over.
      if (!Number.isFinite(value)) throw new TypeError(`canonical JSON: ${value} is not a JSON number`);
      return JSON.stringify(value);
    case 'bigint':
      return JSON.stringify(value.toString());
    case 'object':
      if (Array.isArray(value)) return `[${value.map((item: unknown) => (item === undefined ? 'null' : encodeValue(item))).join(',')}]`;
      return `{${Object.keys(value)
        .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
        .sort()
        .map((key) => `${JSON.stringify(key)}:${encodeValue((value as Record<string, unknown>)[key])}`)
        .join(',')}}`;
    default:
      throw new TypeError(`canonical JSON: a ${typeof value} is not a JSON value`);
  }
}
