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
  /** The schema version `decide`'s events are recorded at (1 when omitted): a type whose shape changed says so here. */
  schemaVersion?(event: Event): number;
}

/**
 * The default branch of a switch over a union that must handle every member: a new member fails to compile here,
 * so a fold cannot ignore a new event type without saying so.
 */
export function exhaustive(value: never): never {
  throw new Error(`unhandled: ${JSON.stringify(value)}`);
}

/** The state after a history of events. */
export function fold<Event extends DomainEvent, State>(decider: Pick<Decider<unknown, Event, State>, 'evolve' | 'initialState'>, events: readonly Event[]): State {
  return events.reduce((state, event) => decider.evolve(state, event), decider.initialState());
}
