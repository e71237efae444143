import { BoundedBatchQueue, PerMinuteBudget } from './refusal-queue';

/** A sink whose batches finish only when the test says so. */
function heldSink(): { sink: (batch: number[]) => Promise<void>; batches: number[][]; release: () => void } {
  const batches: number[][] = [];
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  return {
    batches,
    release: () => open(),
    sink: async (batch) => {
      batches.push(batch);
      await gate;
    },
  };
}

describe('BoundedBatchQueue', () => {
  it('drops and counts what does not fit while the sink is busy, and hands the rest over in order, in bounded batches', async () => {
    const held = heldSink();
    const queue = new BoundedBatchQueue(held.sink, { capacity: 5, batchSize: 2, onSinkError: () => undefined });
    // The first item goes straight to the sink (which holds it); five more wait; the last four find the queue full.
    const offered = Array.from({ length: 10 }, (_, i) => queue.offer(i));
    expect(offered).toEqual([true, true, true, true, true, true, false, false, false, false]);
    expect(queue.dropped).toBe(4);
    expect(queue.size).toBe(5);
    held.release();
    await queue.idle();
    expect(held.batches).toEqual([[0], [1, 2], [3, 4], [5]]);
    expect(queue.size).toBe(0);
    // Room again once drained.
    expect(queue.offer(10)).toBe(true);
    await queue.idle();
    expect(held.batches[held.batches.length - 1]).toEqual([10]);
    expect(queue.dropped).toBe(4);
  });

  it('reports a failed batch and goes on with the next', async () => {
    const failed: number[][] = [];
    const written: number[][] = [];
    let calls = 0;
    const queue = new BoundedBatchQueue<number>(
      async (batch) => {
        if (calls++ === 0) throw new Error('store unavailable');
        written.push(batch);
      },
      { capacity: 10, batchSize: 3, onSinkError: (_error, batch) => void failed.push([...batch]) },
    );
    for (let i = 0; i < 4; i++) queue.offer(i);
    await queue.idle();
    expect(failed).toEqual([[0]]);
    expect(written).toEqual([[1, 2, 3]]);
  });
});

describe('PerMinuteBudget', () => {
  it('allows so many per key in each clock minute, keys apart', () => {
    const budget = new PerMinuteBudget(2);
    const minute = 1_749_999_980; // 20 s into a clock minute (1_749_999_960 is one)
    expect([budget.take('a', minute), budget.take('a', minute + 10), budget.take('a', minute + 39)]).toEqual([true, true, false]);
    expect(budget.take('b', minute + 39)).toBe(true);
    expect(budget.take('a', minute + 40)).toBe(true); // the next minute
  });
});
