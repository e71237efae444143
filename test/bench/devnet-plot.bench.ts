import { createHash } from 'node:crypto';
import { timeMs } from './bench-timing';
import { PlottedPlot, deserializePlot, plotTables, serializePlot } from '@pool/devnet';

/**
 * Wall time to plot small devnet plots in memory (k=18..20 by default; pass others as arguments), plus the
 * resulting table sizes, and the size and (de)serialization time of the cache file.
 * Run: cd /work/main && npm run build --silent && node dist/test/bench/devnet-plot.bench.js [k ...]
 */

const sizes = process.argv.slice(2).map(Number);
for (const k of sizes.length > 0 ? sizes : [18, 19, 20]) {
  const plotId = Uint8Array.from(createHash('sha256').update(`devnet bench plot k${k}`).digest());
  let result: ReturnType<typeof plotTables> | undefined;
  const ms = timeMs(() => (result = plotTables(k, plotId)));
  const plot = new PlottedPlot(result!.tables);
  let bytes = new Uint8Array(0);
  const serializeMs = timeMs(() => (bytes = serializePlot(plot.tables)));
  const parseMs = timeMs(() => deserializePlot(bytes, { k, plotId }));
  const rss = Math.round(process.memoryUsage().rss / 2 ** 20);
  console.log(
    `k=${k}: plotted in ${(ms / 1000).toFixed(2)} s; forward tables ${result!.forwardCounts.join(' ')}; ` +
      `kept ${plot.tableSizes.join(' ')}; f7/2^k = ${(plot.proofCount / 2 ** k).toFixed(3)}; ` +
      `serialized ${(bytes.length / 2 ** 20).toFixed(1)} MiB in ${serializeMs.toFixed(0)} ms, parsed in ${parseMs.toFixed(0)} ms; ` +
      `rss ${rss} MiB`,
  );
}
