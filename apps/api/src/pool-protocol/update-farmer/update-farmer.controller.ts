import { Body, Controller, Put, UsePipes } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { parsePutFarmerRequestJson } from '@pool/chia';
import { decodeRequest } from '../decode-request';
import { PutFarmerRequestDto } from '../protocol.dto';
import { protocolValidationPipe } from '../protocol-validators';
import { UpdateFarmerCommand, type UpdateFarmerResult } from './update-farmer.command';

/** PUT /farmer and PUT /v2/farmer: either payload edition (5 or 6 fields) on either route. */
@Controller()
@UsePipes(protocolValidationPipe)
export class UpdateFarmerController {
  constructor(private readonly commands: CommandBus) {}

  @Put('farmer')
  putFarmer(@Body() body: PutFarmerRequestDto): Promise<UpdateFarmerResult> {
    return this.commands.execute(new UpdateFarmerCommand(decodeRequest(() => parsePutFarmerRequestJson(body)), 1));
  }

  @Put('v2/farmer')
  putFarmerV2(@Body() body: PutFarmerRequestDto): Promise<UpdateFarmerResult> {
    return this.commands.execute(new UpdateFarmerCommand(decodeRequest(() => parsePutFarmerRequestJson(body)), 2));
  }
}
