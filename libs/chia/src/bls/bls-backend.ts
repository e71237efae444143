/** Names of the interchangeable BLS implementations. */
export type BlsBackendName = 'native' | 'wasm';

/** One aggregate-verify job (a single pk/msg pair is a plain verify). */
export interface BlsVerifyItem {
  readonly pks: readonly Uint8Array[];
  readonly msgs: readonly Uint8Array[];
  readonly sig: Uint8Array;
}

/**
 * Chia AugSchemeMPL over BLS12-381 (pk in G1 48 B, sig in G2 96 B, secret keys 32 B big-endian).
 *
 * Contract shared by every backend:
 * - `verify`, `aggregateVerify` and `verifyBatch` never throw: malformed, off-curve, out-of-subgroup or
 *   identity public keys, bad signatures and mismatched lengths all give `false`.
 * - `aggregateVerify([], [], sig)` is true only for the identity signature (chia_rs behaviour).
 * - Key and signing operations throw an `Error` on invalid input (wrong length, sk >= r, bad point).
 */
export interface BlsBackend {
  readonly name: BlsBackendName;
  /** Chia `key_gen`: IETF draft-03 HKDF KeyGen; seed of at least 32 bytes. */
  keyGen(seed: Uint8Array): Uint8Array;
  skToPk(sk: Uint8Array): Uint8Array;
  /** Signs pk48 || msg with the AUG DST. */
  sign(sk: Uint8Array, msg: Uint8Array): Uint8Array;
  verify(pk: Uint8Array, msg: Uint8Array, sig: Uint8Array): boolean;
  /** Point sum of signatures; the empty list gives the identity signature. */
  aggregate(sigs: readonly Uint8Array[]): Uint8Array;
  aggregateVerify(pks: readonly Uint8Array[], msgs: readonly Uint8Array[], sig: Uint8Array): boolean;
  /** Hardened child (Chia `derive_child_sk`, pre-final EIP-2333 Lamport step). */
  deriveChildSk(sk: Uint8Array, index: number): Uint8Array;
  deriveChildSkUnhardened(sk: Uint8Array, index: number): Uint8Array;
  deriveChildPkUnhardened(pk: Uint8Array, index: number): Uint8Array;
  /** uint32 of the first 4 bytes of sha256(pk48). */
  fingerprint(pk: Uint8Array): number;
  /**
   * Verifies many aggregate signatures; result[i] is exactly `aggregateVerify(items[i])`. The native backend
   * checks them together with random 64-bit weights and one final exponentiation and only falls back to one
   * verification per item when the combined check fails.
   */
  verifyBatch(items: readonly BlsVerifyItem[]): boolean[];
}
