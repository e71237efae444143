import { readFile } from 'node:fs/promises';
import type { G1Element, ModuleInstance, PrivateKey } from 'bls-signatures';
import { type BlsBackend, type BlsVerifyItem } from './bls-backend';
import { assertChildIndex, assertPublicKeyLength, secretKeyToScalar } from './chia-key-derivation';
import { isCandidatePublicKey, isCandidateSignature, isMessage, settleAggregateByShape } from './verify-input-guard';

interface Deletable {
  delete(): void;
}

/** Tracks every object the WASM heap hands out during one call and frees them all at the end. */
class WasmObjects {
  private readonly owned: Deletable[] = [];

  own<T extends Deletable>(object: T): T {
    this.owned.push(object);
    return object;
  }

  release(): void {
    for (const object of this.owned.reverse()) {
      try {
        object.delete();
      } catch {
        // Only possible on an instance that just trapped; it is being replaced anyway.
      }
    }
  }
}

function withWasmObjects<R>(body: (objects: WasmObjects) => R): R {
  const objects = new WasmObjects();
  try {
    return body(objects);
  } finally {
    objects.release();
  }
}

/** bls-signatures throws bare numbers (emscripten exception pointers); give callers a real Error. */
function asError(operation: string, thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  const detail = typeof thrown === 'number' ? `C++ exception at ${thrown}` : String(thrown);
  return new Error(`bls-signatures ${operation} rejected its input (${detail})`);
}

/**
 * Chia's bls-signatures WASM reports C++ errors by throwing through the wasm frames, which never gives back the
 * wasm stack those frames used. Measured on 2.0.3: about 50 rejected G2 encodings (about 100 G1) exhaust the
 * stack and the instance then corrupts its memory ("table index is out of bounds"). So the backend counts
 * throws and swaps in a fresh instance well before that; objects never outlive one call, so swapping is safe.
 */
const THROWS_BEFORE_FRESH_INSTANCE = 8;

type ModuleFactory = (options: object) => Promise<ModuleInstance>;

/** The few WebAssembly globals used here (the project's TypeScript lib has no DOM/wasm declarations). */
type CompiledWasm = object;
interface WasmInstance {
  readonly exports: object;
}
interface WasmApi {
  compile(bytes: Uint8Array): Promise<CompiledWasm>;
  Instance: new (module: CompiledWasm, imports: object) => WasmInstance;
  RuntimeError: new (message?: string) => Error;
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** Emscripten hook that instantiates synchronously from a precompiled module (its default is async). */
interface SyncInstantiateOptions {
  instantiateWasm(imports: object, done: (instance: WasmInstance, module: CompiledWasm) => void): object;
}

/** Builds ready-to-use instances on demand; a fresh one costs about 10 ms once the module is compiled. */
class WasmInstanceFactory {
  constructor(
    private readonly createModule: ModuleFactory,
    private readonly compiled: CompiledWasm,
  ) {}

  create(): ModuleInstance {
    const compiled = this.compiled;
    const options: SyncInstantiateOptions = {
      instantiateWasm(imports, done) {
        const instance = new wasmApi.Instance(compiled, imports);
        done(instance, compiled);
        return instance.exports;
      },
    };
    // With a synchronous instantiateWasm the emscripten runtime (and embind's classes) is set up before the
    // factory returns, on the options object itself; the promise only repeats that.
    this.createModule(options).catch(() => undefined);
    const lib = options as unknown as Partial<ModuleInstance>;
    if (typeof lib.AugSchemeMPL !== 'function' || typeof lib.G1Element !== 'function') {
      throw new Error('bls-signatures did not initialise synchronously');
    }
    return lib as ModuleInstance;
  }
}

/** Instantiates Chia's bls-signatures WASM build (its own keygen and HD code, not the shared JS one). */
export async function createWasmBls(): Promise<BlsBackend> {
  const { default: createModule } = await import('bls-signatures');
  const wasmPath = require.resolve('bls-signatures/blsjs.wasm');
  const compiled = await wasmApi.compile(await readFile(wasmPath));
  return new BlsSignaturesWasmBackend(new WasmInstanceFactory(createModule as ModuleFactory, compiled));
}

class BlsSignaturesWasmBackend implements BlsBackend {
  readonly name = 'wasm' as const;

  private lib: ModuleInstance;
  private throwsOnThisInstance = 0;

  constructor(private readonly instances: WasmInstanceFactory) {
    this.lib = instances.create();
  }

  keyGen(seed: Uint8Array): Uint8Array {
    if (!(seed instanceof Uint8Array) || seed.length < 32) throw new Error('key_gen seed must be at least 32 bytes');
    return this.run('key_gen', (o) => o.own(this.lib.AugSchemeMPL.key_gen(seed)).serialize());
  }

  skToPk(sk: Uint8Array): Uint8Array {
    return this.run('sk_to_pk', (o) => o.own(o.own(this.privateKey(sk)).get_g1()).serialize());
  }

  sign(sk: Uint8Array, msg: Uint8Array): Uint8Array {
    if (!isMessage(msg)) throw new Error('message must be a Uint8Array');
    return this.run('sign', (o) => o.own(this.lib.AugSchemeMPL.sign(o.own(this.privateKey(sk)), msg)).serialize());
  }

  verify(pk: Uint8Array, msg: Uint8Array, sig: Uint8Array): boolean {
    if (!isCandidatePublicKey(pk) || !isMessage(msg) || !isCandidateSignature(sig)) return false;
    return this.judge((o) =>
      this.lib.AugSchemeMPL.verify(o.own(this.lib.G1Element.from_bytes(pk)), msg, o.own(this.lib.G2Element.from_bytes(sig))),
    );
  }

  aggregate(sigs: readonly Uint8Array[]): Uint8Array {
    return this.run('aggregate', (o) => {
      const points = sigs.map((sig) => o.own(this.lib.G2Element.from_bytes(sig)));
      return o.own(this.lib.AugSchemeMPL.aggregate(points)).serialize();
    });
  }

  aggregateVerify(pks: readonly Uint8Array[], msgs: readonly Uint8Array[], sig: Uint8Array): boolean {
    const settled = settleAggregateByShape(pks, msgs, sig);
    if (settled !== undefined) return settled;
    return this.judge((o) => {
      const points = pks.map((pk) => o.own(this.lib.G1Element.from_bytes(pk)));
      return this.lib.AugSchemeMPL.aggregate_verify(points, [...msgs], o.own(this.lib.G2Element.from_bytes(sig)));
    });
  }

  deriveChildSk(sk: Uint8Array, index: number): Uint8Array {
    assertChildIndex(index);
    return this.run('derive_child_sk', (o) =>
      o.own(this.lib.AugSchemeMPL.derive_child_sk(o.own(this.privateKey(sk)), index)).serialize(),
    );
  }

  deriveChildSkUnhardened(sk: Uint8Array, index: number): Uint8Array {
    assertChildIndex(index);
    return this.run('derive_child_sk_unhardened', (o) =>
      o.own(this.lib.AugSchemeMPL.derive_child_sk_unhardened(o.own(this.privateKey(sk)), index)).serialize(),
    );
  }

  deriveChildPkUnhardened(pk: Uint8Array, index: number): Uint8Array {
    assertPublicKeyLength(pk);
    assertChildIndex(index);
    return this.run('derive_child_pk_unhardened', (o) =>
      o.own(this.lib.AugSchemeMPL.derive_child_pk_unhardened(this.publicKey(o, pk), index)).serialize(),
    );
  }

  fingerprint(pk: Uint8Array): number {
    assertPublicKeyLength(pk);
    return this.run('get_fingerprint', (o) => this.publicKey(o, pk).get_fingerprint() >>> 0);
  }

  verifyBatch(items: readonly BlsVerifyItem[]): boolean[] {
    return items.map((item) => this.aggregateVerify(item.pks, item.msgs, item.sig));
  }

  private privateKey(sk: Uint8Array): PrivateKey {
    secretKeyToScalar(sk);
    return this.lib.PrivateKey.from_bytes(sk, false);
  }

  /** Parses (and group-checks) a pk for key arithmetic; the identity is accepted there, as in chia_rs. */
  private publicKey(objects: WasmObjects, pk: Uint8Array): G1Element {
    return objects.own(this.lib.G1Element.from_bytes(pk));
  }

  /** Runs a key/signing operation, turning the library's numeric throws into Errors. */
  private run<R>(operation: string, body: (objects: WasmObjects) => R): R {
    try {
      return this.guarded(body);
    } catch (thrown) {
      throw asError(operation, thrown);
    }
  }

  /** Runs a verification: any throw (bad encoding, not in the subgroup) means "not valid". */
  private judge(body: (objects: WasmObjects) => boolean): boolean {
    try {
      return this.guarded(body) === true;
    } catch {
      return false;
    }
  }

  /** Keeps the instance healthy: counts C++ throws, and retries once on a fresh instance after a wasm trap. */
  private guarded<R>(body: (objects: WasmObjects) => R, retried = false): R {
    try {
      return withWasmObjects(body);
    } catch (thrown) {
      if (thrown instanceof wasmApi.RuntimeError) {
        this.replaceInstance();
        if (!retried) return this.guarded(body, true);
      } else if (typeof thrown === 'number' && ++this.throwsOnThisInstance >= THROWS_BEFORE_FRESH_INSTANCE) {
        this.replaceInstance();
      }
      throw thrown;
    }
  }

  private replaceInstance(): void {
    this.lib = this.instances.create();
    this.throwsOnThisInstance = 0;
  }
}
