import { Body, Controller, HttpCode, Post, UsePipes } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { PostFarmerRequestSchema } from '@pool/chia';
import { decodeRequest } from '../decode-request';
import { PostFarmerRequestDto } from '../protocol.dto';
import { protocolValidationPipe } from '../protocol-validators';
import { RegisterFarmerCommand, type RegisterFarmerResult } from './register-farmer.command';

/** POST /farmer (v1, signed by the plot NFT's owner key) and POST /v2/farmer (signed by the 12381-derived key). */
@Controller()
@UsePipes(protocolValidationPipe)
export class RegisterFarmerController {
  constructor(private readonly commands: CommandBus) {}

  // The reference pool answers every request with 200; Nest would say 201 Created for a POST.
  @Post('farmer')
  @HttpCode(200)
  postFarmer(@Body() body: PostFarmerRequestDto): Promise<RegisterFarmerResult> {
    return this.commands.execute(new RegisterFarmerCommand(decodeRequest(() => PostFarmerRequestSchema.fromJson(body as never)), 1));
  }

  @Post('v2/farmer')
  @HttpCode(200)
  postFarmerV2(@Body() body: PostFarmerRequestDto): Promise<RegisterFarmerResult> {
    return this.commands.execute(new RegisterFarmerCommand(decodeRequest(() => PostFarmerRequestSchema.fromJson(body as never)), 2));
  }
}
