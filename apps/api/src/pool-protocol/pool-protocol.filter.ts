import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { PoolErrorCode } from '@pool/chia';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isProtocolPath, MAX_BODY_BYTES } from './chia-json-body';
import { toErrorBody, type ErrorBody } from './pool-protocol.error';

/**
 * The api's one exception filter. On protocol paths every error, including those Fastify raises before a
 * route runs (bad JSON, body too large, unknown route), becomes `{"error_code", "error_message"}` with
 * HTTP 200, as farmers expect; the read API keeps ordinary HTTP statuses.
 */
@Catch()
export class PoolProtocolExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('PoolProtocol');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const url = http.getRequest<FastifyRequest>().url;
    if (!isProtocolPath(url)) {
      const status = exception instanceof HttpException ? exception.getStatus() : statusOf(exception) ?? 500;
      if (status >= 500) this.logger.error(describe(exception));
      const body = exception instanceof HttpException ? exception.getResponse() : { statusCode: status, message: status >= 500 ? 'internal error' : messageOf(exception) };
      void reply.status(status).send(body);
      return;
    }
    const transport = transportError(exception);
    if (transport) {
      void reply.status(200).send(transport);
      return;
    }
    const { body, unexpected } = toErrorBody(exception);
    if (unexpected) this.logger.error(describe(exception));
    void reply.status(200).send(body);
  }
}

/** Errors Fastify raises itself (status codes on plain errors), as protocol answers. */
function transportError(exception: unknown): ErrorBody | undefined {
  const status = exception instanceof HttpException ? exception.getStatus() : statusOf(exception);
  if (status === undefined) return undefined;
  const code = (exception as { code?: string }).code;
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE' || status === 413) {
    return { error_code: PoolErrorCode.REQUEST_FAILED, error_message: `request body is larger than ${MAX_BODY_BYTES} bytes` };
  }
  if (status === 404) {
    return { error_code: PoolErrorCode.REQUEST_FAILED, error_message: 'no such pool protocol route' };
  }
  if (status !== undefined && status < 500) return { error_code: PoolErrorCode.SERVER_EXCEPTION, error_message: messageOf(exception) };
  return undefined;
}

function statusOf(exception: unknown): number | undefined {
  const status = (exception as { statusCode?: unknown })?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

function messageOf(exception: unknown): string {
  return exception instanceof Error ? exception.message : String(exception);
}

function describe(exception: unknown): string {
  return exception instanceof Error ? (exception.stack ?? exception.message) : String(exception);
}
