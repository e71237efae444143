import { parseChiaJson, stringifyChiaJson } from '@pool/chia';
import type { FastifyInstance } from 'fastify';

export const MAX_BODY_BYTES = 64 * 1024;

/**
 * Paths answered in the pool protocol's error format (the read API keeps ordinary HTTP statuses). `path` is the
 * path as the router saw it (routedPath), not the raw URL: `/%61pi/...` is a read API path.
 */
export function isProtocolPath(path: string): boolean {
  return !path.startsWith('/api/') && !path.startsWith('/health') && !path.startsWith('/metrics');
}

/**
 * Keys no request has a use for and that name the object machinery of JavaScript: class-transformer (the
 * validation pipe) reads `value.constructor` on every nested object, so `{"payload": {"launcher_id":
 * {"constructor": 1}}}` crashed it and logged a stack trace per request. Such a body is refused as the bad
 * request it is, before any handler or pipe sees it.
 */
const RESERVED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** The JSON path of the first reserved key in `value`, or undefined. Depth is bounded by the parser's. */
export function reservedKeyPath(value: unknown, path = 'body'): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = reservedKeyPath(value[i], `${path}[${i}]`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  for (const key of Object.keys(value)) {
    if (RESERVED_KEYS.has(key)) return `${path}.${key}`;
    const found = reservedKeyPath((value as Record<string, unknown>)[key], `${path}.${key}`);
    if (found !== undefined) return found;
  }
  return undefined;
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
    let parsed;
    try {
      parsed = parseChiaJson(body as string);
    } catch (error) {
      done(Object.assign(new Error(`the body is not valid JSON: ${(error as Error).message}`), { statusCode: 400 }), undefined);
      return;
    }
    const reserved = reservedKeyPath(parsed);
    if (reserved !== undefined) {
      done(Object.assign(new Error(`invalid request: ${reserved} is not a field of any request (the keys __proto__, constructor and prototype are refused)`), { statusCode: 400 }), undefined);
      return;
    }
    done(null, parsed);
  });
}
