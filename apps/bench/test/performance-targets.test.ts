import { describe, expect, it } from 'vitest';
import { na, notApplicable, type ResultRow, value } from '../src/report/model.js';
import { renderPerfTable } from '../src/report/perf-table.js';
import { performanceTargetRows } from '../src/rows/performance-targets.js';

const row = (id: string, overrides: Partial<ResultRow>): ResultRow => ({
  id,
  group: id.split('.')[0] as string,
  title: id,
  metric: 'p50 latency',
  cells: { raw: value(1, 'ms'), ours: value(1, 'ms'), ccxt: notApplicable('no such call') },
  ratio: 'lower-better',
  notes: [],
  ...overrides,
});

const measured: readonly ResultRow[] = [
  row('2.ticker.default', {
    metric: 'messages handled per CPU-second',
    ratio: 'higher-better',
    cells: { raw: value(100_000, 'msg/s'), ours: value(90_000, 'msg/s'), ccxt: value(30_000, 'msg/s') },
  }),
  row('2.trade.simple', {
    metric: 'messages handled per CPU-second',
    ratio: 'higher-better',
    cells: { raw: value(300_000, 'msg/s'), ours: value(180_000, 'msg/s'), ccxt: notApplicable('DEFAULT only') },
  }),
  row('4.p50', { cells: { raw: value(0.2, 'µs'), ours: value(1.8, 'µs'), ccxt: notApplicable('none') } }),
  row('4.p99', { cells: { raw: value(0.6, 'µs'), ours: value(14, 'µs'), ccxt: notApplicable('none') } }),
  row('1.p50', { cells: { raw: value(1, 'ms'), ours: value(1.3, 'ms'), ccxt: value(1.2, 'ms') } }),
  row('P.burst.requests', {
    ratio: 'none',
    cells: { raw: value(200, 'count'), ours: value(1, 'count'), ccxt: na('x') },
  }),
  row('P.burst.limited', {
    ratio: 'none',
    cells: { raw: value(190, 'count'), ours: value(0, 'count'), ccxt: na('x') },
  }),
];

describe('target rows', () => {
  const rows = performanceTargetRows(measured);
  const verdict = (id: string): string => rows.find((r) => r.id === id)?.notes.join('; ') ?? '';

  it('judge each target on the figures of the row that measured them, met or missed by how much', () => {
    expect(verdict('T.ingest.ticker.default')).toBe('met: ours ÷ raw 0.90× ≥ 0.8×');
    expect(verdict('T.ingest.trade.simple')).toBe('missed by 0.20×: ours ÷ raw 0.60×, target ≥ 0.8×');
    expect(verdict('T.hot.p50')).toBe('met: ours 1.80 µs ≤ 2 µs');
    expect(verdict('T.hot.p99')).toBe('missed by 4.00 µs: ours 14.0 µs, target ≤ 10 µs');
    expect(verdict('T.rest.p50')).toBe('missed by 0.15×: ours ÷ raw 1.30×, target ≤ 1.15×');
    expect(verdict('T.rest.burst')).toMatch(/^met: 1 request\(s\) \(target ≤ 2\), 0 answered 429\/418/);
    expect(rows.find((r) => r.id === 'T.hot.p50')?.cells.ours).toEqual(value(1.8, 'µs'));
  });

  it('say so when the row a target reads was not run', () => {
    expect(verdict('T.tail.20k')).toBe('row not run');
    expect(verdict('T.ingest.ticker.simple')).toBe('row not run');
  });

  it('render as the README table, with the machine and its load', () => {
    const table = renderPerfTable({
      rows,
      mode: 'full',
      startedAt: '2026-01-01T00:00:00.000Z',
      machine: {
        node: 'v20.0.0',
        platform: 'linux',
        cpus: 2,
        cpuModel: 'Test CPU',
        totalMemoryMb: 1024,
        loadAverage1m: { atStart: 1, atEnd: 2 },
      },
    });
    const lines = table.split('\n');
    expect(lines[0]).toBe('| Target | Measured as | Raw | Ours | ccxt | Ours ÷ raw | ccxt ÷ raw | Verdict |');
    expect(lines).toContain(
      '| hot getTicker p50 ≤ 2 µs | p50 latency (row 4) | 0.200 µs | 1.80 µs | — | 9.00× | — | met: ours 1.80 µs ≤ 2 µs |',
    );
    expect(table).toContain(
      'full run 2026-01-01T00:00:00.000Z: 2 × Test CPU, linux, Node v20.0.0, load average 1.0 → 2.0',
    );
  });
});
