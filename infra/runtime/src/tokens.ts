/** Nest injection tokens shared by the api, the worker and the projector (each app adds its own beside them). */
export const EVENT_STORE = Symbol('EVENT_STORE');
export const READ_MODELS = Symbol('READ_MODELS');
export const POOL_CONFIG = Symbol('POOL_CONFIG');
/** The full node the pool follows (a `FullNodeRpc`). */
export const CHAIN = Symbol('CHAIN');
export const BLS = Symbol('BLS');
export const POS_CONSTANTS = Symbol('POS_CONSTANTS');
/** The one `StreamCommandRunner` of the process (its stream cache is shared by every command handler). */
export const COMMAND_RUNNER = Symbol('COMMAND_RUNNER');
export const CLOCK = Symbol('CLOCK');

/** Unix seconds (fractional). Injected so tests and the devnet's accelerated time can drive it. */
export type Clock = () => number;
