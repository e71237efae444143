import { runEventStoreContract } from '../contract/event-store.contract';
import { InMemoryEventStore } from './in-memory-event-store';

// All "writers" share one instance: in memory there is only one place the events can live.
const store = new InMemoryEventStore();
runEventStoreContract('in-memory', { store: () => store, openWriter: async () => sharedHandle(store) });

/** A handle whose close() does not close the shared store. */
function sharedHandle(target: InMemoryEventStore): InMemoryEventStore {
  return Object.assign(Object.create(target) as InMemoryEventStore, { close: async () => undefined });
}
