import { Inject, Injectable } from '@nestjs/common';
import { AuthenticationPayloadSchema, hexToBytes, PoolErrorCode, validateAuthenticationToken, type BlsBackend } from '@pool/chia';
import { type PoolConfig } from '@pool/config';
import { type RegisteredFarmer } from '@pool/domain';
import { BLS, CLOCK, POOL_CONFIG, type Clock } from '@pool/runtime';
import { PoolProtocolError } from '../pool-protocol.error';
import { FarmerRecords } from './farmer-records';

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
    const message = AuthenticationPayloadSchema.hash({
      methodName: method,
      launcherId: hexToBytes(launcherId, 32),
      targetPuzzleHash: hexToBytes(this.config.settings.targetPuzzleHash, 32),
      authenticationToken: token,
    });
    if (!this.bls.verify(hexToBytes(farmer.authenticationPublicKey, 48), message, signature)) {
      throw new PoolProtocolError(PoolErrorCode.INVALID_SIGNATURE, 'the signature does not verify with your registered authentication key');
    }
    return farmer;
  }
}
