/**
 * The one JSON spelling the seals hash: RFC 8785 (JSON Canonicalization Scheme) for the values the ledger holds.
 * Object keys sorted by UTF-16 code units (JavaScript's default sort), no whitespace, strings and numbers as
 * JSON.stringify writes them (which is what RFC 8785 prescribes), members whose value is undefined left out as
 * JSON.stringify leaves them out. Two readers of one ledger get the same bytes whichever store they read it from:
 * PostgreSQL's jsonb reorders keys, SQLite keeps them as written, and neither matters here.
 *
 * Money is a bigint in the domain and a decimal string in the ledger; a bigint met here is written as that string,
 * so a value encodes the same before and after it went through the store.
 *
 * Written member by member into one string: JSON.stringify given the sorted keys as its property list took twice as
 * long (it leaves the engine's fast path), and collecting the keys first cost another walk.
 */
export function canonicalLedgerJson(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return encodeString(value);
    case 'number':
      // NaN and the infinities are not JSON: the store could not have handed them over. A finite number's JSON is its
      // string (-0 included, which both write as 0).
      if (!Number.isFinite(value)) throw new TypeError(`canonical JSON: ${value} is not a JSON number`);
      return `${value}`;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return `"${value}"`;
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) {
          if (i > 0) out += ',';
          // A hole writes nothing between its commas, as this encoding always has; no store hands one over.
          if (i in value) out += value[i] === undefined ? 'null' : canonicalLedgerJson(value[i]);
        }
        return `${out}]`;
      }
      let out = '{';
      for (const key of sortedKeys(value)) {
        // Read as an own member: a "__proto__" key read from JSON is a member like any other.
        const member = (value as Record<string, unknown>)[key];
        if (member === undefined) continue;
        out += `${out.length > 1 ? ',' : ''}${memberName(key)}${canonicalLedgerJson(member)}`;
      }
      return `${out}}`;
    }
    default:
      throw new TypeError(`canonical JSON: a ${typeof value} is not a JSON value`);
  }
}

/**
 * A string as JSON.stringify writes it. Most ledger strings (hex, names, decimals) need no escape: they are written
 * between quotes as they are, which is what keeps hashing millions of events cheap; the others (a quote, a backslash, a
 * control character, any UTF-16 surrogate, lone or paired) go to JSON.stringify.
 */
// eslint-disable-next-line no-control-regex -- the control characters are among what JSON escapes
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;
const encodeString = (s: string): string => (NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`);

/**
 * A member's key as written before its value (`"key":`), each spelled once: the ledger's events use a hundred-odd keys,
 * and spelling one anew (the escape test, the quotes) cost the seals' thread about 0.5 µs an event. Keys that are data
 * (an object keyed by launcher ids) are spelled each time once the cache is full, so it stays small.
 */
const memberNames = new Map<string, string>();
const MEMBER_NAMES_KEPT = 4096;
function memberName(key: string): string {
  let name = memberNames.get(key);
  if (name === undefined) {
    name = `${encodeString(key)}:`;
    if (memberNames.size < MEMBER_NAMES_KEPT) memberNames.set(key, name);
  }
  return name;
}

/** An object's keys in UTF-16 code unit order; most are read back in an order that is not, a few already are. */
function sortedKeys(object: object): string[] {
  const keys = Object.keys(object);
  for (let i = 1; i < keys.length; i++) if (keys[i - 1]! > keys[i]!) return keys.sort();
  return keys;
}
