import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyProof } from '@pool/chia';
import {
  PLOT_FORMAT_VERSION,
  PlotCache,
  type PlotTables,
  PlotFormatError,
  type PlottedPlot,
  createPlot,
  defaultPlotCacheDirectory,
  deserializePlot,
  plotFileName,
  serializePlot,
} from '.';

const K = 18;
const plotId = Uint8Array.from(createHash('sha256').update('devnet plot cache spec').digest());
const challenges = Array.from({ length: 80 }, (_, i) => Uint8Array.from(createHash('sha256').update(`cache challenge ${i}`).digest()));

/** Typed-array equality without jest's element-by-element deep equality (slow for 10^5+ elements). */
function sameWords(a: Uint32Array, b: Uint32Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

function sameTables(a: PlotTables, b: PlotTables): boolean {
  return (
    a.k === b.k &&
    Buffer.from(a.plotId).equals(Buffer.from(b.plotId)) &&
    sameWords(a.f7, b.f7) &&
    sameWords(a.xs, b.xs) &&
    a.pointers.length === b.pointers.length &&
    a.pointers.every((pointers, i) => sameWords(pointers, b.pointers[i]))
  );
}

function answers(plot: PlottedPlot): string[] {
  return challenges.flatMap((challenge) =>
    plot.proofsForChallenge(challenge).map((p) => `${Buffer.from(p.proof).toString('hex')}:${Buffer.from(p.quality).toString('hex')}`),
  );
}

// Plotted once for the whole file; the caches below get a counting plotter that hands out this plot.
let original: PlottedPlot;
beforeAll(() => {
  original = createPlot(K, plotId);
});

describe('PlotCache', () => {
  let directory: string;
  let plotCalls = 0;
  const countingPlotter = (k: number, id: Uint8Array): PlottedPlot => {
    expect([k, Buffer.from(id).toString('hex')]).toEqual([K, Buffer.from(plotId).toString('hex')]);
    plotCalls++;
    return original;
  };

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'devnet-plot-cache-'));
    const cache = new PlotCache({ directory, plot: countingPlotter });
    original = await cache.getOrCreate(K, plotId);
    expect(cache.stats).toEqual({ hits: 0, misses: 1, corrupt: 0 });
  });

  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('stores exactly one file named by format version, k and plot id, with no temporary file left', () => {
    expect(readdirSync(directory)).toEqual([plotFileName(K, plotId)]);
    expect(plotFileName(K, plotId)).toBe(`v${PLOT_FORMAT_VERSION}-k18-${Buffer.from(plotId).toString('hex')}.plot`);
  });

  it('a second cache reads the file instead of plotting, and answers challenges identically', async () => {
    const callsBefore = plotCalls;
    const cache = new PlotCache({ directory, plot: countingPlotter });
    const loaded = await cache.getOrCreate(K, plotId);
    expect(plotCalls).toBe(callsBefore);
    expect(cache.stats).toEqual({ hits: 1, misses: 0, corrupt: 0 });
    expect(loaded).not.toBe(original);
    expect(sameTables(loaded.tables, original.tables)).toBe(true);
    const loadedAnswers = answers(loaded);
    expect(loadedAnswers.length).toBeGreaterThan(40);
    expect(loadedAnswers).toEqual(answers(original));
    for (const challenge of challenges.slice(0, 20)) {
      for (const found of loaded.proofsForChallenge(challenge)) {
        expect(verifyProof(K, plotId, challenge, found.proof)).toEqual({ valid: true, quality: found.quality });
      }
    }
  });

  it('one instance loads a plot once, even for concurrent requests', async () => {
    const cache = new PlotCache({ directory, plot: countingPlotter });
    const [a, b] = await Promise.all([cache.getOrCreate(K, plotId), cache.getOrCreate(K, plotId)]);
    expect(a).toBe(b);
    expect(await cache.getOrCreate(K, plotId)).toBe(a);
    expect(cache.stats.hits).toBe(1);
  });

  it('re-plots and replaces a corrupt file, then reads the repaired file', async () => {
    const path = join(directory, plotFileName(K, plotId));
    const bytes = readFileSync(path);
    bytes[Math.floor(bytes.length / 2)] ^= 0x10;
    writeFileSync(path, bytes);

    const callsBefore = plotCalls;
    const repairing = new PlotCache({ directory, plot: countingPlotter });
    const repaired = await repairing.getOrCreate(K, plotId);
    expect(plotCalls).toBe(callsBefore + 1);
    expect(repairing.stats).toEqual({ hits: 0, misses: 0, corrupt: 1 });
    expect(repaired).toBe(original);

    const reading = new PlotCache({ directory, plot: countingPlotter });
    const reread = await reading.getOrCreate(K, plotId);
    expect(reading.stats).toEqual({ hits: 1, misses: 0, corrupt: 0 });
    expect(answers(reread)).toEqual(answers(original));
    expect(plotCalls).toBe(callsBefore + 1);
    expect(readdirSync(directory)).toEqual([plotFileName(K, plotId)]);
  });

  it('treats a truncated file, or another plot’s file under this name, as corrupt', async () => {
    const path = join(directory, plotFileName(K, plotId));
    const good = readFileSync(path);
    const otherId = Uint8Array.from(plotId);
    otherId[5] ^= 1;
    const otherPlotBytes = serializePlot({ ...original.tables, plotId: otherId });
    for (const bad of [good.subarray(0, good.length - 100), good.subarray(0, 10), otherPlotBytes]) {
      writeFileSync(path, bad);
      const stub = new PlotCache({ directory, plot: () => original });
      await stub.getOrCreate(K, plotId);
      expect(stub.stats.corrupt).toBe(1);
    }
    expect(readFileSync(path).equals(good)).toBe(true);
  });
});

describe('PlotCache with an unusable directory', () => {
  it('rejects when the plot cannot be stored, and tries again on the next call', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'devnet-plot-cache-file-'));
    const notADirectory = join(parent, 'plain-file');
    writeFileSync(notADirectory, 'not a directory');
    let calls = 0;
    const cache = new PlotCache({ directory: notADirectory, plot: () => (calls++, original) });
    try {
      await expect(cache.getOrCreate(K, plotId)).rejects.toThrow();
      await expect(cache.getOrCreate(K, plotId)).rejects.toThrow();
      expect(calls).toBe(2);
      expect(readdirSync(parent)).toEqual(['plain-file']);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });
});

describe('plot serialization', () => {
  let plot: PlottedPlot;
  let bytes: Uint8Array;

  beforeAll(() => {
    plot = original;
    bytes = serializePlot(plot.tables);
  });

  it('round-trips the tables exactly', () => {
    const parsed = deserializePlot(bytes, { k: K, plotId });
    expect(parsed.k).toBe(K);
    expect(parsed.plotId).toEqual(plotId);
    expect(parsed.pointers).toHaveLength(6);
    expect(sameTables(parsed, plot.tables)).toBe(true);
    // The check itself must be able to fail.
    const altered = { ...parsed, xs: Uint32Array.from(parsed.xs) };
    altered.xs[altered.xs.length - 1] ^= 1;
    expect(sameTables(altered, plot.tables)).toBe(false);
  });

  it('is compact: well under 8 bytes per table-7 entry per table', () => {
    expect(bytes.length).toBeLessThan(plot.proofCount * 7 * 8);
  });

  it('rejects any changed byte (header, body or checksum), a wrong expectation, and another format version', () => {
    for (const position of [0, 9, 12, 60, 100, Math.floor(bytes.length / 3), bytes.length - 40, bytes.length - 1]) {
      const mutated = Uint8Array.from(bytes);
      mutated[position] ^= 0x01;
      expect(() => deserializePlot(mutated)).toThrow(PlotFormatError);
    }
    expect(() => deserializePlot(bytes, { k: K + 1, plotId })).toThrow(PlotFormatError);
    const versioned = Uint8Array.from(bytes);
    versioned[8] = ((PLOT_FORMAT_VERSION + 1) >>> 8) & 0xff;
    versioned[9] = (PLOT_FORMAT_VERSION + 1) & 0xff;
    expect(() => deserializePlot(versioned)).toThrow(/version/);
  });
});

describe('defaultPlotCacheDirectory', () => {
  it('uses POOL_DEVNET_CACHE when set, else ~/.cache/chia-pool-ledger/plots', () => {
    expect(defaultPlotCacheDirectory({ POOL_DEVNET_CACHE: '/var/tmp/plots' })).toBe('/var/tmp/plots');
    expect(defaultPlotCacheDirectory({})).toBe(join(homedir(), '.cache', 'chia-pool-ledger', 'plots'));
    expect(defaultPlotCacheDirectory({ POOL_DEVNET_CACHE: '' })).toBe(join(homedir(), '.cache', 'chia-pool-ledger', 'plots'));
  });
});
