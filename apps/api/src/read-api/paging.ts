import { BadRequestException } from '@nestjs/common';
import { cursorKeyOf, type CursorKey } from '@pool/projections';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 500;

/** The key a `cursor` query parameter carries (undefined for the first page); a 400 for one this list did not issue. */
export function decodeCursor(cursor: string | undefined, shape: readonly ('n' | 's')[]): CursorKey | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  const key = cursorKeyOf(cursor, shape);
  if (key === null) throw new BadRequestException('cursor is not one this list issued (pass nextCursor from the previous page unchanged)');
  return key;
}
