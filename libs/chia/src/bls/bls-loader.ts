import { type BlsBackend, type BlsBackendName } from './bls-backend';
import { createNativeBls } from './blst-native-backend';
import { createWasmBls } from './bls-wasm-backend';

const factories: Record<BlsBackendName, () => Promise<BlsBackend>> = {
  native: createNativeBls,
  wasm: createWasmBls,
};

/** One instance per backend per process: loading the addon or instantiating WASM is not free. */
const loaded = new Map<BlsBackendName, Promise<BlsBackend>>();

function loadOnce(name: BlsBackendName): Promise<BlsBackend> {
  let backend = loaded.get(name);
  if (backend === undefined) {
    backend = factories[name]();
    // A failed load must not be cached: the next call may run where the backend is available.
    backend.catch(() => loaded.delete(name));
    loaded.set(name, backend);
  }
  return backend;
}

export interface LoadBlsOptions {
  /** Where the reason for falling back to WASM goes; defaults to console.warn. */
  readonly log?: (message: string) => void;
}

/**
 * The BLS backend for this process: native blst when its prebuilt addon loads, otherwise Chia's WASM build
 * (with the reason logged). Passing a name forces that backend and rejects if it cannot load.
 */
export async function loadBls(name?: BlsBackendName, options: LoadBlsOptions = {}): Promise<BlsBackend> {
  if (name !== undefined) {
    if (!Object.hasOwn(factories, name)) throw new Error(`unknown BLS backend "${String(name)}" (expected native or wasm)`);
    return loadOnce(name);
  }
  return loadWithFallback(
    () => loadOnce('native'),
    () => loadOnce('wasm'),
    options.log ?? console.warn,
  );
}

/** The preferred backend, or the fallback with the reason the preferred one failed sent to `log`. */
export async function loadWithFallback(
  preferred: () => Promise<BlsBackend>,
  fallback: () => Promise<BlsBackend>,
  log: (message: string) => void,
): Promise<BlsBackend> {
  try {
    return await preferred();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const backend = await fallback();
    log(`[bls] native blst unavailable (${reason}); using the ${backend.name} backend`);
    return backend;
  }
}

export const BLS_BACKEND_NAMES: readonly BlsBackendName[] = ['native', 'wasm'];
