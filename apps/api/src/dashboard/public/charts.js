// Small SVG charts with no library: a line chart and a stacked bar chart over time buckets.
const SVG = 'http://www.w3.org/2000/svg';

function el(tag, attrs = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Round the top of the y axis up to 1, 2 or 5 times a power of ten. */
function niceMax(value) {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (value <= step * power) return step * power;
  return 10 * power;
}

function shortNumber(value) {
  if (value >= 1e9) return `${(value / 1e9).toFixed(1)}G`;
  if (value >= 1e6) return `${(value / 1e6).toFixed(1)}M`;
  if (value >= 1e4) return `${(value / 1e3).toFixed(0)}k`;
  return String(Math.round(value * 100) / 100);
}

function timeLabel(seconds, resolution) {
  const iso = new Date(seconds * 1000).toISOString();
  return resolution === 'day' ? iso.slice(5, 10) : `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
}

function frame(width, height, max, pad, title) {
  const svg = el('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart', role: 'img', 'aria-label': title });
  svg.append(el('title', {}, title));
  for (let i = 0; i <= 4; i++) {
    const y = pad.top + ((height - pad.top - pad.bottom) * i) / 4;
    svg.append(el('line', { x1: pad.left, x2: width - pad.right, y1: y, y2: y, class: 'grid' }));
    svg.append(el('text', { x: pad.left - 6, y: y + 3, 'text-anchor': 'end' }, shortNumber((max * (4 - i)) / 4)));
  }
  return svg;
}

function xLabels(svg, buckets, xOf, height, pad, resolution) {
  const every = Math.max(1, Math.ceil(buckets.length / 6));
  buckets.forEach((b, i) => {
    if (i % every !== 0 && i !== buckets.length - 1) return;
    svg.append(el('text', { x: xOf(i), y: height - pad.bottom + 14, 'text-anchor': 'middle' }, timeLabel(b.start, resolution)));
  });
}

/**
 * series: [{ name, color, values: number[] }], one value per bucket; buckets: [{ start }].
 * Returns an <svg> (and a legend) in a wrapper element.
 */
export function lineChart({ title, buckets, series, resolution = 'hour', width = 560, height = 220 }) {
  const pad = { top: 10, right: 12, bottom: 24, left: 48 };
  const max = niceMax(Math.max(0, ...series.flatMap((s) => s.values)));
  const svg = frame(width, height, max, pad, title);
  const span = Math.max(1, buckets.length - 1);
  const xOf = (i) => pad.left + ((width - pad.left - pad.right) * (buckets.length === 1 ? 0.5 : i / span));
  const yOf = (v) => height - pad.bottom - ((height - pad.top - pad.bottom) * v) / max;
  for (const s of series) {
    const d = s.values.map((v, i) => `${i === 0 ? 'M' : 'L'}${xOf(i).toFixed(1)},${yOf(v).toFixed(1)}`).join(' ');
    svg.append(el('path', { d, fill: 'none', stroke: s.color, 'stroke-width': 2, 'data-series': s.name }));
    s.values.forEach((v, i) => svg.append(el('circle', { cx: xOf(i), cy: yOf(v), r: 2.5, fill: s.color }, undefined)));
  }
  xLabels(svg, buckets, xOf, height, pad, resolution);
  return wrap(title, svg, series);
}

/** Stacked bars: series values are stacked bottom-up in the order given. */
export function stackedBars({ title, buckets, series, resolution = 'hour', width = 560, height = 220 }) {
  const pad = { top: 10, right: 12, bottom: 24, left: 48 };
  const totals = buckets.map((_, i) => series.reduce((sum, s) => sum + s.values[i], 0));
  const max = niceMax(Math.max(0, ...totals));
  const svg = frame(width, height, max, pad, title);
  const slot = (width - pad.left - pad.right) / Math.max(1, buckets.length);
  const barWidth = Math.max(2, Math.min(40, slot * 0.7));
  const xOf = (i) => pad.left + slot * i + slot / 2;
  const scale = (v) => ((height - pad.top - pad.bottom) * v) / max;
  buckets.forEach((_, i) => {
    let base = height - pad.bottom;
    for (const s of series) {
      const h = scale(s.values[i]);
      if (h <= 0) continue;
      base -= h;
      svg.append(el('rect', { x: xOf(i) - barWidth / 2, y: base, width: barWidth, height: h, fill: s.color, 'data-series': s.name }));
    }
  });
  xLabels(svg, buckets, xOf, height, pad, resolution);
  return wrap(title, svg, series);
}

function wrap(title, svg, series) {
  const box = document.createElement('div');
  box.className = 'panel';
  const heading = document.createElement('h2');
  heading.textContent = title;
  const legend = document.createElement('div');
  legend.className = 'legend';
  for (const s of series) {
    const item = document.createElement('span');
    const swatch = document.createElement('i');
    swatch.style.background = s.color;
    item.append(swatch, s.name);
    legend.append(item);
  }
  box.append(heading, svg, legend);
  return box;
}
