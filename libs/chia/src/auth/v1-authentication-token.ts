/*
 * Pool protocol v1 time token (chia/protocols/pool_protocol.py): the farmer puts the current token in every
 * signed payload, so a captured signature is only replayable while the token is inside the accepted window.
 * Everything here is pure: the caller passes the clock.
 */

const SECONDS_PER_MINUTE = 60n;

export interface AuthenticationTokenWindow {
  /** Smallest accepted token (inclusive). */
  readonly first: bigint;
  /** Largest accepted token (inclusive). */
  readonly last: bigint;
}

/**
 * `get_current_authentication_token(timeout)` = floor(floor(unix_seconds / 60) / timeout): the number of
 * `timeout`-minute periods since the epoch. `timeoutMinutes` is the pool's `authentication_token_timeout`.
 */
export function getCurrentAuthenticationToken(timeoutMinutes: number, nowUnixSeconds: number | bigint): bigint {
  const timeout = checkTimeout(timeoutMinutes);
  const now = toWholeSeconds(nowUnixSeconds);
  return now / SECONDS_PER_MINUTE / timeout;
}

/**
 * The tokens `validate_authentication_token` accepts: |token - current| <= timeout. Note the tolerance is
 * `timeout` tokens, i.e. timeout² minutes either side (±25 min for the usual timeout of 5).
 */
export function authenticationTokenWindow(timeoutMinutes: number, nowUnixSeconds: number | bigint): AuthenticationTokenWindow {
  const current = getCurrentAuthenticationToken(timeoutMinutes, nowUnixSeconds);
  const timeout = BigInt(timeoutMinutes);
  return { first: current > timeout ? current - timeout : 0n, last: current + timeout };
}

/** True when `token` is inside the accepted window at `nowUnixSeconds`; otherwise INVALID_AUTHENTICATION_TOKEN. */
export function validateAuthenticationToken(
  token: bigint,
  timeoutMinutes: number,
  nowUnixSeconds: number | bigint,
): boolean {
  if (typeof token !== 'bigint') throw new TypeError('the authentication token must be a bigint (uint64)');
  const { first, last } = authenticationTokenWindow(timeoutMinutes, nowUnixSeconds);
  return token >= first && token <= last;
}

function checkTimeout(timeoutMinutes: number): bigint {
  // authentication_token_timeout is a uint8 in GetPoolInfoResponse; 0 would divide by zero.
  if (!Number.isInteger(timeoutMinutes) || timeoutMinutes < 1 || timeoutMinutes > 255) {
    throw new RangeError(`authentication_token_timeout must be an integer from 1 to 255 minutes, got ${timeoutMinutes}`);
  }
  return BigInt(timeoutMinutes);
}

function toWholeSeconds(now: number | bigint): bigint {
  if (typeof now === 'bigint') {
    if (now < 0n) throw new RangeError(`the current time must not be negative, got ${now}`);
    return now;
  }
  if (!Number.isFinite(now) || now < 0) throw new RangeError(`the current time must be a non-negative number, got ${now}`);
  // Fractional seconds (Date.now() / 1000) are floored, like int(time.time() / 60) does.
  return BigInt(Math.floor(now));
}
