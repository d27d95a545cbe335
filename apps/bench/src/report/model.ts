import type { LatencySummary } from '../histogram.js';

export type Unit = 'ms' | 'µs' | 'msg/s' | 'req/s' | '%' | 'count' | 'MB';

/** One cell of the table: a measured number, or an explicit reason why there is none. */
export type Cell =
  | { readonly kind: 'value'; readonly value: number; readonly unit: Unit }
  | { readonly kind: 'na'; readonly reason: string };

export const value = (v: number, unit: Unit): Cell =>
  Number.isFinite(v) ? { kind: 'value', value: v, unit } : { kind: 'na', reason: `not a number (${v})` };
export const na = (reason: string): Cell => ({ kind: 'na', reason });
export const NOT_BUILT = 'not built';
/** A column that has no meaning for this row (e.g. ccxt has no cached read). */
export const NOT_APPLICABLE = 'not applicable: ';
export const notApplicable = (why: string): Cell => na(`${NOT_APPLICABLE}${why}`);
export const isNotApplicable = (cell: Cell): boolean => cell.kind === 'na' && cell.reason.startsWith(NOT_APPLICABLE);

/** How a row's ratios read: lower is better (latency), higher is better (throughput), or no ratio. */
export type RatioSense = 'lower-better' | 'higher-better' | 'none';

export type Column = 'raw' | 'ours' | 'ccxt';
export const COLUMNS: readonly Column[] = ['raw', 'ours', 'ccxt'];

export interface ResultRow {
  /** Stable id, e.g. `1.p50`, `3.10k.p99`. */
  readonly id: string;
  /** The row number (1..7) or `S` for the simulator's own speed, `P` for pacing. */
  readonly group: string;
  readonly title: string;
  readonly metric: string;
  readonly cells: Readonly<Record<Column, Cell>>;
  readonly ratio: RatioSense;
  readonly notes: readonly string[];
}

/** Latency distributions kept for the chart and the JSON file, keyed by chart panel then series. */
export interface DistributionSet {
  readonly panel: string;
  readonly unit: 'ms' | 'µs';
  readonly series: Readonly<Partial<Record<Column, LatencySummary>>>;
}

export interface BenchSection {
  readonly rows: readonly ResultRow[];
  readonly distributions: readonly DistributionSet[];
}

export function ratioOf(row: ResultRow, column: Exclude<Column, 'raw'>): number | undefined {
  if (row.ratio === 'none') return undefined;
  const base = row.cells.raw;
  const cell = row.cells[column];
  if (base.kind !== 'value' || cell.kind !== 'value' || base.value === 0) return undefined;
  return cell.value / base.value;
}
