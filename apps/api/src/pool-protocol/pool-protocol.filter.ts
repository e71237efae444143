import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { PoolErrorCode } from '@pool/chia';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isProtocolPath, MAX_BODY_BYTES } from './chia-json-body';
import { toErrorBody, type ErrorBody } from './pool-protocol.error';
import { routedPath } from '../routed-path';

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
    const request = http.getRequest<FastifyRequest>();
    const path = routedPath(request);
    if (!isProtocolPath(path)) {
      const status = exception instanceof HttpException ? exception.getStatus() : statusOf(exception) ?? 500;
      // 503 is load shed on purpose (e.g. statement replays over their bound), not a failure to log.
      if (status >= 500 && status !== 503) this.logUnexpected(exception, request.method, path);
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
    if (unexpected) this.logUnexpected(exception, request.method, path);
    void reply.status(200).send(body);
  }

  /**
   * One bounded line per unexpected error (what, where it was thrown, which route). The whole stack is what an
   * operator needs to fix a real bug, so it is logged too, but once per kind of error (name and first frame) in
   * STACK_EVERY_MS; repeats get the line alone (and the stack at debug level): a request anyone can repeat must not
   * be able to write kilobytes of log each time.
   */
  private logUnexpected(exception: unknown, method: string, path: string): void {
    const line = oneLine(exception, `${method} ${path}`);
    const stack = exception instanceof Error ? exception.stack : undefined;
    if (stack !== undefined && this.stacks.due(kindOf(exception as Error), Date.now())) this.logger.error(`${line}\n${stack}`);
    else {
      this.logger.error(line);
      if (stack !== undefined) this.logger.debug(stack);
    }
  }

  private readonly stacks = new OncePer(STACK_EVERY_MS, 256);
}

const STACK_EVERY_MS = 10 * 60_000;

/** An error's kind for the stack throttle: its name and the first frame it was thrown from. */
const kindOf = (error: Error): string => `${error.name} ${/\n\s+at (.+)/.exec(error.stack ?? '')?.[1] ?? ''}`;

/** Says yes to a key at most once per `everyMs`; remembers at most `maxKeys` keys (the oldest are forgotten). */
export class OncePer {
  private readonly last = new Map<string, number>();

  constructor(
    private readonly everyMs: number,
    private readonly maxKeys: number,
  ) {}

  due(key: string, now: number): boolean {
    const at = this.last.get(key);
    if (at !== undefined && now - at < this.everyMs) return false;
    this.last.delete(key);
    this.last.set(key, now);
    if (this.last.size > this.maxKeys) this.last.delete(this.last.keys().next().value as string);
    return true;
  }
}

const MAX_LOG_LINE = 400;

/** `GET /route: TypeError: message (at the first frame)`, on one line and at most MAX_LOG_LINE characters. */
export function oneLine(exception: unknown, where: string): string {
  const what = exception instanceof Error ? `${exception.name}: ${exception.message}` : String(exception);
  const frame = exception instanceof Error ? /\n\s+at (.+)/.exec(exception.stack ?? '')?.[1] : undefined;
  const line = `${where}: ${what}${frame ? ` (at ${frame})` : ''}`.replace(/\s*\n\s*/g, ' ');
  return line.length > MAX_LOG_LINE ? `${line.slice(0, MAX_LOG_LINE - 1)}…` : line;
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

