/** Milliseconds since the unix epoch, as the simulated network sees them. */
export interface ChainClock {
  now(): number;
}

/** A clock that moves only when told to: tests and step-by-step simulations. */
export class ManualClock implements ChainClock {
  private current: number;

  constructor(startMs = DEFAULT_START_MS) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('a clock only moves forward');
    this.current += ms;
  }
}

/** 2026-01-01T00:00:00Z: a fixed start so simulated timestamps are reproducible. */
export const DEFAULT_START_MS = Date.UTC(2026, 0, 1);

/**
 * Wall time sped up `speed` times from the moment it is created (speed 1 = real time). Starts at the wall clock
 * unless `startMs` is given.
 */
export class AcceleratedClock implements ChainClock {
  private readonly realStart = Date.now();
  private readonly simulatedStart: number;

  constructor(
    private readonly speed = 1,
    startMs?: number,
  ) {
    if (!(speed > 0)) throw new RangeError('speed must be positive');
    this.simulatedStart = startMs ?? this.realStart;
  }

  now(): number {
    return this.simulatedStart + Math.floor((Date.now() - this.realStart) * this.speed);
  }
}

/** Something that catches up with its clock when ticked (the chain simulator). */
export interface Tickable {
  tick(): void;
}

export interface ChainDriver {
  stop(): void;
}

/**
 * Ticks `target` every `intervalMs` of real time so it produces signage points and blocks as its clock moves.
 * Kept apart from the simulator so tests never depend on timers.
 */
export function startChainDriver(target: Tickable, intervalMs = 250): ChainDriver {
  const timer = setInterval(() => target.tick(), intervalMs);
  timer.unref?.();
  return { stop: () => clearInterval(timer) };
}
