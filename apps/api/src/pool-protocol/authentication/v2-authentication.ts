import { Inject, Injectable } from '@nestjs/common';
import {
  AuthenticationJwtError,
  buildV2AuthMessage,
  bytesToHex,
  hexToBytes,
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
import { authenticationMessage, isWithinTokenWindow, V1Authentication } from './v1-authentication';

/**
 * The `expiration` /v2/auth answers: a margin before the JWT really expires. chia's farmer keeps using a cached
 * token until that expiration has passed (chia/farmer/farmer.py _get_current_authentication_token) and only
 * learns otherwise from an error 12, which costs it a refused request (a lost partial when it is one) and a
 * retry; told a little early, it renews before the pool would refuse, even with its clock a little ahead or a
 * request in flight. The margin is max(60 s, 10 % of the lifetime), at most half of it so a token stays usable.
 */
export function advertisedExpiration(issuedAt: number, expiresAt: bigint): bigint {
  const lifetime = Number(expiresAt) - issuedAt;
  const margin = Math.min(Math.max(60, Math.floor(lifetime / 10)), Math.floor(lifetime / 2));
  return expiresAt - BigInt(margin);
}

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
    private readonly v1: V1Authentication,
    @Inject(BLS) private readonly bls: BlsBackend,
    @Inject(POOL_CONFIG) private readonly config: PoolConfig,
    @Inject(CLOCK) private readonly now: Clock,
  ) {
    this.key = hexToBytes(config.settings.jwtSecretHex);
  }

  /** JWT (12), then a farmer registered through v2 (10): the start of every v2 route but GET /v2/auth. */
  /** `maxAgeMs`: the farmer's state may be that old (FarmerRecords.state). */
  async requireFarmer(token: string | undefined, launcherId: Uint8Array, maxAgeMs?: number): Promise<RegisteredFarmer> {
    await this.requireJwt(token, launcherId);
    return this.records.knownV2(bytesToHex(launcherId), maxAgeMs);
  }

  /**
   * Order: farmer known (10), timestamp fresh (12), signature over the raw 72-byte message with the derived key
   * (7). The freshness window closes pool2-reference's gap (chia_pool/farmer_rpc/v2.py get_auth checks no time at
   * all, so a captured request mints new tokens forever); it is v1's token window, so a farmer whose clock is
   * good enough for v1 is not refused here.
   */
  async issue(request: V2AuthRequest): Promise<{ authentication_token: string; expiration: bigint }> {
    const launcherId = bytesToHex(request.launcherId);
    const farmer = await this.records.knownV2(launcherId);
    const settings = this.config.settings;
    const now = Math.floor(this.now());
    const timeout = settings.authenticationTokenTimeout;
    if (!isWithinTokenWindow(request.timestamp, timeout, now)) {
      throw new PoolProtocolError(
        PoolErrorCode.INVALID_AUTHENTICATION_TOKEN,
        `timestamp ${request.timestamp} is ${request.timestamp - BigInt(now)} s from the pool's clock (${now}), outside the ${timeout * timeout} minutes either side it accepts; check your clock`,
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
    return { authentication_token: issued.token, expiration: advertisedExpiration(now, issued.expiration) };
  }

  /**
   * GET /v2/login, the link chia-blockchain main prints for a v2 plot NFT (chia/farmer/farmer.py
   * generate_login_link): the v1 link's query (launcher_id, the v1 time token, a signature over AuthenticationPayload
   * "get_login" with the pool's target puzzle hash) under /v2/, signed with the 12381-derived key of the
   * authentication key instead of the key itself. Token window (12), a farmer registered through v2 (10), signature (7).
   */
  async authenticateLogin(launcherId: string, token: bigint, signature: Uint8Array): Promise<RegisteredFarmer> {
    this.v1.checkToken(token);
    const farmer = await this.records.knownV2(launcherId);
    const message = authenticationMessage('get_login', launcherId, this.config.settings.targetPuzzleHash, token);
    if (!this.bls.verify(v2SigningKey(this.bls, hexToBytes(farmer.authenticationPublicKey, 48)), message, signature)) {
      throw new PoolProtocolError(PoolErrorCode.INVALID_SIGNATURE, 'the signature does not verify with the 12381-derived key of your authentication key');
    }
    return farmer;
  }

  /** Every reason a token is refused (absent, expired, forged, another launcher's) is 12: the farmer re-authenticates. */
  async requireJwt(token: string | undefined, launcherId: Uint8Array): Promise<void> {
    if (token === undefined || token === '') {
      throw new PoolProtocolError(PoolErrorCode.INVALID_AUTHENTICATION_TOKEN, 'no authentication_token_v2 was sent; GET /v2/auth first');
    }
    const now = this.now();
    let times: { issuedAt: number; expiresAt: number };
    try {
      // Refuses tokens without exp or iat (required claims), expired ones and forged ones.
      times = await verifyAuthenticationJwt({ token, launcherId, nowUnixSeconds: now, key: this.key });
    } catch (error) {
      if (error instanceof AuthenticationJwtError) {
        throw new PoolProtocolError(PoolErrorCode.INVALID_AUTHENTICATION_TOKEN, `${error.message}; GET /v2/auth for a new one`);
      }
      throw error;
    }
    const problem = lifetimeProblem(times, Math.floor(now), this.config.settings.authenticationTokenTimeout * 60);
    if (problem !== undefined) throw new PoolProtocolError(PoolErrorCode.INVALID_AUTHENTICATION_TOKEN, `${problem}; GET /v2/auth for a new one`);
  }
}

/** Seconds of clock difference tolerated between the pool's replicas (and an iat a moment ahead of this one). */
export const JWT_CLOCK_SKEW_SECONDS = 60;

/**
 * The signature proves only that the pool's key signed a token, not that /v2/auth minted it as it mints today:
 * one signed elsewhere with the key (a copied config, a deployment sharing the secret, an older version or a longer
 * timeout) can carry any exp, the year 3000 included, and a stolen copy would then be good for as long. A token is
 * accepted only within the lifetime the pool issues now: exp at most that far from iat and from now, iat not in
 * the future (each up to the skew), so a stolen token is worth minutes. Shortening
 * `authentication_token_timeout` thus also retires the longer tokens already issued; their farmers re-authenticate.
 */
export function lifetimeProblem(times: { issuedAt: number; expiresAt: number }, now: number, lifetimeSeconds: number): string | undefined {
  const limit = lifetimeSeconds + JWT_CLOCK_SKEW_SECONDS;
  if (times.issuedAt > now + JWT_CLOCK_SKEW_SECONDS) return `authentication token was issued in the future (iat ${times.issuedAt}, the pool's clock ${now})`;
  if (times.expiresAt - times.issuedAt > limit || times.expiresAt - now > limit) {
    return `authentication token lives longer than the pool's ${lifetimeSeconds / 60}-minute token lifetime (iat ${times.issuedAt}, exp ${times.expiresAt})`;
  }
  return undefined;
}
