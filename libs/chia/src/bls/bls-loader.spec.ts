import { type BlsBackend } from './bls-backend';
import { BLS_BACKEND_NAMES, loadBls, loadWithFallback } from './bls-loader';

describe('loadBls', () => {
  it('defaults to the native backend where its addon loads, and caches instances', async () => {
    const first = await loadBls();
    expect(first.name).toBe('native');
    expect(await loadBls('native')).toBe(first);
  });

  it.each(BLS_BACKEND_NAMES)('can be forced to %s', async (name) => {
    expect((await loadBls(name)).name).toBe(name);
  });

  it('rejects an unknown backend name', async () => {
    await expect(loadBls('noble' as never)).rejects.toThrow(/unknown BLS backend "noble"/);
  });
});

describe('loadWithFallback', () => {
  it('falls back and logs why when the preferred backend cannot load', async () => {
    const wasm = await loadBls('wasm');
    const log = jest.fn<void, [string]>();
    const chosen = await loadWithFallback(() => Promise.reject(new Error('no prebuilt binary for linux-x64-131')), async () => wasm, log);
    expect(chosen).toBe(wasm);
    expect(log).toHaveBeenCalledTimes(1);
    expect(log.mock.calls[0][0]).toMatch(/no prebuilt binary for linux-x64-131.*wasm backend/);
  });

  it('does not call the fallback or log when the preferred backend loads', async () => {
    const native = await loadBls('native');
    const fallback = jest.fn<Promise<BlsBackend>, []>();
    const log = jest.fn<void, [string]>();
    expect(await loadWithFallback(async () => native, fallback, log)).toBe(native);
    expect(fallback).not.toHaveBeenCalled();
    expect(log).not.toHaveBeenCalled();
  });
});
