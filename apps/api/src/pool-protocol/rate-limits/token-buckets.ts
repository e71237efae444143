/** What a bucket says to one request: go ahead, or come back after `retryAfterMs`. */
export type BucketVerdict = { allowed: true } | { allowed: false; retryAfterMs: number };

export interface TokenBucketsOptions {
  /** Requests a minute one key may make: the bucket holds this many and refills at this rate. */
  perMinute: number;
  /** The most keys kept; past it the least recently seen key is forgotten (as if it had been idle). */
  maxKeys: number;
  /** Milliseconds (the app's clock; a clock set back refills nothing, it does not take tokens away). */
  now(): number;
}

interface Bucket {
  tokens: number;
  /** When `tokens` was last brought up to date. */
  at: number;
}

/**
 * Token buckets by key (a client address, a launcher id), pure apart from the injected clock. A bucket idle for a
 * whole minute is full again, exactly what an unknown key gets, so forgetting it changes nothing: the map holds
 * only keys seen within the last minute, and never more than `maxKeys` of them however many random keys a flood
 * makes up. Forgetting a key early (past `maxKeys`) can only let it through sooner, never refuse anyone wrongly.
 */
export class TokenBuckets {
  /** In order of last use (a key is moved to the end each time it is seen), so the idle ones are at the front. */
  private readonly buckets = new Map<string, Bucket>();
  private readonly refillPerMs: number;
  private readonly fullAfterMs = 60_000;

  constructor(private readonly options: TokenBucketsOptions) {
    if (!(options.perMinute > 0) || !(options.maxKeys > 0)) throw new RangeError('a rate limit needs a positive rate and room for a key');
    this.refillPerMs = options.perMinute / this.fullAfterMs;
  }

  /** Takes one token from `key`'s bucket if it has one; a refused request takes nothing. */
  take(key: string): BucketVerdict {
    const now = this.options.now();
    this.forgetIdle(now);
    const bucket = this.buckets.get(key);
    const tokens = bucket === undefined ? this.options.perMinute : Math.min(this.options.perMinute, bucket.tokens + Math.max(0, now - bucket.at) * this.refillPerMs);
    this.buckets.delete(key);
    const allowed = tokens >= 1;
    this.buckets.set(key, { tokens: allowed ? tokens - 1 : tokens, at: now });
    if (this.buckets.size > this.options.maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
    return allowed ? { allowed } : { allowed, retryAfterMs: Math.ceil((1 - tokens) / this.refillPerMs) };
  }

  /** Keys held now (for tests and metrics). */
  get size(): number {
    return this.buckets.size;
  }

  private forgetIdle(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (now - bucket.at < this.fullAfterMs) return;
      this.buckets.delete(key);
    }
  }
}
