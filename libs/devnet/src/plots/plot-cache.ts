import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { PLOT_FORMAT_VERSION, PlotFormatError, deserializePlot, serializePlot } from './plot-serialization';
import { PlottedPlot, createPlot } from './plotted-plot';

/**
 * Plots cost seconds to minutes of CPU, so the devnet keeps them in a directory outside the project clone, keyed by
 * everything the plot depends on (format version, k, plot id). A missing, truncated or corrupt file (checked by
 * its sha256 trailer) is re-plotted and replaced; writes go to a temporary file renamed into place, so a reader
 * never sees half a file and concurrent writers (e.g. parallel test workers) simply race to the same content.
 */

export interface PlotCacheOptions {
  /** Defaults to `defaultPlotCacheDirectory()`. */
  readonly directory?: string;
  /** The plotter (tests may count calls). */
  readonly plot?: (k: number, plotId: Uint8Array) => PlottedPlot;
}

export interface PlotCacheStats {
  /** Plots read from a valid file. */
  hits: number;
  /** Plots plotted because no file existed. */
  misses: number;
  /** Plots re-plotted because the file was unreadable, truncated, corrupt or for another plot. */
  corrupt: number;
}

/** `$POOL_DEVNET_CACHE` if set, else `~/.cache/chia-pool-ledger/plots`. */
export function defaultPlotCacheDirectory(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.POOL_DEVNET_CACHE;
  if (configured !== undefined && configured.trim() !== '') return configured;
  return join(homedir(), '.cache', 'chia-pool-ledger', 'plots');
}

export function plotFileName(k: number, plotId: Uint8Array): string {
  return `v${PLOT_FORMAT_VERSION}-k${k}-${Buffer.from(plotId).toString('hex')}.plot`;
}

export class PlotCache {
  readonly directory: string;
  readonly stats: PlotCacheStats = { hits: 0, misses: 0, corrupt: 0 };
  private readonly plot: (k: number, plotId: Uint8Array) => PlottedPlot;
  /** Plots already loaded by this instance (and loads in flight), by file name. */
  private readonly loaded = new Map<string, Promise<PlottedPlot>>();

  constructor(options: PlotCacheOptions = {}) {
    this.directory = options.directory ?? defaultPlotCacheDirectory();
    this.plot = options.plot ?? createPlot;
  }

  pathFor(k: number, plotId: Uint8Array): string {
    return join(this.directory, plotFileName(k, plotId));
  }

  /** The plot for (k, plotId): from this instance's memory, else from its file, else freshly plotted and stored. */
  getOrCreate(k: number, plotId: Uint8Array): Promise<PlottedPlot> {
    const name = plotFileName(k, plotId);
    let pending = this.loaded.get(name);
    if (!pending) {
      pending = this.readOrPlot(k, Uint8Array.from(plotId));
      this.loaded.set(name, pending);
      // A failure (e.g. an unwritable directory) should not stick: the next call tries again.
      pending.catch(() => this.loaded.delete(name));
    }
    return pending;
  }

  private async readOrPlot(k: number, plotId: Uint8Array): Promise<PlottedPlot> {
    const path = this.pathFor(k, plotId);
    const cached = await this.tryRead(path, k, plotId);
    if (cached) {
      this.stats.hits++;
      return cached;
    }
    const plot = this.plot(k, plotId);
    await this.writeAtomically(path, serializePlot(plot.tables));
    return plot;
  }

  private async tryRead(path: string, k: number, plotId: Uint8Array): Promise<PlottedPlot | undefined> {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(path);
    } catch (error) {
      // Absent is the normal first run; any other read failure is treated like a corrupt file and re-plotted
      // (the rewrite then reports the real problem if the directory is unusable).
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') this.stats.misses++;
      else this.stats.corrupt++;
      return undefined;
    }
    try {
      return new PlottedPlot(deserializePlot(bytes, { k, plotId }));
    } catch (error) {
      if (!(error instanceof PlotFormatError)) throw error;
      this.stats.corrupt++;
      return undefined;
    }
  }

  private async writeAtomically(path: string, bytes: Uint8Array): Promise<void> {
    await mkdir(this.directory, { recursive: true });
    const temporary = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await writeFile(temporary, bytes);
      await rename(temporary, path);
    } catch (error) {
      await unlink(temporary).catch(() => undefined);
      throw error;
    }
  }
}
