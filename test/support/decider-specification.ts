import { fold, type Decider, type DomainEvent } from '@pool/event-sourcing';

/**
 * given(events).when(command).then(events) / .thenThrows(reason): how deciders are specified.
 * Test-only (it asserts with jest's expect).
 */
export function deciderSpecification<Command, Event extends DomainEvent, State>(decider: Decider<Command, Event, State>) {
  return {
    given(history: readonly Event[] = []) {
      return {
        when(command: Command) {
          const run = (): Event[] => decider.decide(command, fold(decider, history));
          return {
            then(expected: readonly Event[]): void {
              expect(run()).toEqual(expected);
            },
            thenThrows(reason: string, message?: RegExp): void {
              expect(run).toThrow(expect.objectContaining({ reason, ...(message ? { message: expect.stringMatching(message) } : {}) }));
            },
            thenState(check: (state: State) => void): void {
              check(fold(decider, [...history, ...run()]));
            },
          };
        },
      };
    },
  };
}
