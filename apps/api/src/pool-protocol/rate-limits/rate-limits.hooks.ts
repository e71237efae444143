import { setMaxListeners } from 'node:events';
import { PoolErrorCode } from '@pool/chia';
import { type RateLimitSettings } from '@pool/config';
import { abortableSleep } from '@pool/runtime';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type ErrorBody } from '../pool-protocol.error';
import { addressKey, launcherIdOf } from './client-keys';
import { TokenBuckets } from './token-buckets';

/**
 * Which protocol routes are limited, and by what. /pool_info names no farmer (the farmer reads it every hour
 * and the dashboard on each visit): it spends the address's budget only. Every route that names a launcher id
 * (partials, farmer records, logins, /v2/auth) spends both budgets.
 */
const LIMITED_ROUTES: ReadonlyMap<string, 'address' | 'address and launcher'> = new Map([
  ['/pool_info', 'address'],
  ['/v2/pool_info', 'address'],
  ...['/partial', '/v2/partial', '/farmer', '/v2/farmer', '/login', '/v2/login', '/v2/auth'].map((path) => [path, 'address and launcher'] as const),
]);

/** Keys each bucket map may hold: about 200 bytes a key, so a flood of made-up ids or addresses costs at most ~20 MB. */
export const MAX_RATE_LIMIT_KEYS = 100_000;

/**
 * Real milliseconds a client over its budget waits for its refusal. Answering a refusal at once is cheap but not
 * free (HTTP parsing, routing, the reply): a client that sends the next request as soon as it has the answer, on
 * many keep-alive connections, would still take the api's event loop from the honest farmers. Holding the answer a
 * second slows such a client to one request a second per connection, whatever it does with the answers. A farmer
 * behaving as Chia's never waits for it: it never meets a limit.
 */
export const REFUSAL_DELAY_MS = 1000;

/**
 * The longest mean hold, however many refusals an address has waiting: an address that holds the 256 connections
 * it may open (server.max_connections_per_address) then gets about 13 refusals a second, where a fixed one-second
 * hold would answer it 256 times a second.
 */
export const MAX_REFUSAL_HOLD_MS = 20_000;

/**
 * How long one refusal is held: the mean times the refusals its address has waiting (this one included), at most
 * MAX_REFUSAL_HOLD_MS, then anywhere from half to one and a half times that, at random. Scaled by what the address
 * has waiting, a flood is answered about once a second whether it comes over one connection or a hundred (each of n
 * connections waits ~n seconds), so opening more connections buys a flooder nothing. Spread at random, the
 * connections of a flood do not stay in step (refused together, answered together, sending again together), which
 * would have the api meet the whole flood as one burst, with an honest partial that lands in it waiting behind it.
 */
export function refusalHoldMs(meanMs: number, waiting = 1, random: () => number = Math.random): number {
  return Math.round(Math.min(MAX_REFUSAL_HOLD_MS, meanMs * Math.max(1, waiting)) * (0.5 + random()));
}

export interface RateLimitOptions {
  /**
   * The app's clock (unix seconds; default the wall clock). Budgets refill in the pool's own time: a devnet run
   * whose clock runs `speed` times faster (and whose farmers send `speed` times as many requests a real minute)
   * refills them `speed` times faster, and a test on a manual clock refills them only when it moves the clock.
   */
  clock?: () => number;
  maxKeys?: number;
  refusalDelayMs?: number;
}

/**
 * Rate limits on the pool protocol routes, checked before any signature or proof is verified and before the
 * store or the node is asked anything: the client address's bucket in onRequest, before the body is even read;
 * the launcher id's bucket in preValidation, once the body is parsed (the cheap part: at most 64 KiB of JSON),
 * before Nest's pipes and the handler. The launcher bucket is charged only for requests the address let through,
 * so one flooding client cannot spend the budget of the farmers whose launcher ids it names.
 */
export function installRateLimits(fastify: FastifyInstance, limits: RateLimitSettings, options: RateLimitOptions = {}): void {
  if (!limits.enabled) return;
  const clock = options.clock ?? (() => Date.now() / 1000);
  const now = (): number => clock() * 1000;
  const maxKeys = options.maxKeys ?? MAX_RATE_LIMIT_KEYS;
  const byAddress = new TokenBuckets({ perMinute: limits.perAddressPerMinute, maxKeys, now });
  const byLauncher = new TokenBuckets({ perMinute: limits.perLauncherPerMinute, maxKeys, now });
  // The route the router matched, not the raw URL: `/p%61rtial` is routed to /partial and must spend its budget.
  const routeOf = (request: FastifyRequest) => (request.routeOptions.url === undefined ? undefined : LIMITED_ROUTES.get(request.routeOptions.url));
  // Refusals still held are answered at once when the app starts closing, so they do not hold up its close.
  const closing = new AbortController();
  // Each refusal held listens for the close: as many listeners as a flood holds refusals, which is no leak.
  setMaxListeners(0, closing.signal);
  fastify.addHook('preClose', async () => closing.abort());
  // Refusals being held, by client address (an entry lives while one is held: connection caps bound them).
  const waiting = new Map<string, number>();
  const refuse = async (address: string, reply: FastifyReply, why: string, retryAfterMs: number): Promise<FastifyReply> => {
    const held = (waiting.get(address) ?? 0) + 1;
    waiting.set(address, held);
    try {
      await abortableSleep(refusalHoldMs(options.refusalDelayMs ?? REFUSAL_DELAY_MS, held), closing.signal);
    } finally {
      const left = (waiting.get(address) ?? 1) - 1;
      if (left > 0) waiting.set(address, left);
      else waiting.delete(address);
    }
    return reply.code(200).header('retry-after', String(retryAfterSeconds(retryAfterMs))).send(refusal(why, retryAfterMs));
  };

  fastify.addHook('onRequest', async (request, reply) => {
    if (routeOf(request) === undefined) return;
    const address = addressKey(request.ip);
    const verdict = byAddress.take(address);
    if (!verdict.allowed) return refuse(address, reply, `more than ${limits.perAddressPerMinute} requests a minute from your address ${address}`, verdict.retryAfterMs);
  });
  fastify.addHook('preValidation', async (request, reply) => {
    if (routeOf(request) !== 'address and launcher') return;
    const launcherId = launcherIdOf(request);
    if (launcherId === undefined) return;
    const verdict = byLauncher.take(launcherId);
    if (!verdict.allowed) return refuse(addressKey(request.ip), reply, `more than ${limits.perLauncherPerMinute} requests a minute for launcher ${launcherId}`, verdict.retryAfterMs);
  });
}

/**
 * A refusal in the protocol's format (429 is not a protocol answer: Chia's farmer treats any non-200 as the pool
 * being unreachable). The code is REQUEST_FAILED (16): the protocol has no rate-limit code, and 16 is what
 * pool-reference answers for its own rate limit (PUT /farmer within the update cooldown); SERVER_EXCEPTION (8)
 * would claim the pool failed. Chia's farmer only logs 16, so it simply tries again later, which is right.
 */
function refusal(why: string, retryAfterMs: number): ErrorBody {
  return { error_code: PoolErrorCode.REQUEST_FAILED, error_message: `rate limit: ${why}; try again in ${retryAfterSeconds(retryAfterMs)} s` };
}

const retryAfterSeconds = (retryAfterMs: number): number => Math.max(1, Math.ceil(retryAfterMs / 1000));
