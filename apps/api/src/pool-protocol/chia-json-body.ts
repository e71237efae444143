import { parseChiaJson, stringifyChiaJson } from '@pool/chia';
import type { FastifyInstance } from 'fastify';

export const MAX_BODY_BYTES = 64 * 1024;

/** Paths answered in the pool protocol's error format (the read API keeps ordinary HTTP statuses). */
export function isProtocolPath(url: string): boolean {
  return !url.startsWith('/api/') && !url.startsWith('/health') && !url.startsWith('/metrics');
}

/**
 * JSON bodies are parsed and written exactly: Chia sends uint64 values (tokens, difficulties) as bare numbers past
 * 2^53, which JSON.parse would round. A parse failure reaches PoolProtocolExceptionFilter like any other error.
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
