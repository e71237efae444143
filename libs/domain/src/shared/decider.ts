/** An event as the domain sees it: a type and its data (the store adds id, position and time). */
export interface DomainEvent<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
}

/**
 * One stream's rules as plain functions: `decide` turns a command and the current state into new events
 * (or throws a DomainError), `evolve` folds an event into the state. No clock, ids or IO: the command
 * carries `now` and every chain fact, so a replay decides exactly as the original did.
 */
export interface Decider<Command, Event extends DomainEvent, State> {
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
}

/** Why a command was refused, named in the pool protocol's terms so the api can answer with the right code. */
export type RejectionReason =
  | 'FARMER_NOT_KNOWN'
  | 'FARMER_ALREADY_KNOWN'
  | 'REQUEST_FAILED'
  | 'INVALID_DIFFICULTY'
  | 'DUPLICATE_PARTIAL'
  | 'NOT_A_MEMBER'
  | 'INVALID_STATE';

export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    readonly reason: RejectionReason,
    message: string,
  ) {
    super(message);
  }
}

/** The state after a history of events. */
export function fold<Event extends DomainEvent, State>(decider: Pick<Decider<unknown, Event, State>, 'evolve' | 'initialState'>, events: readonly Event[]): State {
  return events.reduce((state, event) => decider.evolve(state, event), decider.initialState());
}
