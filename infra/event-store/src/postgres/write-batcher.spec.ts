import { WriteBatcher } from './write-batcher';

/** A writeBatch whose batches the test settles by hand, one at a time. */
function manualWrites() {
  const batches: { items: number[]; settle: (error?: Error) => void }[] = [];
  // Odd items over 100 fail alone; the rest are written.
  const outcome = (n: number): PromiseSettledResult<string> =>
    n > 100 && n % 2 === 1 ? { status: 'rejected', reason: new Error(`refused ${n}`) } : { status: 'fulfilled', value: `wrote ${n}` };
  const writeBatch = (items: number[]) =>
    new Promise<PromiseSettledResult<string>[]>((resolve, reject) => {
      batches.push({ items, settle: (error) => (error ? reject(error) : resolve(items.map(outcome))) });
    });
  return { batches, writeBatch };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('WriteBatcher', () => {
  it('sends a lone write at once, and what arrives meanwhile together once a slot is free', async () => {
    const { batches, writeBatch } = manualWrites();
    const batcher = new WriteBatcher(writeBatch, { maxInFlight: 1, maxBatch: 100 });
    const first = batcher.write(1);
    await turn();
    expect(batches.map((b) => b.items)).toEqual([[1]]);

    const later = [2, 3, 4].map((n) => batcher.write(n));
    await turn();
    expect(batches).toHaveLength(1); // the only slot is taken

    batches[0]!.settle();
    expect(await first).toBe('wrote 1');
    await turn();
    expect(batches.map((b) => b.items)).toEqual([[1], [2, 3, 4]]);
    batches[1]!.settle();
    expect(await Promise.all(later)).toEqual(['wrote 2', 'wrote 3', 'wrote 4']);
  });

  it('keeps batches within maxBatch and in flight within maxInFlight', async () => {
    const { batches, writeBatch } = manualWrites();
    const batcher = new WriteBatcher(writeBatch, { maxInFlight: 2, maxBatch: 3 });
    const writes = Array.from({ length: 8 }, (_, n) => batcher.write(n));
    await turn();
    await turn();
    expect(batches.map((b) => b.items)).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
    batches[1]!.settle();
    await turn();
    await turn();
    expect(batches.map((b) => b.items)).toEqual([
      [0, 1, 2],
      [3, 4, 5],
      [6, 7],
    ]);
    batches[0]!.settle();
    batches[2]!.settle();
    expect(await Promise.all(writes)).toEqual(Array.from({ length: 8 }, (_, n) => `wrote ${n}`));
  });

  it('fails an item the batch refused, and only that one', async () => {
    const { batches, writeBatch } = manualWrites();
    const batcher = new WriteBatcher(writeBatch, { maxInFlight: 1, maxBatch: 10 });
    const writes = [101, 102, 103].map((n) => batcher.write(n));
    await turn();
    batches[0]!.settle();
    const settled = await Promise.allSettled(writes);
    expect(settled.map((s) => (s.status === 'fulfilled' ? s.value : (s.reason as Error).message))).toEqual(['refused 101', 'wrote 102', 'refused 103']);
  });

  it('fails every write of a failed batch, and only those', async () => {
    const { batches, writeBatch } = manualWrites();
    const batcher = new WriteBatcher(writeBatch, { maxInFlight: 1, maxBatch: 2 });
    const writes = [1, 2, 3].map((n) => batcher.write(n));
    await turn();
    batches[0]!.settle(new Error('connection lost'));
    await expect(writes[0]).rejects.toThrow('connection lost');
    await expect(writes[1]).rejects.toThrow('connection lost');
    await turn();
    batches[1]!.settle();
    expect(await writes[2]).toBe('wrote 3');
  });
});
