import { BadRequestException } from '@nestjs/common';
import { encodeCursor, pageOf } from '@pool/projections';
import { decodeCursor } from './paging';
import { toCsv } from './csv';

describe('keyset paging', () => {
  it('round-trips a sort key through an opaque cursor', () => {
    const cursor = encodeCursor([1_700_000_000, 'ab'.repeat(32)]);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, ['n', 's'])).toEqual([1_700_000_000, 'ab'.repeat(32)]);
    expect(decodeCursor(undefined, ['n'])).toBeUndefined();
  });

  it('refuses cursors of another shape or not base64url JSON', () => {
    expect(() => decodeCursor(encodeCursor(['x']), ['n'])).toThrow(BadRequestException);
    expect(() => decodeCursor(encodeCursor([1, 2]), ['n', 's'])).toThrow(BadRequestException);
    expect(() => decodeCursor('not-a-cursor', ['n'])).toThrow(BadRequestException);
    expect(() => decodeCursor(encodeCursor([1.5]), ['n'])).toThrow(/nextCursor/);
  });

  it('pages with one extra row and no cursor on the last page', () => {
    const rows = [5, 4, 3];
    const first = pageOf(rows, 2, (n) => ({ n }), (n) => [n]);
    expect(first).toEqual({ items: [{ n: 5 }, { n: 4 }], limit: 2, nextCursor: encodeCursor([4]) });
    expect(pageOf(rows.slice(2), 2, (n) => n, (n) => [n])).toEqual({ items: [3], limit: 2, nextCursor: null });
  });
});

describe('CSV', () => {
  it('quotes fields with separators and ends lines with CRLF', () => {
    expect(toCsv(['a', 'b'], [[1, 'x,y'], [null, 'say "hi"'], [10n ** 20n, '']])).toBe('a,b\r\n1,"x,y"\r\n,"say ""hi"""\r\n100000000000000000000,\r\n');
  });
});
