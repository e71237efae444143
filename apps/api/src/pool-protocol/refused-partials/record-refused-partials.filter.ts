import { type ArgumentsHost, Catch, Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '@pool/runtime';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PoolProtocolExceptionFilter } from '../pool-protocol.filter';
import { toErrorBody } from '../pool-protocol.error';
import { routedPath } from '../../routed-path';
import { RefusedPartialsRecorder } from './refused-partials.recorder';

/**
 * On POST /partial and POST /v2/partial: a refusal in the protocol's terms (what the farmer is answered with an
 * error code it can act on) is handed to the recorder with the body as received, and then answered as every
 * protocol error is. Unexpected failures are the pool's, not the farmer's, and are not shown as refusals. Requests
 * refused before the route runs (rate limits, unreadable JSON) never get here.
 *
 * An exception filter, not an interceptor: it runs only when a partial is refused, so an accepted partial pays
 * nothing for it (an interceptor wraps every call in observables and async-context bindings, measurable in the
 * partials bench's profile).
 */
@Injectable()
@Catch()
export class RecordRefusedPartialsFilter extends PoolProtocolExceptionFilter {
  constructor(
    private readonly recorder: RefusedPartialsRecorder,
    @Inject(CLOCK) private readonly now: Clock,
  ) {
    super();
  }

  override catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const { body, unexpected } = toErrorBody(exception);
    if (!unexpected) {
      this.recorder.afterAnswer({
        body: request.body,
        errorCode: body.error_code,
        message: body.error_message,
        // When the request arrived: the time it has been in Fastify's hands, taken off the app's clock.
        receivedAt: this.now() - http.getResponse<FastifyReply>().elapsedTime / 1000,
        protocolVersion: routedPath(request).startsWith('/v2/') ? 2 : 1,
      });
    }
    super.catch(exception, host);
  }
}
