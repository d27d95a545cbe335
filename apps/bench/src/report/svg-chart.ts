import type { DistributionPoint } from '../histogram.js';
import { COLUMNS, type Column, type DistributionSet } from './model.js';

/**
 * Latency distributions as a hand-written SVG (no chart library): one panel per measured latency, HdrHistogram
 * style — x is the percentile on a "nines" scale (90, 99, 99.9, …), y the latency on a log scale.
 */

const PANEL_W = 480;
const PANEL_H = 300;
const MARGIN = { left: 64, right: 16, top: 48, bottom: 44 };
const COLORS: Readonly<Record<Column, string>> = { raw: '#7f7f7f', ours: '#1f77b4', ccxt: '#ff7f0e' };
const LABELS: Readonly<Record<Column, string>> = { raw: 'raw baseline', ours: 'ours', ccxt: 'ccxt' };
const MAX_NINES = 4.5; // where "max" (percentile 100) is drawn
const X_TICKS: readonly [number, string][] = [
  [0, '0%'],
  [1, '90%'],
  [2, '99%'],
  [3, '99.9%'],
  [4, '99.99%'],
  [MAX_NINES, 'max'],
];

const xml = (text: string): string =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

function nines(percentile: number): number {
  if (percentile >= 100) return MAX_NINES;
  return Math.min(4, Math.log10(100 / (100 - percentile)));
}

function logTicks(min: number, max: number): number[] {
  const ticks: number[] = [];
  // 1-2-5 steps for narrow ranges; decades only when the range is wide, so labels do not collide.
  const steps = Math.log10(max / min) > 3 ? [1] : [1, 2, 5];
  for (let exp = Math.floor(Math.log10(min)); exp <= Math.ceil(Math.log10(max)); exp++) {
    for (const m of steps) {
      const t = m * 10 ** exp;
      if (t >= min && t <= max) ticks.push(t);
    }
  }
  return ticks;
}

function formatTick(v: number): string {
  if (v >= 1000) return v.toLocaleString('en-US', { maximumFractionDigits: 0 });
  return String(Number(v.toPrecision(3)));
}

function panel(set: DistributionSet, originX: number, originY: number): string {
  const toUnit = (ns: number): number => (set.unit === 'ms' ? ns / 1e6 : ns / 1e3);
  const series = COLUMNS.flatMap((c) => {
    const summary = set.series[c];
    return summary === undefined ? [] : [{ column: c, points: summary.distribution }];
  });
  const values = series.flatMap((s) => s.points.map((p) => toUnit(p.valueNs))).filter((v) => v > 0);
  const lo = 10 ** Math.floor(Math.log10(Math.min(...values)));
  const hi = 10 ** Math.ceil(Math.log10(Math.max(...values)));
  const plotW = PANEL_W - MARGIN.left - MARGIN.right;
  const plotH = PANEL_H - MARGIN.top - MARGIN.bottom;
  const x = (n: number): number => originX + MARGIN.left + (n / MAX_NINES) * plotW;
  const y = (v: number): number => {
    const clamped = Math.max(lo, v);
    return (
      originY +
      MARGIN.top +
      plotH -
      ((Math.log10(clamped) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * plotH
    );
  };
  const parts: string[] = [];
  parts.push(
    `<text x="${originX + PANEL_W / 2}" y="${originY + 20}" text-anchor="middle" font-weight="bold">${xml(set.panel)} (${set.unit})</text>`,
  );
  parts.push(
    `<rect x="${x(0)}" y="${originY + MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#ccc"/>`,
  );
  for (const [n, label] of X_TICKS) {
    parts.push(
      `<line x1="${x(n)}" y1="${originY + MARGIN.top}" x2="${x(n)}" y2="${originY + MARGIN.top + plotH}" stroke="#eee"/>`,
    );
    parts.push(
      `<text x="${x(n)}" y="${originY + MARGIN.top + plotH + 16}" text-anchor="middle" font-size="11">${label}</text>`,
    );
  }
  parts.push(
    `<text x="${x(MAX_NINES / 2)}" y="${originY + PANEL_H - 6}" text-anchor="middle" font-size="11">percentile</text>`,
  );
  for (const t of logTicks(lo, hi)) {
    parts.push(`<line x1="${x(0)}" y1="${y(t)}" x2="${x(MAX_NINES)}" y2="${y(t)}" stroke="#eee"/>`);
    parts.push(`<text x="${x(0) - 6}" y="${y(t) + 4}" text-anchor="end" font-size="11">${formatTick(t)}</text>`);
  }
  series.forEach(({ column, points }, index) => {
    const path = points
      .map(
        (p: DistributionPoint, i) =>
          `${i === 0 ? 'M' : 'L'}${x(nines(p.percentile)).toFixed(1)},${y(toUnit(p.valueNs)).toFixed(1)}`,
      )
      .join(' ');
    parts.push(`<path d="${path}" fill="none" stroke="${COLORS[column]}" stroke-width="2"/>`);
    // Legend in a row between the title and the plot, so it never hides a line.
    const ly = originY + 38;
    const lx = x(0) + index * 120;
    parts.push(
      `<line x1="${lx}" y1="${ly - 4}" x2="${lx + 18}" y2="${ly - 4}" stroke="${COLORS[column]}" stroke-width="2"/>`,
    );
    parts.push(`<text x="${lx + 24}" y="${ly}" font-size="11">${LABELS[column]}</text>`);
  });
  return parts.join('\n');
}

export function renderLatencyChart(sets: readonly DistributionSet[], caption: string): string | undefined {
  const drawable = sets.filter((s) =>
    COLUMNS.some((c) => (s.series[c]?.distribution ?? []).some((p) => p.valueNs > 0)),
  );
  if (drawable.length === 0) return undefined;
  const columns = 2;
  const rows = Math.ceil(drawable.length / columns);
  const width = PANEL_W * columns;
  const height = PANEL_H * rows + 30;
  const body = drawable.map((set, i) => panel(set, (i % columns) * PANEL_W, 30 + Math.floor(i / columns) * PANEL_H));
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${width / 2}" y="20" text-anchor="middle" font-size="14">${xml(caption)}</text>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}
