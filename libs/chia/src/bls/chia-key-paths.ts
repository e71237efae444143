import { type BlsBackend } from './bls-backend';
import { mnemonicToSeed } from './chia-key-derivation';

/*
 * Chia's key tree (chia/wallet/derive_keys.py). Every path starts at m/12381/8444 (BLS curve id / Chia port)
 * and, unless named otherwise, every step is a hardened derive_child_sk.
 */

export const CHIA_PURPOSE = 12381;
export const CHIA_COIN_TYPE = 8444;
/** Pool wallet and authentication indices are packed as pool_wallet_index * 10000 + index. */
const POOLING_INDEX_SPAN = 10000;
/** singleton_owner_sk_to_authv2_key: one unhardened step with this index from the owner key. */
export const AUTH_V2_CHILD_INDEX = 12381;

export interface ChiaKeyPathStep {
  readonly index: number;
  readonly hardened: boolean;
}

/**
 * Parses Chia's textual path notation, where an `n` suffix marks a hardened step
 * (`m/12381n/8444n/2/3` = two hardened steps, then two unhardened ones).
 */
export function parseChiaKeyPath(path: string): ChiaKeyPathStep[] {
  const [root, ...segments] = path.trim().split('/');
  if (root !== 'm') throw new Error(`key path must start with "m/": ${path}`);
  return segments.map((segment) => {
    const match = /^(\d+)(n?)$/.exec(segment);
    if (match === null) throw new Error(`bad key path segment "${segment}" in ${path}`);
    return { index: Number(match[1]), hardened: match[2] === 'n' };
  });
}

export function deriveSkAlongPath(bls: BlsBackend, masterSk: Uint8Array, steps: readonly ChiaKeyPathStep[]): Uint8Array {
  return steps.reduce(
    (sk, step) => (step.hardened ? bls.deriveChildSk(sk, step.index) : bls.deriveChildSkUnhardened(sk, step.index)),
    masterSk,
  );
}

/** Public-key-only derivation; every step must be unhardened. */
export function derivePkAlongPath(bls: BlsBackend, masterPk: Uint8Array, steps: readonly ChiaKeyPathStep[]): Uint8Array {
  return steps.reduce((pk, step) => {
    if (step.hardened) throw new Error(`hardened step ${step.index} needs the secret key`);
    return bls.deriveChildPkUnhardened(pk, step.index);
  }, masterPk);
}

function hardened(...indices: number[]): ChiaKeyPathStep[] {
  return [CHIA_PURPOSE, CHIA_COIN_TYPE, ...indices].map((index) => ({ index, hardened: true }));
}

function unhardened(...indices: number[]): ChiaKeyPathStep[] {
  return [CHIA_PURPOSE, CHIA_COIN_TYPE, ...indices].map((index) => ({ index, hardened: false }));
}

function assertPoolingIndex(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0 || value >= POOLING_INDEX_SPAN) {
    throw new Error(`${name} must be an integer in [0, ${POOLING_INDEX_SPAN - 1}], got ${value}`);
  }
}

/** Master secret key of a 24-word mnemonic: key_gen(BIP-39 seed). */
export function masterSkFromMnemonic(bls: BlsBackend, mnemonic: string, passphrase = ''): Uint8Array {
  return bls.keyGen(mnemonicToSeed(mnemonic, passphrase));
}

/** m/12381/8444/0/0: signs blocks and is the farmer_public_key of plots. */
export function farmerSk(bls: BlsBackend, masterSk: Uint8Array): Uint8Array {
  return deriveSkAlongPath(bls, masterSk, hardened(0, 0));
}

/** m/12381/8444/1/0: the pool key of old (OG, non-NFT) plots. */
export function poolSk(bls: BlsBackend, masterSk: Uint8Array): Uint8Array {
  return deriveSkAlongPath(bls, masterSk, hardened(1, 0));
}

/** m/12381/8444/2/i, hardened at every step. */
export function walletSk(bls: BlsBackend, masterSk: Uint8Array, index: number): Uint8Array {
  return deriveSkAlongPath(bls, masterSk, hardened(2, index));
}

/** m/12381/8444/2/i with unhardened steps: the keys behind wallet addresses. */
export function walletSkUnhardened(bls: BlsBackend, masterSk: Uint8Array, index: number): Uint8Array {
  return deriveSkAlongPath(bls, masterSk, unhardened(2, index));
}

/** Wallet address key from the master public key alone (observer derivation). */
export function walletPkUnhardened(bls: BlsBackend, masterPk: Uint8Array, index: number): Uint8Array {
  return derivePkAlongPath(bls, masterPk, unhardened(2, index));
}

/** m/12381/8444/3/0: the local key (plot keys combine it with the farmer key). */
export function localSk(bls: BlsBackend, masterSk: Uint8Array): Uint8Array {
  return deriveSkAlongPath(bls, masterSk, hardened(3, 0));
}

/** m/12381/8444/4/0 */
export function backupSk(bls: BlsBackend, masterSk: Uint8Array): Uint8Array {
  return deriveSkAlongPath(bls, masterSk, hardened(4, 0));
}

/** m/12381/8444/5/pool_wallet_index: owner of a pool singleton (PoolState.owner_pubkey); signs POST/PUT /farmer. */
export function singletonOwnerSk(bls: BlsBackend, masterSk: Uint8Array, poolWalletIndex: number): Uint8Array {
  assertPoolingIndex('pool wallet index', poolWalletIndex);
  return deriveSkAlongPath(bls, masterSk, hardened(5, poolWalletIndex));
}

/**
 * m/12381/8444/6/(pool_wallet_index * 10000 + index): the v1 pool-protocol authentication key that signs
 * GET /farmer, GET /login and (with the plot key) every partial.
 */
export function poolingAuthenticationSk(
  bls: BlsBackend,
  masterSk: Uint8Array,
  poolWalletIndex: number,
  index = 0,
): Uint8Array {
  assertPoolingIndex('pool wallet index', poolWalletIndex);
  assertPoolingIndex('authentication key index', index);
  return deriveSkAlongPath(bls, masterSk, hardened(6, poolWalletIndex * POOLING_INDEX_SPAN + index));
}

/** v2 protocol signing key: the unhardened child 12381 of the owner (synthetic) key. */
export function authV2SkFromOwnerSk(bls: BlsBackend, ownerSk: Uint8Array): Uint8Array {
  return bls.deriveChildSkUnhardened(ownerSk, AUTH_V2_CHILD_INDEX);
}

/** What a v2 pool computes from the farmer's authentication_public_key to check /v2 signatures. */
export function authV2PkFromOwnerPk(bls: BlsBackend, ownerPk: Uint8Array): Uint8Array {
  return bls.deriveChildPkUnhardened(ownerPk, AUTH_V2_CHILD_INDEX);
}
