import { type Logger } from '@nestjs/common';
import { runEvery } from '@pool/runtime';
import { type BooksCloser } from './books-closer';

/** One round every `intervalMs`: the closer reads what was committed since and closes the books after each settlement. */
export async function runBooksCloserLoop(closer: BooksCloser, intervalMs: number, logger: Pick<Logger, 'log' | 'warn'>, signal: AbortSignal): Promise<void> {
  await runEvery(
    intervalMs,
    signal,
    async () => {
      const closings = await closer.catchUp();
      if (closings > 0) logger.log(`books closed at position ${closer.lastClosedPosition ?? '-'} (${closings} closing(s))`);
    },
    (error) => logger.warn(`books closer: ${(error as Error).message}`),
  );
}
