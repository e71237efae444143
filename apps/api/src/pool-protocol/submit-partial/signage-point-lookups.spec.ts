import { type RecentSignagePointOrEos, type SignagePointOrEosQuery } from '@pool/chia';
import { waitingSignagePointLookups, type SignagePointLookup } from './signage-point-lookups';

const FOUND = { kind: 'signage_point', timeReceived: 1000, reverted: false } as unknown as RecentSignagePointOrEos;

/** A node that answers from a script per point (null = not known yet), counting its RPC calls. */
class FakeNode implements SignagePointLookup {
  readonly calls: string[] = [];
  constructor(private readonly answerOnLook: (key: string, look: number) => RecentSignagePointOrEos | null | Error) {}

  async getRecentSignagePointOrEos(query: SignagePointOrEosQuery): Promise<RecentSignagePointOrEos | null> {
    const key = 'spHash' in query ? query.spHash : `eos ${query.challengeHash}`;
    this.calls.push(key);
    const answer = this.answerOnLook(key, this.calls.filter((k) => k === key).length);
    if (answer instanceof Error) throw answer;
    return answer;
  }

  looksAt(key: string): number {
    return this.calls.filter((k) => k === key).length;
  }
}

/** A sleep the test ends by hand (`wakeUp`), so no test sleeps for real; the abort signal ends it too. */
class ManualSleep {
  private sleepers: (() => void)[] = [];
  count = 0;
  readonly sleep = (_ms: number, signal: AbortSignal): Promise<void> =>
    new Promise((resolve) => {
      this.count += 1;
      this.sleepers.push(resolve);
      signal.addEventListener('abort', () => resolve(), { once: true });
    });

  /** Ends every pending sleep and lets the loops run until they sleep (or settle) again. */
  async wakeUp(): Promise<void> {
    for (const resolve of this.sleepers.splice(0)) resolve();
    await settle();
  }
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const immediately = async (): Promise<void> => undefined;

/** Tracks a promise's outcome without awaiting it. */
function watch<T>(promise: Promise<T>): { done: boolean; value?: T; error?: unknown } {
  const state: { done: boolean; value?: T; error?: unknown } = { done: false };
  promise.then(
    (value) => Object.assign(state, { done: true, value }),
    (error: unknown) => Object.assign(state, { done: true, error }),
  );
  return state;
}

describe('waitingSignagePointLookups', () => {
  it('answers a point the node knows with one look, and from memory for rememberFoundMs after it', async () => {
    let clock = 0;
    const node = new FakeNode((key, look) => (key === 'aa' && look === 2 ? { ...FOUND, reverted: true } : FOUND));
    const lookups = waitingSignagePointLookups(node, { retries: 10, intervalMs: 1000, signal: new AbortController().signal, sleep: immediately, rememberFoundMs: 1000, now: () => clock });
    await expect(lookups.getRecentSignagePointOrEos({ spHash: 'aa' })).resolves.toBe(FOUND);
    clock = 999;
    await expect(lookups.getRecentSignagePointOrEos({ spHash: 'aa' })).resolves.toBe(FOUND);
    expect(node.calls).toEqual(['aa']);
    // Once the memory is a second old the node is asked again, and its news (here: reverted) is the answer.
    clock = 1000;
    await expect(lookups.getRecentSignagePointOrEos({ spHash: 'aa' })).resolves.toMatchObject({ reverted: true });
    await expect(lookups.getRecentSignagePointOrEos({ challengeHash: 'aa' })).resolves.toBe(FOUND);
    expect(node.calls).toEqual(['aa', 'aa', 'eos aa']);
  });

  it('remembers no point that was not found, and nothing when rememberFoundMs is 0', async () => {
    const node = new FakeNode((key, look) => (key === 'late' && look === 1 ? null : FOUND));
    const lookups = waitingSignagePointLookups(node, { retries: 0, intervalMs: 1000, signal: new AbortController().signal, sleep: immediately, now: () => 0 });
    await expect(lookups.getRecentSignagePointOrEos({ spHash: 'late' })).resolves.toBeNull();
    await expect(lookups.getRecentSignagePointOrEos({ spHash: 'late' })).resolves.toBe(FOUND);
    expect(node.calls).toEqual(['late', 'late']);

    const forgetful = new FakeNode(() => FOUND);
    const asking = waitingSignagePointLookups(forgetful, { retries: 0, intervalMs: 1000, signal: new AbortController().signal, sleep: immediately, rememberFoundMs: 0 });
    await asking.getRecentSignagePointOrEos({ spHash: 'aa' });
    await asking.getRecentSignagePointOrEos({ spHash: 'aa' });
    expect(forgetful.calls).toEqual(['aa', 'aa']);
  });

  it('looks again until the point appears, one RPC per round however many partials wait for it (found on the 3rd look)', async () => {
    const node = new FakeNode((_key, look) => (look < 3 ? null : FOUND));
    const sleep = new ManualSleep();
    const lookups = waitingSignagePointLookups(node, { retries: 10, intervalMs: 1000, signal: new AbortController().signal, sleep: sleep.sleep });

    const first = Array.from({ length: 20 }, () => watch(lookups.getRecentSignagePointOrEos({ spHash: 'aa' })));
    await settle();
    expect(node.calls).toHaveLength(1);
    // More partials of the same point arrive while the first ones wait: they join the same loop.
    const later = Array.from({ length: 30 }, () => watch(lookups.getRecentSignagePointOrEos({ spHash: 'aa' })));
    await sleep.wakeUp();
    expect(node.calls).toHaveLength(2);
    expect([...first, ...later].some((w) => w.done)).toBe(false);
    await sleep.wakeUp();

    expect(node.calls).toEqual(['aa', 'aa', 'aa']);
    expect(sleep.count).toBe(2);
    for (const waiter of [...first, ...later]) expect(waiter).toEqual({ done: true, value: FOUND });
  });

  it('waits separately for different points, and for an end of sub-slot apart from a signage point of the same hash', async () => {
    const node = new FakeNode((_key, look) => (look < 2 ? null : FOUND));
    const sleep = new ManualSleep();
    const lookups = waitingSignagePointLookups(node, { retries: 10, intervalMs: 1000, signal: new AbortController().signal, sleep: sleep.sleep });
    const answers = [
      lookups.getRecentSignagePointOrEos({ spHash: 'aa' }),
      lookups.getRecentSignagePointOrEos({ spHash: 'bb' }),
      lookups.getRecentSignagePointOrEos({ challengeHash: 'aa' }),
      lookups.getRecentSignagePointOrEos({ spHash: 'bb' }),
    ];
    await settle();
    await sleep.wakeUp();
    await expect(Promise.all(answers)).resolves.toEqual([FOUND, FOUND, FOUND, FOUND]);
    expect([node.looksAt('aa'), node.looksAt('bb'), node.looksAt('eos aa')]).toEqual([2, 2, 2]);
  });

  it('gives up after its budget (the first look and `retries` more) and answers not found', async () => {
    const node = new FakeNode(() => null);
    const sleep = new ManualSleep();
    const lookups = waitingSignagePointLookups(node, { retries: 3, intervalMs: 1000, signal: new AbortController().signal, sleep: sleep.sleep });
    const waiters = [watch(lookups.getRecentSignagePointOrEos({ spHash: 'aa' })), watch(lookups.getRecentSignagePointOrEos({ spHash: 'aa' }))];
    await settle();
    for (let round = 0; round < 3; round++) {
      expect(waiters.some((w) => w.done)).toBe(false);
      await sleep.wakeUp();
    }
    expect(node.calls).toHaveLength(4);
    for (const waiter of waiters) expect(waiter).toEqual({ done: true, value: null });
    // The loop is over: nothing more is looked up, and the next partial starts afresh.
    await sleep.wakeUp();
    expect(node.calls).toHaveLength(4);
    const next = watch(lookups.getRecentSignagePointOrEos({ spHash: 'aa' }));
    await settle();
    expect(node.calls).toHaveLength(5);
    expect(next.done).toBe(false);
  });

  it('gives a partial that joins a running wait its own full budget, without a second loop', async () => {
    const node = new FakeNode(() => null);
    const sleep = new ManualSleep();
    const lookups = waitingSignagePointLookups(node, { retries: 3, intervalMs: 1000, signal: new AbortController().signal, sleep: sleep.sleep });
    const early = watch(lookups.getRecentSignagePointOrEos({ spHash: 'aa' }));
    await settle();
    await sleep.wakeUp(); // look 2
    const late = watch(lookups.getRecentSignagePointOrEos({ spHash: 'aa' }));
    await sleep.wakeUp(); // look 3: the late partial's first
    await sleep.wakeUp(); // look 4: the early partial's last
    expect(node.calls).toHaveLength(4);
    expect(early).toEqual({ done: true, value: null });
    expect(late.done).toBe(false);
    await sleep.wakeUp(); // look 5
    await sleep.wakeUp(); // look 6: the late partial's last
    expect(node.calls).toHaveLength(6);
    expect(late).toEqual({ done: true, value: null });
  });

  it('fails every waiter with the node failure, as a single lookup would', async () => {
    const node = new FakeNode((_key, look) => (look < 2 ? null : new Error('node down')));
    const sleep = new ManualSleep();
    const lookups = waitingSignagePointLookups(node, { retries: 10, intervalMs: 1000, signal: new AbortController().signal, sleep: sleep.sleep });
    const waiters = [watch(lookups.getRecentSignagePointOrEos({ spHash: 'aa' })), watch(lookups.getRecentSignagePointOrEos({ spHash: 'aa' }))];
    await settle();
    await sleep.wakeUp();
    for (const waiter of waiters) expect(waiter).toEqual({ done: true, error: new Error('node down') });
  });

  it('stops waiting when the app closes: every waiter is answered not found at once, and the node is not asked again', async () => {
    const node = new FakeNode(() => null);
    const sleep = new ManualSleep();
    const closing = new AbortController();
    const lookups = waitingSignagePointLookups(node, { retries: 10, intervalMs: 1000, signal: closing.signal, sleep: sleep.sleep });
    const waiters = [watch(lookups.getRecentSignagePointOrEos({ spHash: 'aa' })), watch(lookups.getRecentSignagePointOrEos({ challengeHash: 'bb' }))];
    await settle();
    closing.abort();
    await settle();
    for (const waiter of waiters) expect(waiter).toEqual({ done: true, value: null });
    expect(node.calls).toHaveLength(2);
    // After the close a partial gets one look and no wait.
    await expect(lookups.getRecentSignagePointOrEos({ spHash: 'cc' })).resolves.toBeNull();
    expect(node.calls).toHaveLength(3);
  });
});
