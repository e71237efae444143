import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadBls } from '@pool/chia';
import { PARTIAL_CRYPTO } from './partial-crypto';
import { InProcessPartialVerifier, type PartialCryptoVerifier } from './partial-crypto';
import { partialCryptoProviders } from './partial-crypto.provider';
import { WorkerPoolPartialVerifier } from './worker-pool-verifier';

async function appWith(given?: PartialCryptoVerifier) {
  @Module({ providers: partialCryptoProviders(given), exports: [PARTIAL_CRYPTO] })
  class CryptoModule {}
  return NestFactory.createApplicationContext(CryptoModule, { logger: false });
}

describe('partial crypto provider', () => {
  it('defaults to a worker pool that the app closes on shutdown', async () => {
    const app = await appWith();
    const pool = app.get<PartialCryptoVerifier>(PARTIAL_CRYPTO);
    expect(pool).toBeInstanceOf(WorkerPoolPartialVerifier);
    await (pool as WorkerPoolPartialVerifier).warmUp();
    expect((pool as WorkerPoolPartialVerifier).runningThreads()).toBeGreaterThan(0);
    await app.close();
    expect((pool as WorkerPoolPartialVerifier).runningThreads()).toBe(0);
  });

  it('uses a verifier passed in and leaves closing it to the caller', async () => {
    const given = new InProcessPartialVerifier(await loadBls());
    const close = jest.spyOn(given, 'close');
    const app = await appWith(given);
    expect(app.get(PARTIAL_CRYPTO)).toBe(given);
    await app.close();
    expect(close).not.toHaveBeenCalled();
  });
});
