import { Controller, Get, Query, UsePipes } from '@nestjs/common';
import { hexToBytes } from '@pool/chia';
import { V2AuthQueryDto } from '../protocol.dto';
import { protocolValidationPipe } from '../protocol-validators';
import { V2Authentication } from './v2-authentication';

/** GET /v2/auth (pool2-reference / CHIP-59): a signed timestamp buys a JWT that the other v2 routes carry. */
@Controller('v2')
@UsePipes(protocolValidationPipe)
export class V2AuthController {
  constructor(private readonly auth: V2Authentication) {}

  @Get('auth')
  getAuth(@Query() query: V2AuthQueryDto): Promise<{ authentication_token: string; expiration: bigint }> {
    return this.auth.issue({
      launcherId: hexToBytes(query.launcher_id, 32),
      timestamp: BigInt(query.timestamp),
      signature: hexToBytes(query.signature, 96),
    });
  }
}
