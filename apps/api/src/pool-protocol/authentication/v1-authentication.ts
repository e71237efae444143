import { Inject, Injectable } from '@nestjs/common';
import { AuthenticationPayloadSchema, getCurrentAuthenticationToken, hexToBytes, PoolErrorCode, validateAuthenticationToken, type BlsBackend } from '@pool/chia';
import { type PoolConfig } from '@pool/config';
import { type RegisteredFarmer } from '@pool/domain';
import { BLS, CLOCK, POOL_CONFIG, type Clock } from '@pool/runtime';
import { PoolProtocolError } from '../pool-protocol.error';
import { FarmerRecords } from './farmer-records';

/**
 * What a signed GET /farmer or login link signs (chia AuthenticationPayload: method name, launcher id, the pool's
 * target puzzle hash, time token). v2 login links sign the same message with another key.
 */
export function authenticationMessage(method: 'get_farmer' | 'get_login', launcherId: string, targetPuzzleHash: string, token: bigint): Uint8Array {
  return AuthenticationPayloadSchema.hash({
    methodName: method,
    launcherId: hexToBytes(launcherId, 32),
    targetPuzzleHash: hexToBytes(targetPuzzleHash, 32),
    authenticationToken: token,
  });
}

/**
 * Would v1 accept a token minted at `unixSeconds` now? chia's validate_authentication_token accepts tokens within
 * `timeout` of the current one, each token lasting `timeout` minutes: a farmer's clock may be about timeout²
 * minutes off (25 at the usual 5). /v2/auth judges its timestamp by the same rule, so a clock that works for v1
 * works for v2.
 */
export function isWithinTokenWindow(unixSeconds: bigint, timeoutMinutes: number, nowUnixSeconds: number): boolean {
  return unixSeconds >= 0n && validateAuthenticationToken(getCurrentAuthenticationToken(timeoutMinutes, unixSeconds), timeoutMinutes, nowUnixSeconds);
}

/** The v1 protocol's proof of who is asking: a time-window token, and for GET /farmer and /login a signature over it. */
@Injectable()
export class V1Authentication {
  constructor(
    private readonly records: FarmerRecords,
    @Inject(BLS) private readonly bls: BlsBackend,
    @Inject(POOL_CONFIG) private readonly config: PoolConfig,
    @Inject(CLOCK) private readonly now: Clock,
  ) {}

  checkToken(token: bigint): void {
    const timeout = this.config.settings.authenticationTokenTimeout;
    if (!validateAuthenticationToken(token, timeout, Math.floor(this.now()))) {
      throw new PoolProtocolError(
        PoolErrorCode.INVALID_AUTHENTICATION_TOKEN,
        `authentication token ${token} is outside the accepted window (timeout ${timeout} min); check your clock`,
      );
    }
  }

  /** GET /farmer and GET /login: token window, known farmer, signature by its authentication key. */
  async authenticate(method: 'get_farmer' | 'get_login', launcherId: string, token: bigint, signature: Uint8Array): Promise<RegisteredFarmer> {
    this.checkToken(token);
    const farmer = await this.records.known(launcherId);
    const message = authenticationMessage(method, launcherId, this.config.settings.targetPuzzleHash, token);
    if (!this.bls.verify(hexToBytes(farmer.authenticationPublicKey, 48), message, signature)) {
      throw new PoolProtocolError(PoolErrorCode.INVALID_SIGNATURE, 'the signature does not verify with your registered authentication key');
    }
    return farmer;
  }
}
