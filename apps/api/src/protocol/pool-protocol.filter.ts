import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { toErrorBody } from './pool-protocol.error';

/** Every error of a protocol route becomes `{"error_code", "error_message"}` with HTTP 200, as farmers expect. */
@Catch()
export class PoolProtocolExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('PoolProtocol');

  catch(exception: unknown, host: ArgumentsHost): void {
    const { body, unexpected } = toErrorBody(exception);
    if (unexpected) this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    void host.switchToHttp().getResponse<FastifyReply>().status(200).send(body);
  }
}
