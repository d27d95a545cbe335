import { type Cell, isNotApplicable, type Unit } from './model.js';

function decimalsFor(v: number): number {
  const abs = Math.abs(v);
  if (abs === 0) return 0;
  if (abs < 1) return 3;
  if (abs < 10) return 2;
  if (abs < 1000) return 1;
  return 0;
}

export function formatNumber(v: number, unit: Unit): string {
  switch (unit) {
    case 'msg/s':
    case 'req/s':
    case 'count':
      return Math.round(v).toLocaleString('en-US');
    case '%':
      return Math.abs(v) > 0 && Math.abs(v) < 0.01 ? v.toPrecision(2) : v.toFixed(2);
    default:
      return v.toLocaleString('en-US', {
        maximumFractionDigits: decimalsFor(v),
        minimumFractionDigits: decimalsFor(v),
      });
  }
}

export function formatCell(cell: Cell): string {
  if (isNotApplicable(cell)) return '—';
  if (cell.kind === 'na') return `n/a (${cell.reason})`;
  return `${formatNumber(cell.value, cell.unit)} ${cell.unit}`;
}

export function formatRatio(ratio: number | undefined): string {
  if (ratio === undefined) return '—';
  return `${ratio < 10 ? ratio.toFixed(2) : ratio.toFixed(1)}×`;
}
