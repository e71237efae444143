import { PoolErrorCode, parseChiaJson, stringifyChiaJson } from '@pool/chia';
import type { FastifyInstance } from 'fastify';

export const MAX_BODY_BYTES = 64 * 1024;

/** Paths answered in the pool protocol's error format (the read API keeps ordinary HTTP statuses). */
export function isProtocolPath(url: string): boolean {
  return !url.startsWith('/api/') && !url.startsWith('/health') && !url.startsWith('/metrics');
}

/**
 * JSON bodies are parsed and written exactly: Chia sends uint64 values (tokens, difficulties) as bare numbers past
 * 2^53, which JSON.parse would round. Failures before a route runs (bad JSON, too large) are answered
 * in the protocol's format on protocol paths too.
 */
export function installChiaJson(fastify: FastifyInstance): void {
  // Replies too: uint64 values leave as bare JSON numbers, exact.
  fastify.setReplySerializer((payload) => stringifyChiaJson(payload));
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: MAX_BODY_BYTES }, (_request, body, done) => {
    try {
      done(null, parseChiaJson(body as string));
    } catch (error) {
      done(Object.assign(new Error(`the body is not valid JSON: ${(error as Error).message}`), { statusCode: 400 }), undefined);
    }
  });
}

/** Must run after Nest's init, which installs its own fastify error handler. */
export function installProtocolErrorHandler(fastify: FastifyInstance): void {
  fastify.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
    const status = error.statusCode ?? 500;
    if (!isProtocolPath(request.url)) {
      void reply.status(status).send({ statusCode: status, message: error.message });
      return;
    }
    const message =
      error.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
        ? `request body is larger than ${MAX_BODY_BYTES} bytes`
        : status < 500
          ? error.message
          : 'the pool could not process the request';
    void reply.status(200).send({ error_code: status === 413 ? PoolErrorCode.REQUEST_FAILED : PoolErrorCode.SERVER_EXCEPTION, error_message: message });
  });
}
