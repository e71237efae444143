import { formatDuration, formatProgress, positionOrdinal, Progress } from './progress';

/** A sink that keeps what is written, as a terminal or as a log file. */
const sink = (isTTY: boolean): { isTTY: boolean; text: string; write(t: string): void } => ({
  isTTY,
  text: '',
  write(t: string) {
    this.text += t;
  },
});

const sqlite = (n: number): string => String(n).padStart(20, '0');

describe('progress of a pass over the ledger', () => {
  it('counts positions of SQLite and PostgreSQL, and none of another shape', () => {
    expect(positionOrdinal(sqlite(1234))).toBe(1234);
    expect(positionOrdinal(`${sqlite(777)}:${sqlite(5000)}`)).toBe(5000);
    expect(positionOrdinal('C:12/P:x')).toBeUndefined();
    expect(positionOrdinal(undefined)).toBeUndefined();
  });

  it('formats durations as minutes and seconds, hours past an hour', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(75.4)).toBe('1:15');
    expect(formatDuration(3723)).toBe('1:02:03');
  });

  it('says events read, the share of the ledger, the rate and the time left', () => {
    expect(formatProgress({ label: 'audit', read: 1_234_567, total: 5_000_000, fraction: 0.2469, rate: 212_345.4, secondsLeft: 18 })).toBe(
      'audit: 1,234,567 events of ~5,000,000 (24.7%), 212,345 events/s, 0:18 left',
    );
    expect(formatProgress({ label: 'rebuild', read: 10, total: undefined, fraction: undefined, rate: undefined, secondsLeft: undefined })).toBe('rebuild: 10 events');
  });

  it('estimates from the pace: a quarter done in 10 s leaves 30 s', () => {
    let now = 0;
    const out = sink(false);
    const progress = new Progress({ label: 'audit', head: sqlite(1_000_000), sink: out, now: () => now, lineMs: 10_000 });
    now = 10_000;
    progress.advance(250_000, sqlite(250_000));
    expect(out.text).toBe('audit: 250,000 events of ~1,000,000 (25.0%), 25,000 events/s, 0:30 left\n');
  });

  it('measures a rebuild from a closing from where it starts, and the rate of the events it reads', () => {
    let now = 0;
    const out = sink(false);
    const progress = new Progress({ label: 'rebuild', head: sqlite(300_000), after: sqlite(100_000), sink: out, now: () => now, lineMs: 1000 });
    now = 2000;
    // Half the positions after the closing, of which only some are of the types read.
    progress.advance(40_000, sqlite(200_000));
    expect(progress.figures()).toEqual({ label: 'rebuild', read: 40_000, total: 200_000, fraction: 0.5, rate: 20_000, secondsLeft: 2 });
  });

  it('follows the recent pace, not the average since the start', () => {
    let now = 0;
    const progress = new Progress({ label: 'audit', head: sqlite(1_000_000), sink: sink(true), now: () => now, redrawMs: 1000 });
    // Slow for the first 20 s, then ten times faster.
    for (let t = 1; t <= 20; t++) {
      now = t * 1000;
      progress.advance(1000, sqlite(t * 1000));
    }
    for (let t = 21; t <= 40; t++) {
      now = t * 1000;
      progress.advance(10_000, sqlite(20_000 + (t - 20) * 10_000));
    }
    const f = progress.figures();
    expect(f.rate).toBeCloseTo(10_000, -2);
    expect(f.secondsLeft).toBeCloseTo((1_000_000 - 220_000) / 10_000, 0);
  });

  it('redraws one line in place on a terminal and clears it at the end', () => {
    let now = 0;
    const out = sink(true);
    const progress = new Progress({ label: 'audit', head: sqlite(100), sink: out, now: () => now, redrawMs: 250 });
    now = 100;
    progress.advance(10, sqlite(10)); // too soon: nothing drawn
    expect(out.text).toBe('');
    now = 300;
    progress.advance(10, sqlite(20));
    now = 600;
    progress.advance(10, sqlite(30));
    progress.finish();
    const draws = out.text.split('\r').filter((part) => part !== '');
    const clearToEnd = '\x1b[K';
    expect(draws).toEqual([`audit: 20 events of ~100 (20.0%), 67 events/s, 0:01 left${clearToEnd}`, expect.stringMatching(/^audit: 30 events/), clearToEnd]);
    expect(out.text).not.toContain('\n');
  });

  it('prints nothing for a pass shorter than one interval when not on a terminal', () => {
    let now = 0;
    const out = sink(false);
    const progress = new Progress({ label: 'audit', head: sqlite(100), sink: out, now: () => now });
    now = 5000;
    progress.advance(100, sqlite(100));
    progress.finish();
    expect(out.text).toBe('');
  });

  it('ends a logged pass with its average rate', () => {
    let now = 0;
    const out = sink(false);
    const progress = new Progress({ label: 'rebuild', head: sqlite(40_000), sink: out, now: () => now, lineMs: 10_000 });
    now = 10_000;
    progress.advance(20_000, sqlite(20_000));
    now = 20_000;
    progress.advance(20_000, sqlite(40_000));
    progress.finish();
    expect(out.text.split('\n').filter(Boolean)).toEqual([
      'rebuild: 20,000 events of ~40,000 (50.0%), 2,000 events/s, 0:10 left',
      'rebuild: 40,000 events of ~40,000 (100.0%), 2,000 events/s, 0:00 left',
      'rebuild: 40,000 events read in 0:20 (2,000 events/s)',
    ]);
  });
});
