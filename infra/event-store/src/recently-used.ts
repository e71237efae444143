/**
 * A bounded map that forgets what has gone unused longest, in two halves: entries go into the recent half, and when
 * it is full it becomes the older half and the half it replaces is forgotten. An entry found in the older half moves
 * back into the recent one while that has room. So what keeps being used (a farmer's launcher id, read with each of
 * its partials) stays, while values met once (a signage point's hash; a plot's key on a pool of many plots) pass
 * through. It never holds more than `capacity` entries.
 *
 * The ledgers' dictionaries used to empty their maps whenever they filled: that forgot the values in use with the
 * rest, and a reader whose ledger names more values than it holds looked all of them up again.
 */
export class RecentlyUsed<K, V> {
  private recent = new Map<K, V>();
  private older = new Map<K, V>();
  private readonly half: number;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 2) throw new Error(`a RecentlyUsed needs a capacity of 2 or more, not ${capacity}`);
    this.half = Math.floor(capacity / 2);
  }

  get(key: K): V | undefined {
    const value = this.recent.get(key);
    if (value !== undefined || this.older.size === 0) return value;
    const old = this.older.get(key);
    if (old !== undefined && this.recent.size < this.half) this.recent.set(key, old);
    return old;
  }

  set(key: K, value: V): void {
    if (this.recent.size >= this.half && !this.recent.has(key)) {
      this.older = this.recent;
      this.recent = new Map();
    }
    this.recent.set(key, value);
  }

  /** Entries held, counting once those in both halves. */
  get size(): number {
    let both = 0;
    for (const key of this.recent.keys()) if (this.older.has(key)) both++;
    return this.recent.size + this.older.size - both;
  }
}
