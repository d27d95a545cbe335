import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from '../src/histogram.js';
import { formatCell, formatRatio } from '../src/report/format.js';
import { na, notApplicable, type ResultRow, ratioOf, value } from '../src/report/model.js';
import { fileStamp } from '../src/report/results-file.js';
import { renderLatencyChart } from '../src/report/svg-chart.js';
import { renderTable, TABLE_HEADER } from '../src/report/table.js';

const row = (overrides: Partial<ResultRow>): ResultRow => ({
  id: '1.p50',
  group: '1',
  title: 'REST getTicker',
  metric: 'p50 latency',
  cells: { raw: value(0.5, 'ms'), ours: value(1.5, 'ms'), ccxt: na('not built') },
  ratio: 'lower-better',
  notes: [],
  ...overrides,
});

describe('cells and ratios', () => {
  it('formats values by unit and says why a cell is empty', () => {
    expect(formatCell(value(0.4567, 'ms'))).toBe('0.457 ms');
    expect(formatCell(value(53_343.4, 'msg/s'))).toBe('53,343 msg/s');
    expect(formatCell(value(0.0012, '%'))).toBe('0.0012 %');
    expect(formatCell(na('not built'))).toBe('n/a (not built)');
    expect(formatCell(notApplicable('simulator figure'))).toBe('—');
  });

  it('never turns a non-finite number into a value', () => {
    expect(value(Number.NaN, 'ms').kind).toBe('na');
    expect(value(Number.POSITIVE_INFINITY, 'ms').kind).toBe('na');
  });

  it('computes ratios against the raw baseline only when both are measured', () => {
    expect(ratioOf(row({}), 'ours')).toBeCloseTo(3, 10);
    expect(ratioOf(row({}), 'ccxt')).toBeUndefined();
    expect(ratioOf(row({ ratio: 'none' }), 'ours')).toBeUndefined();
    expect(formatRatio(3)).toBe('3.00×');
    expect(formatRatio(undefined)).toBe('—');
  });
});

describe('renderTable', () => {
  it('prints one markdown line per row under the header, escaping pipes', () => {
    const table = renderTable([
      row({ notes: ['a | b'] }),
      row({
        id: 'S.ws',
        group: 'S',
        cells: { raw: value(1, 'msg/s'), ours: notApplicable('sim'), ccxt: notApplicable('sim') },
      }),
    ]);
    const lines = table.trim().split('\n');
    expect(lines[0]).toBe(`| ${TABLE_HEADER.join(' | ')} |`);
    expect(lines).toHaveLength(4);
    expect(lines[2]).toBe(
      '| 1 | REST getTicker | p50 latency | 0.500 ms | 1.50 ms | n/a (not built) | 3.00× | — | a \\| b |',
    );
    expect(lines[3]).toContain('ours, ccxt: sim');
  });
});

describe('latency histogram and chart', () => {
  it('summarizes recorded latencies and draws one path per series', () => {
    const histogram = new LatencyHistogram();
    for (let i = 1; i <= 1000; i++) histogram.recordMs(i / 100); // 0.01 .. 10 ms
    histogram.recordNs(-5);
    const summary = histogram.summary();
    histogram.destroy();
    expect(summary?.count).toBe(1001);
    expect(summary?.p50Ns).toBeGreaterThan(4.9e6);
    expect(summary?.p50Ns).toBeLessThan(5.1e6);
    expect(histogram.negativeCount).toBe(1);
    if (summary === undefined) throw new Error('no summary');
    const svg = renderLatencyChart([{ panel: 'p', unit: 'ms', series: { raw: summary, ours: summary } }], 'caption');
    expect(svg?.match(/<path /g)).toHaveLength(2);
    expect(renderLatencyChart([{ panel: 'p', unit: 'ms', series: {} }], 'caption')).toBeUndefined();
  });

  it('names result files after the run start without colons', () => {
    expect(fileStamp('2026-11-25T12:43:07.123Z')).toBe('2026-11-25T12-43-07Z');
  });
});
