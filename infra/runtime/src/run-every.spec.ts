import { runEvery } from './run-every';

describe('runEvery', () => {
  it('runs the work until the signal aborts, and reports each failure without stopping', async () => {
    const controller = new AbortController();
    const errors: unknown[] = [];
    let runs = 0;
    await runEvery(
      1,
      controller.signal,
      () => {
        runs++;
        if (runs === 2) throw new Error('transient');
        if (runs === 3) controller.abort();
      },
      (error) => errors.push(error),
    );
    expect(runs).toBe(3);
    expect(errors).toEqual([new Error('transient')]);
  });

  it('ends with the first failure when no onError is given', async () => {
    const controller = new AbortController();
    await expect(runEvery(1, controller.signal, () => Promise.reject(new Error('broken')))).rejects.toThrow('broken');
  });

  it('does not run at all once the signal has aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    let runs = 0;
    await runEvery(1, controller.signal, () => runs++);
    expect(runs).toBe(0);
  });
});
