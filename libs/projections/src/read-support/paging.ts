/** One page of a keyset-paged list: `nextCursor` is null on the last page. */
export interface CursorPage<T> {
  items: T[];
  limit: number;
  nextCursor: string | null;
}

export type CursorKey = readonly (string | number)[];

/** What a keyset-paged query is asked for: rows per page, and the key of the last row of the previous page. */
export interface KeysetRequest {
  limit: number;
  after?: CursorKey;
}

/**
 * Cursors are the sort key of the last row, opaque to clients (base64url JSON). Keyset paging, unlike offsets,
 * neither skips nor repeats a row when new partials or payouts arrive between two page requests.
 */
export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** The key a cursor carries, checked against the shape the list sorts by ('n' number, 's' string); null if it does not fit. */
export function cursorKeyOf(cursor: string, shape: readonly ('n' | 's')[]): CursorKey | null {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  const fits =
    Array.isArray(key) &&
    key.length === shape.length &&
    key.every((value, i) => (shape[i] === 'n' ? Number.isSafeInteger(value) : typeof value === 'string' && value.length <= 128));
  return fits ? (key as CursorKey) : null;
}

/** Fetch limit + 1 rows: the extra one says whether a next page exists without a count query. */
export function pageOf<R, T>(rows: R[], limit: number, map: (row: R) => T, keyOf: (row: R) => CursorKey): CursorPage<T> {
  const more = rows.length > limit;
  const shown = more ? rows.slice(0, limit) : rows;
  return { items: shown.map(map), limit, nextCursor: more ? encodeCursor(keyOf(shown[shown.length - 1]!)) : null };
}

/**
 * The WHERE condition of the page after `after` in a list sorted by `sortKey DESC, tieBreaker DESC`: rows strictly
 * past the last one shown, so equal sort keys neither repeat nor vanish across pages.
 */
export function rowsAfter(sortKey: string, tieBreaker: string, after: CursorKey): { condition: string; params: unknown[] } {
  return { condition: `(${sortKey} < ? OR (${sortKey} = ? AND ${tieBreaker} < ?))`, params: [after[0], after[0], after[1]] };
}

/** `WHERE a AND b`, or nothing for no conditions. */
export function whereClause(conditions: readonly string[]): string {
  return conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
}
