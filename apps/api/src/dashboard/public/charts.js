// SVG charts with real axes, no library: a step line chart and a stacked bar chart over time buckets. The time axis
// spans the buckets there are (a pool an hour old gets an hour-wide axis with quarter-hour ticks, not a dot on a
// two-day axis), the value axis rounds up to a nice number, and both axes are labelled with their units.
const SVG = 'http://www.w3.org/2000/svg';
const MINUTE = 60;
const HOUR = 3600;
const DAY = 86_400;

function el(tag, attrs = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Ticks from 0 to a nice top (1, 2 or 5 times a power of ten per step), about `count` of them. */
export function valueTicks(max, count = 4) {
  if (!(max > 0)) return [0, 1];
  const rough = max / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
  const ticks = [];
  for (let v = 0; v < max + step * 1e-9; v += step) ticks.push(v);
  if (ticks[ticks.length - 1] < max) ticks.push(ticks[ticks.length - 1] + step);
  return ticks.map((v) => Math.round(v * 1e6) / 1e6);
}

/** Time ticks on round minutes, hours or days, at most `count` of them, within [from, to]. */
export function timeTicks(from, to, count = 6) {
  const steps = [5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY, 14 * DAY, 30 * DAY];
  const step = steps.find((s) => (to - from) / s <= count) ?? steps[steps.length - 1];
  const ticks = [];
  for (let t = Math.ceil(from / step) * step; t <= to; t += step) ticks.push(t);
  return { step, ticks };
}

function shortNumber(value) {
  const abs = Math.abs(value);
  if (abs >= 1e12) return `${+(value / 1e12).toFixed(1)}T`;
  if (abs >= 1e9) return `${+(value / 1e9).toFixed(1)}G`;
  if (abs >= 1e6) return `${+(value / 1e6).toFixed(1)}M`;
  if (abs >= 1e4) return `${+(value / 1e3).toFixed(1)}k`;
  return String(+value.toFixed(2));
}

function timeLabel(seconds, step) {
  const iso = new Date(seconds * 1000).toISOString();
  if (step >= DAY) return iso.slice(5, 10);
  // A tick at midnight says which day; the others the time of day.
  return iso.slice(11, 16) === '00:00' ? iso.slice(5, 10) : iso.slice(11, 16);
}

/** Every bucket from the first to the last, the missing ones (no activity) as zeros: the API lists active ones only. */
function dense(buckets, size, series) {
  if (buckets.length === 0) return { starts: [], values: series.map(() => []) };
  const index = new Map(buckets.map((b, i) => [b.start, i]));
  const starts = [];
  for (let t = buckets[0].start; t <= buckets[buckets.length - 1].start; t += size) starts.push(t);
  return { starts, values: series.map((s) => starts.map((t) => (index.has(t) ? Number(s.values[index.get(t)]) || 0 : 0))) };
}

/**
 * The drawing's width in SVG units: about the width it will be shown at, so that its 11 px labels stay 11 px on a
 * phone instead of shrinking with a desktop-sized drawing. The SVG still scales to its panel either way.
 */
function chartWidth() {
  const screen = document.documentElement.clientWidth || 1280;
  return screen < 700 ? Math.max(280, screen - 50) : 560;
}

/** The frame: both axes with ticks, grid lines and unit labels; returns the svg and the two scales. */
function frame({ title, from, to, max, unit, width, height }) {
  const pad = { top: 12, right: 14, bottom: 40, left: 54 };
  const svg = el('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart', role: 'img', 'aria-label': title, preserveAspectRatio: 'xMidYMid meet' });
  svg.append(el('title', {}, title));
  const ticks = valueTicks(max);
  const top = ticks[ticks.length - 1];
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const x = (t) => pad.left + (plotW * (t - from)) / Math.max(1, to - from);
  const y = (v) => pad.top + plotH - (plotH * v) / top;
  for (const v of ticks) {
    svg.append(el('line', { x1: pad.left, x2: width - pad.right, y1: y(v), y2: y(v), class: v === 0 ? 'axis' : 'grid' }));
    svg.append(el('text', { x: pad.left - 6, y: y(v) + 3, 'text-anchor': 'end', class: 'tick', 'data-axis': 'y' }, shortNumber(v)));
  }
  svg.append(el('line', { x1: pad.left, x2: pad.left, y1: pad.top, y2: pad.top + plotH, class: 'axis' }));
  const time = timeTicks(from, to, Math.max(3, Math.floor(plotW / 80)));
  for (const t of time.ticks) {
    svg.append(el('line', { x1: x(t), x2: x(t), y1: pad.top + plotH, y2: pad.top + plotH + 4, class: 'axis' }));
    // The last label ends at its tick rather than running past the frame.
    const anchor = x(t) > width - pad.right - 16 ? 'end' : 'middle';
    svg.append(el('text', { x: x(t), y: pad.top + plotH + 15, 'text-anchor': anchor, class: 'tick', 'data-axis': 'x' }, timeLabel(t, time.step)));
  }
  svg.append(el('text', { x: pad.left + plotW / 2, y: height - 4, 'text-anchor': 'middle', class: 'unit' }, 'time (UTC)'));
  svg.append(el('text', { x: 12, y: pad.top + plotH / 2, 'text-anchor': 'middle', class: 'unit', transform: `rotate(-90 12 ${pad.top + plotH / 2})` }, unit));
  return { svg, x, y };
}

/**
 * Per-bucket totals as a step line, one path per series (each bucket's value held across its span, so a single
 * bucket is a line across the axis, not a dot). series: [{ name, color, values }], one value per bucket;
 * buckets: [{ start }] (unix seconds, the API's active buckets); size: seconds per bucket.
 */
export function lineChart({ title, unit, buckets, series, size = HOUR, width = chartWidth(), height = 240 }) {
  const { starts, values } = dense(buckets, size, series);
  if (starts.length === 0) return wrap(title, null, series);
  const from = starts[0];
  const to = starts[starts.length - 1] + size;
  const { svg, x, y } = frame({ title, from, to, max: Math.max(0, ...values.flat()), unit, width, height });
  series.forEach((s, k) => {
    const d = values[k].map((v, i) => `${i === 0 ? 'M' : 'L'}${x(starts[i]).toFixed(1)},${y(v).toFixed(1)} H${x(starts[i] + size).toFixed(1)}`).join(' ');
    svg.append(el('path', { d, fill: 'none', stroke: s.color, 'stroke-width': 2, 'data-series': s.name }));
  });
  return wrap(title, svg, series);
}

/** Stacked bars, one per bucket and non-zero series value, stacked bottom-up in the order given. */
export function stackedBars({ title, unit, buckets, series, size = HOUR, width = chartWidth(), height = 240 }) {
  const { starts, values } = dense(buckets, size, series);
  if (starts.length === 0) return wrap(title, null, series);
  const from = starts[0];
  const to = starts[starts.length - 1] + size;
  const totals = starts.map((_, i) => values.reduce((sum, v) => sum + v[i], 0));
  const { svg, x, y } = frame({ title, from, to, max: Math.max(0, ...totals), unit, width, height });
  starts.forEach((start, i) => {
    const left = x(start);
    const barWidth = Math.max(1, (x(start + size) - left) * 0.8);
    let base = 0;
    series.forEach((s, k) => {
      const v = values[k][i];
      if (v <= 0) return;
      svg.append(el('rect', { x: left + (x(start + size) - left - barWidth) / 2, y: y(base + v), width: barWidth, height: y(base) - y(base + v), fill: s.color, 'data-series': s.name }));
      base += v;
    });
  });
  return wrap(title, svg, series);
}

function wrap(title, svg, series) {
  const box = document.createElement('div');
  box.className = 'panel chart-panel';
  const heading = document.createElement('h2');
  heading.textContent = title;
  if (!svg) {
    const none = document.createElement('p');
    none.className = 'muted empty';
    none.textContent = 'no data yet';
    box.append(heading, none);
    return box;
  }
  const legend = document.createElement('div');
  legend.className = 'legend';
  for (const s of series) {
    const item = document.createElement('span');
    const swatch = document.createElement('i');
    // Set through the CSSOM, which the Content-Security-Policy allows (a style attribute in markup it would not).
    swatch.style.background = s.color;
    item.append(swatch, s.name);
    legend.append(item);
  }
  box.append(heading, svg, legend);
  return box;
}
