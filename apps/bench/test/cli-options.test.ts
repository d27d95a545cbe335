import { describe, expect, it } from 'vitest';
import { parseOptions, UsageError } from '../src/cli-options.js';

describe('parseOptions', () => {
  it('defaults to a full run of every row with a 60 s soak', () => {
    const options = parseOptions([]);
    expect(options.quick).toBe(false);
    expect(options.soakSeconds).toBe(60);
    expect([...options.only].sort()).toEqual(
      ['hot', 'ingest', 'latency', 'loop', 'pacing', 'rest', 'routing', 'sim', 'soak', 'targets'].sort(),
    );
  });

  it('--chart runs the chart row alone (it needs a browser, so it is never in the default run)', () => {
    expect(parseOptions([]).chart).toBe(false);
    expect(parseOptions(['--quick']).chart).toBe(false);
    const chart = parseOptions(['--chart']);
    expect(chart.chart).toBe(true);
    expect([...chart.only]).toEqual([]);
    expect([...parseOptions(['--chart', '--only', 'rest']).only]).toEqual(['rest']);
  });

  it('quick mode shortens the soak unless --soak is given', () => {
    expect(parseOptions(['--quick']).soakSeconds).toBe(4);
    expect(parseOptions(['--quick', '--soak', '600']).soakSeconds).toBe(600);
  });

  it('accepts row numbers and names in --only, and the -- turbo passes through', () => {
    const options = parseOptions(['--', '--only', '1,latency,S', '--json']);
    expect([...options.only]).toEqual(['rest', 'latency', 'sim']);
    expect(options.json).toBe(true);
  });

  it('runs the fleet rows alone with --fleet, and with the rows asked for in --only', () => {
    const alone = parseOptions(['--fleet', '--quick']);
    expect([alone.fleet, alone.quick, [...alone.only]]).toEqual([true, true, []]);
    const both = parseOptions(['--fleet', '--only', 'latency']);
    expect([both.fleet, [...both.only]]).toEqual([true, ['latency']]);
    expect(parseOptions([]).fleet).toBe(false);
  });

  it.each([
    [['--soak']],
    [['--soak', '0']],
    [['--soak', 'ten']],
    [['--only', '9']],
    [['--only']],
    [['--scale', '-1']],
    [['--out']],
    [['--fast']],
  ])('rejects %j with a usage error', (argv) => {
    expect(() => parseOptions(argv)).toThrow(UsageError);
  });
});
