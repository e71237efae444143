import { type EventStore, WrongExpectedRevisionError } from '@pool/event-sourcing';
import { type PoolMetrics } from './pool-metrics';

const INSTRUMENTED = Symbol('instrumented');

/**
 * The event store with append latency measured, covering exactly what a command waits for (adapter, driver and
 * database round trip). A Proxy rather than a wrapper class: every other member, adapter-specific ones included,
 * reaches the real store unchanged and `instanceof` still answers for the adapter.
 */
export function instrumentEventStore(store: EventStore, metrics: PoolMetrics): EventStore {
  if ((store as unknown as Record<symbol, unknown>)[INSTRUMENTED]) return store;
  const append: EventStore['append'] = async (stream, events, options) => {
    const stop = metrics.appendSeconds.startTimer();
    try {
      const result = await store.append(stream, events, options);
      stop({ outcome: 'ok' });
      return result;
    } catch (error) {
      stop({ outcome: error instanceof WrongExpectedRevisionError ? 'conflict' : 'error' });
      throw error;
    }
  };
  return new Proxy(store, {
    get(target, property) {
      if (property === 'append') return append;
      if (property === INSTRUMENTED) return true;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
