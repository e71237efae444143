import { type IncomingHttpHeaders } from 'node:http';
import { Body, Controller, Headers, HttpCode, Inject, Ip, Post, UseFilters, UsePipes } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { parsePostPartialRequestJson } from '@pool/chia';
import { CLOCK, type Clock } from '@pool/runtime';
import { decodeRequest } from '../decode-request';
import { PostPartialRequestDto } from '../protocol.dto';
import { protocolValidationPipe } from '../protocol-validators';
import { addressKey } from '../rate-limits/client-keys';
import { RecordRefusedPartialsFilter } from '../refused-partials/record-refused-partials.filter';
import { partialHeadersOf, SubmitPartialCommand, type SubmitPartialResult } from './submit-partial.command';

/** POST /partial (v1) and POST /v2/partial (CHIP-59: the JWT rides in the body, beside the v1 payload). */
@Controller()
@UsePipes(protocolValidationPipe)
@UseFilters(RecordRefusedPartialsFilter)
export class SubmitPartialController {
  constructor(
    private readonly commands: CommandBus,
    @Inject(CLOCK) private readonly now: Clock,
  ) {}

  // The reference pool answers every request with 200; Nest would say 201 Created for a POST.
  @Post('partial')
  @HttpCode(200)
  postPartial(@Body() body: PostPartialRequestDto, @Headers() headers: IncomingHttpHeaders, @Ip() ip: string): Promise<SubmitPartialResult> {
    const receivedAt = this.now();
    const { request } = decodeRequest(() => parsePostPartialRequestJson(body));
    return this.commands.execute(new SubmitPartialCommand(request, { edition: 1 }, receivedAt, partialHeadersOf(headers), addressKey(ip)));
  }

  @Post('v2/partial')
  @HttpCode(200)
  postPartialV2(@Body() body: PostPartialRequestDto, @Headers() headers: IncomingHttpHeaders, @Ip() ip: string): Promise<SubmitPartialResult> {
    const receivedAt = this.now();
    const edition = decodeRequest(() => parsePostPartialRequestJson(body));
    const jwt = edition.edition === 'current' ? edition.request.authenticationTokenV2 : undefined;
    return this.commands.execute(new SubmitPartialCommand(edition.request, { edition: 2, jwt }, receivedAt, partialHeadersOf(headers), addressKey(ip)));
  }
}
