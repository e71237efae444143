/** Small real chiapos plots for the devnet: in-memory plotting, challenge answering and an on-disk cache. */
export { plotTables, MIN_PLOT_K, MAX_PLOT_K, type PlottingResult } from './forward-propagation';
export { type PlotTables, tableSizes } from './plot-tables';
export { PlottedPlot, createPlot, challengePrefix, plotOrder, qualityString, unpackProof, type PlotProof } from './plotted-plot';
export { serializePlot, deserializePlot, PlotFormatError, PLOT_FORMAT_VERSION } from './plot-serialization';
export { PlotCache, defaultPlotCacheDirectory, plotFileName, type PlotCacheOptions, type PlotCacheStats } from './plot-cache';
export { devnetPlot, type DevnetPlot } from './devnet-plot';
export { proofsForSignagePoint, type SignagePointProofs } from './signage-point-proofs';
