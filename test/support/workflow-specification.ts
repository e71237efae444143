import { type DomainEvent, type Workflow } from '@pool/event-sourcing';

/**
 * given(events).when(input).then(outputs): how workflows (process managers) are specified, as deciders are with
 * deciderSpecification. Test-only (it asserts with jest's expect).
 */
export function workflowSpecification<Input, State, Output, Event extends DomainEvent>(workflow: Workflow<Input, State, Output, Event>) {
  const stateAfter = (history: readonly Event[]): State => history.reduce((state, event) => workflow.evolve(state, event), workflow.initialState());
  return {
    given(history: readonly Event[] = []) {
      return {
        when(input: Input) {
          const run = (): Output[] => workflow.decide(input, stateAfter(history));
          return {
            then(expected: readonly Output[]): void {
              expect(run()).toEqual(expected);
            },
            thenThrows(message: RegExp): void {
              expect(run).toThrow(message);
            },
          };
        },
        thenState(check: (state: State) => void): void {
          check(stateAfter(history));
        },
      };
    },
  };
}
