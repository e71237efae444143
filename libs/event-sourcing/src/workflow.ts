import type { DomainEvent } from './decider';

/**
 * A process manager as plain functions, the decider's shape turned outward (emmett RFC 001, EventSourcing.NodeJS
 * hotelManagement `core/workflow.ts`): `decide` turns an input (an observation of the chain or a wallet, a step's
 * outcome) and the state into outputs, the commands and steps its shell executes; `evolve` folds the recorded events
 * the workflow reacts to. No clock, ids or IO: the shell observes, feeds the observation with `now`, and executes
 * what comes out, so every decision replays and is specified given/when/then.
 */
export interface Workflow<Input, State, Output, Event extends DomainEvent = DomainEvent> {
  decide(input: Input, state: State): Output[];
  evolve(state: State, event: Event): State;
  initialState(): State;
}
