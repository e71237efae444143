/**
 * Reads Prometheus's text exposition format into `series → value`, the series written as
 * `name{label="value",...}` with labels sorted (so tests and tools can look series up by a canonical key).
 */
export function parsePrometheusText(text: string): Map<string, number> {
  const series = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)/.exec(line);
    if (!match) continue;
    const labels = [...(match[3] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map(([, k, v]) => `${k}="${v}"`).sort();
    series.set(seriesKey(match[1]!, labels), Number(match[4]));
  }
  return series;
}

/** The canonical key of a series: `seriesKey('pool_partials_total', { result: 'accepted' })`. */
export function seriesKey(name: string, labels: readonly string[] | Record<string, string> = []): string {
  const list = Array.isArray(labels)
    ? [...labels]
    : Object.entries(labels)
        .map(([k, v]) => `${k}="${v}"`)
        .sort();
  return list.length === 0 ? name : `${name}{${list.join(',')}}`;
}
