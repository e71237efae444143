import { DevnetChainError, type SimulatedFarmer, type TimelineEntry } from '@pool/devnet';

/** What the devnet run asks of a farmer (SimulatedFarmer; tests pass stand-ins). */
export type DevnetFarmer = Pick<SimulatedFarmer, 'launcherId' | 'connect' | 'tryToWinBlock' | 'partialsFor' | 'submit'>;

export interface FarmingTally {
  partialsAccepted: number;
  /** Refusals by the pool's error code. */
  partialsRejected: Record<string, number>;
  blocksWon: number;
  /** Failures of a farmer's step (no answer from the pool, a block the node refused, ...): logged, counted, survived. */
  farmerErrors: number;
  /** Signage points skipped because the farmers fell behind the accelerated clock. */
  signagePointsMissed: number;
}

export interface DevnetFarmingOptions {
  farmers: DevnetFarmer[];
  /** Unix seconds on the devnet's clock. */
  now(): number;
  /** Devnet seconds after which a signage point is skipped rather than farmed. */
  maxSignagePointAge: number;
  /** Only for the message when the farmers fall behind. */
  speed: number;
  log(line: string): void;
  onBlockWon(height: number, launcherId: string): void;
  /** True once the run is stopping: no new partial is sent. */
  stopped(): boolean;
  /** Real milliseconds between two registration attempts of a farmer the pool has not registered. */
  registerRetryMs?: number;
  /** Real clock (ms), for the registration retries. */
  realNow?(): number;
}

/** How many distinct failures are printed; past that they are only counted. */
const MAX_DISTINCT_ERRORS = 100;

/**
 * The farmers' side of a devnet run: registration (retried until the pool accepts it), then for every signage point
 * a block when a farmer's proof wins one, and the partials that meet its difficulty, all farmers at once as real ones
 * would. Nothing a farmer does can end the run: each kind of failure is printed once and every one is counted.
 */
export class DevnetFarming {
  readonly tally: FarmingTally = { partialsAccepted: 0, partialsRejected: {}, blocksWon: 0, farmerErrors: 0, signagePointsMissed: 0 };
  private readonly registered = new Set<number>();
  private readonly lastAttempt = new Map<number, number>();
  private readonly errorsSeen = new Set<string>();
  private behindReported = false;

  constructor(private readonly options: DevnetFarmingOptions) {}

  get registeredFarmers(): number {
    return this.registered.size;
  }

  /** GET /farmer, and POST /farmer when the pool does not know the farmer yet, for every farmer not registered. */
  async register(): Promise<void> {
    for (let i = 0; i < this.options.farmers.length && !this.options.stopped(); i++) {
      if (!this.registered.has(i)) await this.registerOne(i);
    }
  }

  /** Tries again for the farmers the pool refused (or did not answer), at most every `registerRetryMs`. */
  async retryRegistrations(): Promise<void> {
    const now = this.realNow();
    for (let i = 0; i < this.options.farmers.length && !this.options.stopped(); i++) {
      if (!this.registered.has(i) && now - (this.lastAttempt.get(i) ?? 0) >= (this.options.registerRetryMs ?? 5000)) await this.registerOne(i);
    }
  }

  /** Farms one signage point with every registered farmer, or skips it when it is too old to be worth a partial. */
  async signagePoint(entry: TimelineEntry, height: number): Promise<void> {
    if (this.options.now() - entry.timeReceived > this.options.maxSignagePointAge) {
      this.tally.signagePointsMissed++;
      if (!this.behindReported) {
        this.behindReported = true;
        this.options.log(
          `devnet: the farmers fell behind the x${this.options.speed} clock; signage points older than ${this.options.maxSignagePointAge} devnet s are skipped (counted as missed)`,
        );
      }
      return;
    }
    await Promise.all(this.options.farmers.map((farmer, i) => (this.registered.has(i) ? this.farm(farmer, i, entry, height) : undefined)));
  }

  private async farm(farmer: DevnetFarmer, i: number, entry: TimelineEntry, height: number): Promise<void> {
    try {
      if (winsBlock(farmer, entry, height)) {
        this.tally.blocksWon++;
        this.options.onBlockWon(height, farmer.launcherId);
      }
    } catch (error) {
      this.error(i, 'block', error);
    }
    let partials: ReturnType<DevnetFarmer['partialsFor']> = [];
    try {
      partials = farmer.partialsFor(entry, height);
    } catch (error) {
      this.error(i, 'proofs', error);
    }
    for (const partial of partials) {
      if (this.options.stopped()) return;
      try {
        const answer = await farmer.submit(partial);
        if (answer.error_code === undefined) this.tally.partialsAccepted++;
        else this.tally.partialsRejected[String(answer.error_code)] = (this.tally.partialsRejected[String(answer.error_code)] ?? 0) + 1;
      } catch (error) {
        this.error(i, 'partial', error);
      }
    }
  }

  private async registerOne(i: number): Promise<void> {
    this.lastAttempt.set(i, this.realNow());
    try {
      const answer = await this.options.farmers[i]!.connect();
      if (answer.error_code === undefined) this.registered.add(i);
      else this.error(i, 'registration', new Error(`error ${String(answer.error_code)}: ${String(answer.error_message)}`));
    } catch (error) {
      this.error(i, 'registration', error);
    }
  }

  private error(farmer: number, step: string, error: unknown): void {
    this.tally.farmerErrors++;
    const kind = `${step}: ${error instanceof Error ? error.message : String(error)}`;
    if (this.errorsSeen.has(kind) || this.errorsSeen.size >= MAX_DISTINCT_ERRORS) return;
    this.errorsSeen.add(kind);
    this.options.log(`devnet: farmer ${farmer} ${kind} (counted in the summary; the run goes on, repeats are not printed)`);
  }

  private realNow(): number {
    return this.options.realNow?.() ?? Date.now();
  }
}

/**
 * A block from a signage point the chain has moved past (the run fell behind at a high speed) or reverted is
 * refused, as a real node refuses a late block; the farmer just misses it.
 */
function winsBlock(farmer: DevnetFarmer, entry: TimelineEntry, height: number): boolean {
  try {
    return farmer.tryToWinBlock(entry, height);
  } catch (error) {
    if (error instanceof DevnetChainError && (error.code === 'SP_TOO_OLD' || error.code === 'SP_REVERTED')) return false;
    throw error;
  }
}
