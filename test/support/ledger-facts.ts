import { REFUSAL_EVENT_TYPES } from '@pool/domain';
import type { EventStore, GlobalPosition } from '@pool/event-sourcing';

const LOGS: ReadonlySet<string> = new Set(REFUSAL_EVENT_TYPES);

/**
 * Position of the newest fact in the ledger: every event but the refused-partials log, which the api writes after
 * answering a refusal (asynchronously, for registered farmers). A spec that checks a refusal changed nothing compares
 * this before and after, not the store's head.
 */
export async function factsHead(store: EventStore): Promise<GlobalPosition | undefined> {
  let head: GlobalPosition | undefined;
  let after: GlobalPosition | undefined;
  for (;;) {
    const page = await store.readAll({ after, maxCount: 1000 });
    for (const event of page) if (!LOGS.has(event.type)) head = event.position;
    if (page.length < 1000) return head;
    after = page[page.length - 1]!.position;
  }
}

/** How many facts the ledger holds (see factsHead: the refused-partials log is not counted). */
export async function factCount(store: EventStore): Promise<number> {
  let count = 0;
  let after: GlobalPosition | undefined;
  for (;;) {
    const page = await store.readAll({ after, maxCount: 1000 });
    count += page.filter((event) => !LOGS.has(event.type)).length;
    if (page.length < 1000) return count;
    after = page[page.length - 1]!.position;
  }
}
