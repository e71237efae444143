import { type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { PARTIAL_CRYPTO } from './partial-crypto';
import { type PartialCryptoVerifier } from './partial-crypto';
import { WorkerPoolPartialVerifier } from './worker-pool-verifier';

/** Holds the verifier and closes it with the app when the app made it; one passed in belongs to its caller. */
export class PartialCryptoHost implements OnApplicationShutdown {
  readonly verifier: PartialCryptoVerifier;
  private readonly owned: boolean;

  constructor(given?: PartialCryptoVerifier) {
    this.verifier = given ?? new WorkerPoolPartialVerifier();
    this.owned = given === undefined;
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.owned) await this.verifier.close();
  }
}

const PARTIAL_CRYPTO_HOST = Symbol('PARTIAL_CRYPTO_HOST');

/** Providers for PARTIAL_CRYPTO: `given`, or a worker pool sized to the cores that the app shuts down. */
export function partialCryptoProviders(given?: PartialCryptoVerifier): Provider[] {
  return [
    { provide: PARTIAL_CRYPTO_HOST, useFactory: () => new PartialCryptoHost(given) },
    { provide: PARTIAL_CRYPTO, useFactory: (host: PartialCryptoHost) => host.verifier, inject: [PARTIAL_CRYPTO_HOST] },
  ];
}
