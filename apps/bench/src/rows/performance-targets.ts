import { formatCell } from '../report/format.js';
import { type Cell, na, type RatioSense, type ResultRow, ratioOf } from '../report/model.js';

/**
 * Rows T: the performance targets, each beside the figures it is judged on (copied from the row that measured them
 * in this run) with a verdict: met, or missed by how much. Nothing here is measured again or hard-coded but the
 * targets themselves.
 */

type Verdict = (row: ResultRow) => string;

interface Target {
  readonly id: string;
  readonly title: string;
  /** The measuring row this target reads. */
  readonly source: string;
  readonly verdict: Verdict;
}

const fixed = (n: number, digits = 2): string => n.toFixed(digits);

/** Ours ÷ raw against a bound: `atLeast` for throughput, otherwise at most. */
function ratioTarget(bound: number, atLeast: boolean): Verdict {
  return (row) => {
    const ratio = ratioOf(row, 'ours');
    if (ratio === undefined) return 'not judged: ours or raw not measured in this run';
    const met = atLeast ? ratio >= bound : ratio <= bound;
    const sign = atLeast ? '≥' : '≤';
    if (met) return `met: ours ÷ raw ${fixed(ratio)}× ${sign} ${bound}×`;
    return `missed by ${fixed(Math.abs(ratio - bound))}×: ours ÷ raw ${fixed(ratio)}×, target ${sign} ${bound}×`;
  };
}

/** Ours' own figure against an absolute bound (at most), in the cell's unit. */
function absoluteTarget(bound: number): Verdict {
  return (row) => {
    const ours = row.cells.ours;
    if (ours.kind !== 'value') return 'not judged: ours not measured in this run';
    const shown = formatCell(ours);
    if (ours.value <= bound) return `met: ours ${shown} ≤ ${bound} ${ours.unit}`;
    return `missed by ${fixed(ours.value - bound)} ${ours.unit}: ours ${shown}, target ≤ ${bound} ${ours.unit}`;
  };
}

/** The burst target: at most `maxRequests` HTTP requests and no 429/418 (read from the burst's 429 row). */
function burstTarget(rows: readonly ResultRow[], maxRequests: number): Verdict {
  return (row) => {
    const requests = row.cells.ours;
    const limited = rows.find((r) => r.id === 'P.burst.limited')?.cells.ours;
    if (requests.kind !== 'value' || limited?.kind !== 'value') return 'not judged: ours not measured in this run';
    const parts = [
      `${requests.value} request(s) (target ≤ ${maxRequests})`,
      `${limited.value} answered 429/418 (target 0)`,
    ];
    const met = requests.value <= maxRequests && limited.value === 0;
    return `${met ? 'met' : 'missed'}: ${parts.join(', ')}; the target is for 200 concurrent calls (the default run)`;
  };
}

const INGEST_CASES = [
  ['ticker', 'DEFAULT'],
  ['ticker', 'SIMPLE'],
  ['trade', 'DEFAULT'],
  ['trade', 'SIMPLE'],
] as const;

function targets(rows: readonly ResultRow[]): readonly Target[] {
  return [
    ...INGEST_CASES.map(([kind, format]) => ({
      id: `T.ingest.${kind}.${format.toLowerCase()}`,
      title: `target: WS ingest ≥ 0.8× raw, ${kind} ${format}`,
      source: `2.${kind}.${format.toLowerCase()}`,
      verdict: ratioTarget(0.8, true),
    })),
    { id: 'T.hot.p50', title: 'target: hot getTicker p50 ≤ 2 µs', source: '4.p50', verdict: absoluteTarget(2) },
    { id: 'T.hot.p99', title: 'target: hot getTicker p99 ≤ 10 µs', source: '4.p99', verdict: absoluteTarget(10) },
    { id: 'T.rest.p50', title: 'target: REST p50 ≤ 1.15× raw', source: '1.p50', verdict: ratioTarget(1.15, false) },
    {
      id: 'T.rest.burst',
      title: 'target: concurrent burst → ≤ 2 requests, 0 × 429',
      source: 'P.burst.requests',
      verdict: burstTarget(rows, 2),
    },
    {
      id: 'T.tail.20k',
      title: 'target: tick→consumer p99 @20k msg/s ≤ 1.2× raw',
      source: '3.20k.p99',
      verdict: ratioTarget(1.2, false),
    },
  ];
}

const NOT_RUN: Cell = na('not measured');

/** One row per target, in the order above; a target whose row was not run says so. */
export function performanceTargetRows(rows: readonly ResultRow[]): ResultRow[] {
  return targets(rows).map((target) => {
    const source = rows.find((row) => row.id === target.source);
    const ratio: RatioSense = source?.ratio ?? 'none';
    const base = {
      id: target.id,
      group: 'T',
      title: target.title,
      metric: source === undefined ? `row ${target.source}` : `${source.metric} (row ${source.group})`,
    };
    if (source === undefined) {
      return { ...base, cells: { raw: NOT_RUN, ours: NOT_RUN, ccxt: NOT_RUN }, ratio, notes: ['row not run'] };
    }
    return { ...base, cells: source.cells, ratio, notes: [target.verdict(source)] };
  });
}
