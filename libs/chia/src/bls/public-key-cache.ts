/**
 * Bounded LRU of public keys that already passed decoding and every validity check, keyed by their exact
 * compressed bytes. Partials repeat keys (one auth key per farmer, one plot key per plot), and decompression
 * plus the G1 subgroup check cost about as much as a tenth of a partial's pairing work.
 *
 * Only accepted keys are stored: a rejected key is checked again every time it comes back, so no input can
 * make the cache answer "valid" for bytes that were never validated, and a flood of junk keys cannot fill
 * it either (each one costs its sender a full check and the cache nothing).
 */
export class PublicKeyCache<T> {
  private readonly entries = new Map<string, T>();
  private hitCount = 0;
  private missCount = 0;

  /**
   * @param capacity most keys kept; 0 turns the cache off (every lookup decodes).
   * @param decode decodes and fully validates a key; `undefined` means rejected (and is not remembered).
   */
  constructor(
    readonly capacity: number,
    private readonly decode: (bytes: Uint8Array) => T | undefined,
  ) {
    if (!Number.isInteger(capacity) || capacity < 0) throw new Error(`public key cache capacity must be a whole number >= 0, got ${capacity}`);
  }

  /** The validated key for these bytes, or undefined when they are not a valid key. */
  get(bytes: Uint8Array): T | undefined {
    if (this.capacity === 0) return this.decode(bytes);
    // The key is the full content, not the array's identity: a caller may reuse or mutate its buffers.
    const id = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
    const cached = this.entries.get(id);
    if (cached !== undefined) {
      this.hitCount++;
      // Re-inserting moves the key to the young end of the Map's insertion order, which is the LRU order.
      this.entries.delete(id);
      this.entries.set(id, cached);
      return cached;
    }
    this.missCount++;
    const decoded = this.decode(bytes);
    if (decoded === undefined) return undefined;
    this.entries.set(id, decoded);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    return decoded;
  }

  get size(): number {
    return this.entries.size;
  }

  stats(): { hits: number; misses: number; size: number; capacity: number } {
    return { hits: this.hitCount, misses: this.missCount, size: this.entries.size, capacity: this.capacity };
  }
}
