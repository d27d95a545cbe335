import type { LatencySummary } from '../histogram.js';
import {
  type BenchSection,
  type Cell,
  COLUMNS,
  type Column,
  type DistributionSet,
  na,
  type ResultRow,
  value,
} from '../report/model.js';
import { performanceTargetRows } from './performance-targets.js';

interface MeasuredSoFar {
  readonly rows: readonly ResultRow[];
  readonly distributions: readonly DistributionSet[];
}

const REST_TARGET_MS = 100;
const WS_TARGET_MS = 50;
const REST_PANEL = '1 REST getTicker';
const WS_PANEL = '3 tick→consumer @1k msg/s';

function meanCells(measured: MeasuredSoFar, panel: string, sourceRowId: string): Record<Column, Cell> {
  const set = measured.distributions.find((d) => d.panel === panel);
  const sourceRow = measured.rows.find((r) => r.id === sourceRowId);
  const one = (c: Column): Cell => {
    const summary: LatencySummary | undefined = set?.series[c];
    if (summary !== undefined) return value(summary.meanNs / 1e6, 'ms');
    // Same reason as the row it comes from ("not built", "failed: …"), or "not measured" when it was not run.
    const cell = sourceRow?.cells[c];
    return cell?.kind === 'na' ? cell : na('not measured');
  };
  return { raw: one('raw'), ours: one('ours'), ccxt: one('ccxt') };
}

function verdict(cells: Record<Column, Cell>, targetMs: number): string {
  return COLUMNS.map((c) => {
    const cell = cells[c];
    if (cell.kind !== 'value') return undefined;
    return `${c} ${cell.value < targetMs ? 'meets' : 'misses'} it`;
  })
    .filter((s) => s !== undefined)
    .join(', ');
}

/** Row 7: the original plan's targets beside what this run measured (from rows 1 and 3); rows T: the performance targets. */
export function targetsSection(measured: MeasuredSoFar): BenchSection {
  const rest = meanCells(measured, REST_PANEL, '1.p50');
  const ws = meanCells(measured, WS_PANEL, '3.1k.p50');
  return {
    rows: [
      {
        id: '7.rest',
        group: '7',
        title: `plan target: REST average < ${REST_TARGET_MS} ms`,
        metric: 'mean REST getTicker (row 1)',
        cells: rest,
        ratio: 'lower-better',
        notes: [verdict(rest, REST_TARGET_MS)],
      },
      {
        id: '7.ws',
        group: '7',
        title: `plan target: WebSocket < ${WS_TARGET_MS} ms`,
        metric: 'mean tick→consumer @1k msg/s (row 3)',
        cells: ws,
        ratio: 'lower-better',
        notes: [verdict(ws, WS_TARGET_MS)],
      },
      ...performanceTargetRows(measured.rows),
    ],
    distributions: [],
  };
}
