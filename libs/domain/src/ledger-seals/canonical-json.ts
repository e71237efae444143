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
      if (Array.isArray(value)) return `[${value.map((item: unknown) => (item === undefined ? 'null' : canonicalLedgerJson(item))).join(',')}]`;
      return `{${Object.keys(value)
        .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
        .sort()
        .map((key) => `${JSON.stringify(key)}:${canonicalLedgerJson((value as Record<string, unknown>)[key])}`)
        .join(',')}}`;
    default:
      throw new TypeError(`canonical JSON: a ${typeof value} is not a JSON value`);
  }
}
