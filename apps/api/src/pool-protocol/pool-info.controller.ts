import { Controller, Get, Inject } from '@nestjs/common';
import { GetPoolInfoResponseLegacySchema, GetPoolInfoResponseSchema, hexToBytes, CLVM_NIL } from '@pool/chia';
import { feeFraction, type PoolConfig } from '@pool/config';
import { POOL_CONFIG } from '@pool/runtime';

/** GET /pool_info and GET /v2/pool_info: what a wallet shows before joining, no authentication. */
@Controller()
export class PoolInfoController {
  constructor(@Inject(POOL_CONFIG) private readonly config: PoolConfig) {}

  @Get('pool_info')
  poolInfo(): unknown {
    const s = this.config.settings;
    return GetPoolInfoResponseLegacySchema.toJson({
      name: s.name,
      logoUrl: s.logoUrl,
      minimumDifficulty: s.minimumDifficulty,
      relativeLockHeight: s.relativeLockHeight,
      protocolVersion: 1,
      fee: feeFraction(s.feeBasisPoints),
      description: s.description,
      targetPuzzleHash: hexToBytes(s.targetPuzzleHash, 32),
      authenticationTokenTimeout: s.authenticationTokenTimeout,
    });
  }

  /** v2 states the fee in basis points and adds the reward memoization (none: nil). */
  @Get('v2/pool_info')
  poolInfoV2(): unknown {
    const s = this.config.settings;
    return GetPoolInfoResponseSchema.toJson({
      name: s.name,
      logoUrl: s.logoUrl,
      minimumDifficulty: s.minimumDifficulty,
      relativeLockHeight: s.relativeLockHeight,
      protocolVersion: 2,
      fee: String(s.feeBasisPoints),
      description: s.description,
      targetPuzzleHash: hexToBytes(s.targetPuzzleHash, 32),
      authenticationTokenTimeout: s.authenticationTokenTimeout,
      poolMemoization: CLVM_NIL.slice(),
    });
  }
}
