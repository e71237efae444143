import { shutdownOnSignals } from './graceful-shutdown';

describe('shutdownOnSignals', () => {
  const signal = 'SIGUSR2' as NodeJS.Signals;
  afterEach(() => process.removeAllListeners(signal));

  it('runs the steps once, in order, goes on past a failing one, and exits 1 if any failed', async () => {
    const order: string[] = [];
    const exits: number[] = [];
    let release!: () => void;
    const slow = new Promise<void>((resolve) => (release = resolve));
    const requested = shutdownOnSignals(
      [
        { name: 'api', run: () => slow.then(() => order.push('api')) },
        { name: 'broken', run: () => Promise.reject(new Error('already closed')) },
        { name: 'store', run: () => void order.push('store') },
      ],
      { signals: [signal], log: (line) => order.push(`log: ${line}`), exit: (code) => exits.push(code) },
    );
    process.emit(signal, signal);
    process.emit(signal, signal); // a second signal while draining starts nothing new
    const done = requested();
    expect(order).toEqual([`log: ${signal}: shutting down`]);
    release();
    await done;
    expect(order).toEqual([`log: ${signal}: shutting down`, 'api', 'log: shutdown: broken failed: already closed', 'store', 'log: shutdown complete']);
    expect(exits).toEqual([1]);
  });

  it('exits 0 when every step succeeds', async () => {
    const exits: number[] = [];
    await shutdownOnSignals([{ name: 'api', run: () => undefined }], { signals: [signal], log: () => undefined, exit: (code) => exits.push(code) })();
    expect(exits).toEqual([0]);
  });
});
