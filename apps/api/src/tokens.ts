/** Nest injection tokens for the api's ports (the chain, BLS, partial crypto, consensus constants, command runner). */
export const CHAIN = Symbol('CHAIN');
export const BLS = Symbol('BLS');
export const POS_CONSTANTS = Symbol('POS_CONSTANTS');
export const COMMAND_RUNNER = Symbol('COMMAND_RUNNER');
export const CLOCK = Symbol('CLOCK');
/** Where partial signatures and proofs are verified (a `PartialCryptoVerifier`: worker pool by default). */
export const PARTIAL_CRYPTO = Symbol('PARTIAL_CRYPTO');

/** Unix seconds (fractional). Injected so tests and the devnet's accelerated time can drive it. */
export type Clock = () => number;
