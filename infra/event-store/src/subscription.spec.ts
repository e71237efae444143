import type { GlobalPosition, ReadAllOptions, RecordedEvent, SubscriptionMessage } from '@pool/event-sourcing';
import { AppendSignal, pollAll } from './subscription';

const recorded = (n: number): RecordedEvent => ({
  id: `id-${n}`,
  type: 'Tested',
  schemaVersion: 1,
  data: { n },
  metadata: {},
  stream: 's',
  revision: BigInt(n),
  position: String(n).padStart(4, '0') as GlobalPosition,
  recordedAt: new Date(0),
});

/** A store's global order that shows its events only once `shown` says how many a reader can see. */
function laggingStore(events: RecordedEvent[]) {
  let shown = 0;
  return {
    show: (count: number) => (shown = count),
    readAll: async (options: ReadAllOptions): Promise<RecordedEvent[]> =>
      events.slice(0, shown).filter((e) => options.after === undefined || e.position > options.after).slice(0, options.maxCount),
  };
}

describe('pollAll', () => {
  it('says caughtUp only after a page read once committedVisible said yes, with what that page brought', async () => {
    const store = laggingStore([recorded(1), recorded(2)]);
    const answers = [false, false, true];
    const controller = new AbortController();
    const messages: SubscriptionMessage[] = [];
    const subscription = pollAll(store.readAll, {
      signal: controller.signal,
      appendSignal: new AppendSignal(),
      pollIntervalMs: 1,
      committedVisible: async () => {
        const answer = answers.shift() ?? true;
        // The commit shows between the answer and the read that follows it.
        if (answer) store.show(2);
        return answer;
      },
    });
    for await (const message of subscription) {
      messages.push(message);
      if (message.kind === 'caughtUp') controller.abort();
    }
    expect(messages).toEqual([
      { kind: 'events', events: [recorded(1), recorded(2)] },
      { kind: 'caughtUp', position: recorded(2).position },
    ]);
    expect(answers).toEqual([]);
  });

  it('asks nothing once caught up, and without committedVisible says caughtUp after the first short page', async () => {
    const store = laggingStore([recorded(1)]);
    store.show(1);
    let asked = 0;
    const controller = new AbortController();
    const kinds: string[] = [];
    let polls = 0;
    const counted = async (options: ReadAllOptions) => {
      if (++polls === 4) controller.abort();
      return store.readAll(options);
    };
    for await (const message of pollAll(counted, { signal: controller.signal, appendSignal: new AppendSignal(), pollIntervalMs: 1, committedVisible: async () => (asked++, true) })) {
      kinds.push(message.kind);
    }
    expect(kinds).toEqual(['events', 'caughtUp']);
    expect(asked).toBe(1);
    const plain: string[] = [];
    const once = new AbortController();
    for await (const message of pollAll(store.readAll, { signal: once.signal, appendSignal: new AppendSignal(), pollIntervalMs: 1 })) {
      plain.push(message.kind);
      if (message.kind === 'caughtUp') once.abort();
    }
    expect(plain).toEqual(['events', 'caughtUp']);
  });
});
