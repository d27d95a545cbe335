import { describe, expect, it } from 'vitest';
import { parseExposition } from '../src/exposition.js';

describe('parseExposition', () => {
  it('reads families with their help, type and samples, histogram suffixes included', () => {
    const families = parseExposition(
      [
        '# HELP marketdata_served_total Tickers handed out.',
        '# TYPE marketdata_served_total counter',
        'marketdata_served_total{source="rest"} 3',
        'marketdata_served_total{source="cache"} 0',
        '# HELP marketdata_request_duration_seconds Latency.',
        '# TYPE marketdata_request_duration_seconds histogram',
        'marketdata_request_duration_seconds_bucket{source="rest",le="0.005"} 1',
        'marketdata_request_duration_seconds_bucket{source="rest",le="+Inf"} 3',
        'marketdata_request_duration_seconds_sum{source="rest"} 0.25',
        'marketdata_request_duration_seconds_count{source="rest"} 3',
        '# HELP marketdata_request_latency_seconds Quantiles.',
        '# TYPE marketdata_request_latency_seconds summary',
        'marketdata_request_latency_seconds{source="cache",quantile="0.5"} NaN',
        '',
      ].join('\n'),
    );
    expect(families.map((family) => [family.name, family.type, family.samples.length])).toEqual([
      ['marketdata_served_total', 'counter', 2],
      ['marketdata_request_duration_seconds', 'histogram', 4],
      ['marketdata_request_latency_seconds', 'summary', 1],
    ]);
    expect(families[0]?.help).toBe('Tickers handed out.');
    expect(families[1]?.samples[1]).toEqual({
      metricName: 'marketdata_request_duration_seconds_bucket',
      labels: { source: 'rest', le: '+Inf' },
      value: 3,
    });
    expect(families[2]?.samples[0]?.value).toBeNaN();
  });

  it('unescapes label values (backslash, quote, newline) and keeps commas inside them', () => {
    const [family] = parseExposition(
      ['# HELP x_total x', '# TYPE x_total counter', 'x_total{kind="a\\"b\\\\c\\nd,e",other="f"} 1'].join('\n'),
    );
    expect(family?.samples[0]?.labels).toEqual({ kind: 'a"b\\c\nd,e', other: 'f' });
  });

  it('refuses what it does not understand, naming the line', () => {
    expect(() => parseExposition('# TYPE x foo')).toThrow('unknown metric type in: # TYPE x foo');
    expect(() => parseExposition('orphan_total 1')).toThrow('a sample of no announced family: orphan_total 1');
    expect(() => parseExposition('# TYPE x gauge\nx{a="1" 2')).toThrow('not a sample line');
    expect(() => parseExposition('# TYPE x gauge\nx{a=1} 2')).toThrow('bad labels');
    expect(() => parseExposition('# TYPE x gauge\nx one')).toThrow('not a sample value');
  });
});
