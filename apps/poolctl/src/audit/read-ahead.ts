/**
 * The pages of `source`, the next one asked for before the current one is handed over: a store that answers over the
 * network (PostgreSQL) reads and sends it while this thread works through the current one.
 */
export async function* readAhead<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let next = iterator.next();
  try {
    for (;;) {
      const current = await next;
      if (current.done === true) return;
      next = iterator.next();
      // Marked handled at once: a read that fails while this page is worked through is reported when awaited.
      next.catch(() => undefined);
      yield current.value;
    }
  } finally {
    await iterator.return?.();
  }
}
