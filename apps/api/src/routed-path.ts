import type { FastifyRequest } from 'fastify';

/**
 * The path as the router saw it, for every hook and filter that decides by path. The raw `request.url` is not it:
 * the router decodes percent-escapes, so `/p%61rtial` runs the /partial handler and `/api/%6Fperator/x` is an
 * operator path, while a prefix test on the raw URL says neither. A matched route gives its pattern
 * (`/api/farmers/:launcherId`), set before the onRequest hooks run; a path no route matched (a 404) is decoded
 * here, so an unknown operator path is recognised as one as well. A path that does not decode (a lone `%`) is
 * kept as it is: the router matched nothing for it either.
 */
export function routedPath(request: FastifyRequest): string {
  const route = request.routeOptions.url;
  if (route !== undefined) return route;
  const raw = request.url;
  const end = raw.search(/[?#]/);
  const path = end === -1 ? raw : raw.slice(0, end);
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
