import { PoolErrorCode } from '@pool/chia';
import { PoolProtocolError } from '../pool-protocol.error';

export interface CryptoFailureBudgetOptions {
  /** Partials of one sender for one launcher that may fail their signature or proof within `windowMs`. */
  maxFailures: number;
  windowMs: number;
  /** How long the sender's partials for that launcher are then refused without being checked. */
  refuseForMs: number;
  /** The most senders remembered; past it the one that failed longest ago is forgotten. */
  maxKeys: number;
  /** Milliseconds. */
  now(): number;
}

/**
 * Defaults: an honest farmer's partials never fail their signature, and a bad proof means a broken harvester, so 20
 * failures in 10 minutes is garbage; refused for the next 10 minutes, a sender makes the workers check at most 20
 * of its partials per launcher every 10 minutes (about 70 ms of thread time) instead of a few hundred a second.
 */
export const DEFAULT_CRYPTO_FAILURE_BUDGET: Omit<CryptoFailureBudgetOptions, 'now'> = {
  maxFailures: 20,
  windowMs: 10 * 60_000,
  refuseForMs: 10 * 60_000,
  maxKeys: 100_000,
};

interface Tally {
  failures: number;
  windowStart: number;
  refusedUntil: number;
  lastFailure: number;
}

/** The checks of one partial against its sender's budget (see CryptoFailureBudget.gate). */
export interface CryptoFailureGate {
  /** Refuses (16) a partial whose sender spent its budget for this launcher, before anything else is checked. */
  admit(): void;
  /** The partial failed its signature or proof: counts against its sender. */
  failed(): void;
}

/**
 * A budget of crypto failures per launcher and sender address. Signature and proof verification is the one
 * expensive check of a partial, and a forger can make every partial of its flood reach it (a known launcher id, its
 * pool contract and a live signage point are all public); once a sender's partials for a launcher keep failing, its
 * further partials for that launcher are refused at the door for a while, so one sender's garbage cannot fill the
 * workers every honest farmer shares.
 *
 * Keyed by launcher AND address, not by launcher alone: a launcher id is public, and a budget that anyone could spend
 * in a farmer's name would let them lock that farmer out by sending garbage for it. Keyed so, the garbage spends its
 * sender's budget only; many addresses buy a flood no more than many budgets, and the verifier's bound
 * (BoundedPartialCrypto) caps what even they can queue.
 */
export class CryptoFailureBudget {
  /** In order of last failure (a key moves to the end when it fails), so the stale ones are at the front. */
  private readonly tallies = new Map<string, Tally>();

  constructor(private readonly options: CryptoFailureBudgetOptions) {
    if (!(options.maxFailures >= 1) || !(options.maxKeys >= 1)) throw new RangeError('a failure budget needs room for a failure and a key');
  }

  /** Milliseconds `key` is still refused for; 0 when its partials are checked. */
  refusedFor(key: string): number {
    const tally = this.tallies.get(key);
    return tally === undefined ? 0 : Math.max(0, tally.refusedUntil - this.options.now());
  }

  failed(key: string): void {
    const now = this.options.now();
    this.forgetStale(now);
    const known = this.tallies.get(key);
    const tally = known === undefined || now - known.windowStart >= this.options.windowMs ? { failures: 0, windowStart: now, refusedUntil: 0, lastFailure: now } : known;
    this.tallies.delete(key);
    tally.failures += 1;
    tally.lastFailure = now;
    if (tally.failures >= this.options.maxFailures) {
      // A fresh window after the refusal: the sender comes back with a full budget, no more.
      tally.refusedUntil = now + this.options.refuseForMs;
      tally.failures = 0;
      tally.windowStart = tally.refusedUntil;
    }
    this.tallies.set(key, tally);
    if (this.tallies.size > this.options.maxKeys) this.tallies.delete(this.tallies.keys().next().value!);
  }

  /** The gate of one partial: `launcherId` as hex, `address` as the rate limits key it (addressKey). */
  gate(launcherId: string, address: string): CryptoFailureGate {
    const key = `${launcherId} ${address}`;
    return {
      admit: () => {
        const waitMs = this.refusedFor(key);
        if (waitMs === 0) return;
        const { maxFailures, windowMs } = this.options;
        throw new PoolProtocolError(
          PoolErrorCode.REQUEST_FAILED,
          `${maxFailures} partials for launcher ${launcherId} from your address ${address} failed their signature or proof check within ${Math.round(windowMs / 60_000)} minutes; ` +
            `its partials from that address are refused unchecked for ${Math.ceil(waitMs / 1000)} s more`,
        );
      },
      failed: () => this.failed(key),
    };
  }

  /** Keys held now (for tests). */
  get size(): number {
    return this.tallies.size;
  }

  /**
   * A key whose last failure is older than both the window and the refusal is no longer refused and its window has
   * run out (or was emptied by the refusal): it counts like one never seen, so it is dropped.
   */
  private forgetStale(now: number): void {
    const horizon = Math.max(this.options.windowMs, this.options.refuseForMs);
    for (const [key, tally] of this.tallies) {
      if (now - tally.lastFailure < horizon) return;
      this.tallies.delete(key);
    }
  }
}
