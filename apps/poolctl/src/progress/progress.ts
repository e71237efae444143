/**
 * Progress of a long pass over the ledger (`poolctl audit`, `poolctl projections rebuild`) on standard error, so that
 * standard output stays the command's own: redrawn in place on a terminal, an occasional plain line otherwise (logs
 * and CI stay readable, and a pass shorter than one interval prints nothing). How far along is measured in store
 * positions (the last position read against the head's), so a pass that reads only some types still moves evenly;
 * the rate shown is of events read.
 */
export interface ProgressSink {
  isTTY?: boolean;
  write(text: string): unknown;
}

export interface ProgressOptions {
  /** What the pass is, first on the line ("audit", "rebuild"). */
  label: string;
  /** The store's head when the pass starts (undefined: an empty store, or positions this cannot count). */
  head: string | undefined;
  /** The position the pass starts after (a rebuild from a closing image); undefined: the ledger's start. */
  after?: string;
  sink?: ProgressSink;
  /** Milliseconds, monotonic (tests inject their own). */
  now?: () => number;
  /** Between two redraws on a terminal, and between two plain lines elsewhere. */
  redrawMs?: number;
  lineMs?: number;
}

/** Events per second over about this much of the recent past, so that time left follows the current pace. */
const RATE_WINDOW_MS = 10_000;

/**
 * A store position as a count from the ledger's start: SQLite's is the row's sequence, PostgreSQL's ends in its
 * identity sequence after the transaction id. Gaps (rolled back appends) make it an estimate; undefined for a position
 * of another shape (EventStoreDB's), which then shows no total and no time left.
 */
export function positionOrdinal(position: string | undefined): number | undefined {
  if (position === undefined) return undefined;
  const digits = /(\d+)$/.exec(position)?.[1];
  return digits === undefined ? undefined : Number(digits);
}

const count = (n: number): string => Math.round(n).toLocaleString('en-US');

/** 75 s as 1:15, an hour and more as 1:02:03. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const two = (n: number): string => String(n).padStart(2, '0');
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  return hours > 0 ? `${hours}:${two(minutes)}:${two(s % 60)}` : `${minutes}:${two(s % 60)}`;
}

export interface ProgressFigures {
  label: string;
  /** Events read so far, and how far along in positions (0..1, undefined when unknown). */
  read: number;
  fraction: number | undefined;
  /** Events read per second, and seconds left (undefined until there is a pace to go by). */
  rate: number | undefined;
  secondsLeft: number | undefined;
  /** The total to show, in positions (undefined when unknown). */
  total: number | undefined;
}

/** "audit: 1,234,567 events of ~5,000,000 (24.7%), 212,345 events/s, 0:18 left" */
export function formatProgress(f: ProgressFigures): string {
  const of = f.total === undefined ? '' : ` of ~${count(f.total)}`;
  const percent = f.fraction === undefined ? '' : ` (${(Math.min(1, f.fraction) * 100).toFixed(1)}%)`;
  const rate = f.rate === undefined ? '' : `, ${count(f.rate)} events/s`;
  const left = f.secondsLeft === undefined ? '' : `, ${formatDuration(f.secondsLeft)} left`;
  return `${f.label}: ${count(f.read)} events${of}${percent}${rate}${left}`;
}

export class Progress {
  private readonly sink: ProgressSink;
  private readonly now: () => number;
  private readonly redrawMs: number;
  private readonly lineMs: number;
  private readonly from: number;
  private readonly total: number | undefined;
  private readonly started: number;
  /** Recent (time, events read, position ordinal) samples for the pace. */
  private samples: { at: number; read: number; ordinal: number }[] = [];
  private read = 0;
  private ordinal: number;
  private lastDraw: number;
  /** Something is drawn on the terminal's current line (cleared before other output and at the end). */
  private drawn = false;
  private linesPrinted = 0;

  constructor(private readonly options: ProgressOptions) {
    this.sink = options.sink ?? process.stderr;
    this.now = options.now ?? (() => performance.now());
    this.redrawMs = options.redrawMs ?? 250;
    this.lineMs = options.lineMs ?? 10_000;
    this.from = positionOrdinal(options.after) ?? 0;
    const head = positionOrdinal(options.head);
    this.total = head === undefined || head <= this.from ? undefined : head - this.from;
    this.started = this.now();
    this.lastDraw = this.started;
    this.ordinal = this.from;
    this.samples.push({ at: this.started, read: 0, ordinal: this.from });
  }

  /** `read` more events, the last at `position`. Draws when it is time to. */
  advance(read: number, position: string | undefined): void {
    this.read += read;
    this.ordinal = positionOrdinal(position) ?? this.ordinal;
    const at = this.now();
    const tty = this.sink.isTTY === true;
    if (at - this.lastDraw < (tty ? this.redrawMs : this.lineMs)) return;
    this.lastDraw = at;
    this.samples.push({ at, read: this.read, ordinal: this.ordinal });
    while (this.samples.length > 2 && at - this.samples[1]!.at >= RATE_WINDOW_MS) this.samples.shift();
    const text = formatProgress(this.figures(at));
    if (tty) {
      this.sink.write(`\r${text}\x1b[K`);
      this.drawn = true;
    } else {
      this.sink.write(`${text}\n`);
      this.linesPrinted++;
    }
  }

  /** What the line says now. */
  figures(at: number = this.now()): ProgressFigures {
    const first = this.samples[0]!;
    const seconds = (at - first.at) / 1000;
    const done = this.ordinal - this.from;
    const fraction = this.total === undefined ? undefined : done / this.total;
    const rate = seconds > 0 && this.read > first.read ? (this.read - first.read) / seconds : undefined;
    const pace = seconds > 0 ? (this.ordinal - first.ordinal) / seconds : 0;
    const secondsLeft = this.total === undefined || pace <= 0 ? undefined : Math.max(0, this.total - done) / pace;
    return { label: this.options.label, read: this.read, fraction, rate, secondsLeft, total: this.total };
  }

  /** Clears a line drawn on the terminal, before the command prints something of its own. */
  clear(): void {
    if (!this.drawn) return;
    this.sink.write('\r\x1b[K');
    this.drawn = false;
  }

  /**
   * The end of the pass: the terminal's line is cleared (the command prints its own summary); elsewhere, a last line
   * with the average rate, only after earlier lines (a short pass stays silent).
   */
  finish(): void {
    this.clear();
    if (this.linesPrinted === 0) return;
    const seconds = (this.now() - this.started) / 1000;
    this.sink.write(`${this.options.label}: ${count(this.read)} events read in ${formatDuration(seconds)} (${count(this.read / Math.max(seconds, 1e-9))} events/s)\n`);
  }
}

/** The pages of `pages` as they are, each counted on `progress` once the reader is done with it. */
export async function* tracked<T extends { position: string }>(pages: AsyncIterable<readonly T[]>, progress: Progress | undefined): AsyncGenerator<readonly T[]> {
  for await (const page of pages) {
    yield page;
    if (page.length > 0) progress?.advance(page.length, page[page.length - 1]!.position);
  }
}
