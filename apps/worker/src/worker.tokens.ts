/** The pool's wallet (a `WalletRpc`, or null: then no payouts run). Only the worker holds it. */
export const WALLET = Symbol('WALLET');
/** Whether this worker contends for the pool-loops lease at all (a test may build one that never runs them). */
export const POOL_LOOPS_ENABLED = Symbol('POOL_LOOPS_ENABLED');
