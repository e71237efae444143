import type { Server as HttpsServer } from 'node:https';
import { Logger } from '@nestjs/common';
import type { PoolConfig, TlsFiles } from '@pool/config';
import type { FastifyInstance } from 'fastify';
import { plainHttpWarning } from './plain-http-warning';
import { readTlsPair, TlsRenewal, type TlsPair } from './tls-files';

/**
 * The pair the api starts serving with, or undefined for plain HTTP. A pair that does not load stops start-up with
 * the files named: serving plain HTTP instead would look like it worked while every farmer is refused.
 */
export function initialTlsPair(tls: TlsFiles | undefined): TlsPair | undefined {
  if (tls === undefined) return undefined;
  try {
    return readTlsPair(tls);
  } catch (error) {
    throw new Error(`cannot serve TLS from ${tls.certFile} and ${tls.keyFile} (server.tls_cert_file / server.tls_key_file): ${(error as Error).message}`);
  }
}

/**
 * Serves renewed certificates without a restart: new TLS connections get the new pair once it loads (connections
 * already open keep theirs). Following stops when the app closes.
 */
export function followTlsRenewals(fastify: FastifyInstance, tls: TlsFiles, checkEveryMs?: number): void {
  const logger = new Logger('Tls');
  const renewal = new TlsRenewal({
    files: tls,
    install: (pair) => (fastify.server as HttpsServer).setSecureContext(pair),
    log: (line) => logger.log(line),
    warn: (line) => logger.warn(line),
    ...(checkEveryMs === undefined ? {} : { checkEveryMs, settleMs: Math.min(checkEveryMs, 2_000) }),
  });
  fastify.addHook('onClose', (_instance, done) => {
    renewal.stop();
    done();
  });
}

/** Says at start-up, once, when farmers will refuse this api's URL (see plainHttpWarning). */
export function warnIfFarmersCannotConnect(config: PoolConfig): void {
  const warning = plainHttpWarning(config);
  if (warning !== undefined) new Logger('Tls').warn(warning);
}
