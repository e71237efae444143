/**
 * Chia BLS12-381 AugSchemeMPL. `await loadBls()` gives the native blst backend, or Chia's WASM build when the
 * addon cannot load; both implement `BlsBackend` (bytes in/out) and agree on every Chia vector. Key paths and
 * `handleBlsVerifyLine` (poolctl chia bls-verify) work with any backend.
 */
export { type BlsBackend, type BlsBackendName, type BlsVerifyItem } from './bls-backend';
export {
  AUG_SCHEME_DST,
  CURVE_ORDER,
  G1_INFINITY,
  G2_INFINITY,
  PUBLIC_KEY_BYTES,
  SECRET_KEY_BYTES,
  SIGNATURE_BYTES,
} from './bls-constants';
export { BLS_BACKEND_NAMES, loadBls, loadWithFallback, type LoadBlsOptions } from './bls-loader';
export { type BlsVerifyLineResult, handleBlsVerifyLine } from './bls-verify-line';
export { createWasmBls } from './bls-wasm-backend';
export { createNativeBls, DEFAULT_PUBLIC_KEY_CACHE_SIZE, type NativeBlsOptions } from './blst-native-backend';
export { chiaFingerprint, chiaKeyGen, mnemonicToSeed } from './chia-key-derivation';
export {
  AUTH_V2_CHILD_INDEX,
  authV2PkFromOwnerPk,
  authV2SkFromOwnerSk,
  backupSk,
  type ChiaKeyPathStep,
  deriveSkAlongPath,
  derivePkAlongPath,
  farmerSk,
  localSk,
  masterSkFromMnemonic,
  parseChiaKeyPath,
  poolingAuthenticationSk,
  poolSk,
  singletonOwnerSk,
  walletPkUnhardened,
  walletSk,
  walletSkUnhardened,
} from './chia-key-paths';
