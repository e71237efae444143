import { Inject, Injectable } from '@nestjs/common';
import {
  AuthenticationJwtError,
  buildV2AuthMessage,
  bytesToHex,
  hexToBytes,
  isV2AuthTimestampFresh,
  issueAuthenticationJwt,
  PoolErrorCode,
  verifyAuthenticationJwt,
  type BlsBackend,
} from '@pool/chia';
import { type PoolConfig } from '@pool/config';
import { type RegisteredFarmer } from '@pool/domain';
import { BLS, CLOCK, POOL_CONFIG, type Clock } from '@pool/runtime';
import { PoolProtocolError } from '../pool-protocol.error';
import { v2SigningKey } from './authentication-keys';
import { FarmerRecords } from './farmer-records';

export interface V2AuthRequest {
  launcherId: Uint8Array;
  timestamp: bigint;
  signature: Uint8Array;
}

/**
 * GET /v2/auth and the JWT check of every other v2 route. The JWT is an HS256 token under the pool's secret,
 * bound to the launcher id and valid for `authentication_token_timeout` minutes.
 */
@Injectable()
export class V2Authentication {
  private readonly key: Uint8Array;

  constructor(
    private readonly records: FarmerRecords,
    @Inject(BLS) private readonly bls: BlsBackend,
    @Inject(POOL_CONFIG) private readonly config: PoolConfig,
    @Inject(CLOCK) private readonly now: Clock,
  ) {
    this.key = hexToBytes(config.settings.jwtSecretHex);
  }

  /** JWT (12), then a farmer registered through v2 (10): the start of every v2 route but GET /v2/auth. */
  async requireFarmer(token: string | undefined, launcherId: Uint8Array): Promise<RegisteredFarmer> {
    await this.requireJwt(token, launcherId);
    return this.records.knownV2(bytesToHex(launcherId));
  }

  /**
   * Order: farmer known (10), timestamp fresh (12), signature over the raw 72-byte message with the derived key
   * (7). The freshness window (one token lifetime) closes pool2-reference's gap, where a captured request mints
   * new tokens forever.
   */
  async issue(request: V2AuthRequest): Promise<{ authentication_token: string; expiration: bigint }> {
    const launcherId = bytesToHex(request.launcherId);
    const farmer = await this.records.knownV2(launcherId);
    const settings = this.config.settings;
    const now = Math.floor(this.now());
    const window = BigInt(settings.authenticationTokenTimeout * 60);
    if (!isV2AuthTimestampFresh(request.timestamp, BigInt(now), window)) {
      throw new PoolProtocolError(
        PoolErrorCode.INVALID_AUTHENTICATION_TOKEN,
        `timestamp ${request.timestamp} is more than ${window} s away from the pool's clock (${now}); check your clock`,
      );
    }
    const message = buildV2AuthMessage(request.timestamp, request.launcherId, hexToBytes(settings.targetPuzzleHash, 32));
    const key = v2SigningKey(this.bls, hexToBytes(farmer.authenticationPublicKey, 48));
    if (!this.bls.verify(key, message, request.signature)) {
      throw new PoolProtocolError(
        PoolErrorCode.INVALID_SIGNATURE,
        'the signature does not verify with the 12381-derived key of your authentication key over timestamp || launcher_id || pool claim hash',
      );
    }
    const issued = await issueAuthenticationJwt({ launcherId: request.launcherId, nowUnixSeconds: now, timeoutMinutes: settings.authenticationTokenTimeout, key: this.key });
    return { authentication_token: issued.token, expiration: issued.expiration };
  }

  /** Every reason a token is refused (absent, expired, forged, another launcher's) is 12: the farmer re-authenticates. */
  async requireJwt(token: string | undefined, launcherId: Uint8Array): Promise<void> {
    if (token === undefined || token === '') {
      throw new PoolProtocolError(PoolErrorCode.INVALID_AUTHENTICATION_TOKEN, 'no authentication_token_v2 was sent; GET /v2/auth first');
    }
    try {
      await verifyAuthenticationJwt({ token, launcherId, nowUnixSeconds: this.now(), key: this.key });
    } catch (error) {
      if (error instanceof AuthenticationJwtError) {
        throw new PoolProtocolError(PoolErrorCode.INVALID_AUTHENTICATION_TOKEN, `${error.message}; GET /v2/auth for a new one`);
      }
      throw error;
    }
  }
}
