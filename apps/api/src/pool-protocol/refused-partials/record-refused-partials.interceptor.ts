import { type CallHandler, type ExecutionContext, Inject, Injectable, type NestInterceptor } from '@nestjs/common';
import { CLOCK, type Clock } from '@pool/runtime';
import type { FastifyRequest } from 'fastify';
import { catchError, throwError, type Observable } from 'rxjs';
import { toErrorBody } from '../pool-protocol.error';
import { RefusedPartialsRecorder } from './refused-partials.recorder';

/**
 * On POST /partial and POST /v2/partial: a refusal in the protocol's terms (what the farmer is answered with an
 * error code it can act on) is handed to the recorder with the body as received; the error goes on unchanged to the
 * exception filter that answers it. Unexpected failures are the pool's, not the farmer's, and are not shown as
 * refusals. Requests refused before the route runs (rate limits, unreadable JSON) never get here.
 */
@Injectable()
export class RecordRefusedPartials implements NestInterceptor {
  constructor(
    private readonly recorder: RefusedPartialsRecorder,
    @Inject(CLOCK) private readonly now: Clock,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const receivedAt = this.now();
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    return next.handle().pipe(
      catchError((error: unknown) => {
        const { body, unexpected } = toErrorBody(error);
        if (!unexpected) {
          this.recorder.afterAnswer({
            body: request.body,
            errorCode: body.error_code,
            message: body.error_message,
            receivedAt,
            protocolVersion: request.url.startsWith('/v2/') ? 2 : 1,
          });
        }
        return throwError(() => error);
      }),
    );
  }
}
