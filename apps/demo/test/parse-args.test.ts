import { describe, expect, it } from 'vitest';
import { parseDemoArgs } from '../src/cli/parse-args.js';
import { UsageError } from '../src/cli/usage-error.js';

function run(argv: string[]) {
  const command = parseDemoArgs(argv);
  if (command.kind !== 'run') throw new Error('expected a run command');
  return command.options;
}

describe('parseDemoArgs', () => {
  it('defaults to live Upbit with nothing chosen', () => {
    expect(run([])).toEqual({
      sim: false,
      symbols: undefined,
      top: undefined,
      json: false,
      recordFile: undefined,
      configFile: undefined,
      logLevel: undefined,
      durationMs: undefined,
      seed: undefined,
      metricsPort: undefined,
    });
  });

  it('reads every option', () => {
    const options = run([
      '--sim',
      '--json',
      '--top',
      '5',
      '--record',
      'frames.jsonl',
      '--config',
      'demo.json',
      '--log-level',
      'debug',
      '--duration-ms',
      '1500',
      '--seed',
      '7',
      '--metrics-port',
      '9464',
    ]);
    expect(options).toMatchObject({
      sim: true,
      json: true,
      top: 5,
      recordFile: 'frames.jsonl',
      configFile: 'demo.json',
      logLevel: 'debug',
      durationMs: 1500,
      seed: 7,
      metricsPort: 9464,
    });
  });

  it('takes --metrics-port 0 (a free port) up to 65535', () => {
    expect(run(['--metrics-port', '0']).metricsPort).toBe(0);
    expect(run(['--metrics-port', '65535']).metricsPort).toBe(65_535);
  });

  it('takes symbols comma separated or repeated, de-duplicated', () => {
    expect(run(['--symbols', 'KRW-BTC,KRW-ETH', '--symbols', 'KRW-XRP,KRW-BTC']).symbols).toEqual([
      'KRW-BTC',
      'KRW-ETH',
      'KRW-XRP',
    ]);
  });

  it('drops the separators pnpm forwards (pnpm demo -- --sim arrives as -- -- --sim)', () => {
    expect(run(['--', '--sim']).sim).toBe(true);
    expect(run(['--', '--', '--sim', '--json']).json).toBe(true);
  });

  it('recognises --version', () => {
    expect(parseDemoArgs(['--version'])).toEqual({ kind: 'version' });
    expect(parseDemoArgs(['--', '--version', '--sim'])).toEqual({ kind: 'version' });
  });

  it('recognises --help and -h', () => {
    expect(parseDemoArgs(['--help'])).toEqual({ kind: 'help' });
    expect(parseDemoArgs(['--', '-h'])).toEqual({ kind: 'help' });
  });

  it.each([
    [['--bogus'], /bogus/],
    [['positional'], /positional/],
    [['--top', 'ten'], /--top expects a whole number/],
    [['--top', '0'], /--top must be between 1 and 500/],
    [['--top', '3', '--symbols', 'KRW-BTC'], /either --symbols or --top/],
    [['--symbols', 'krw-btc'], /--symbols: Invalid market code "krw-btc": must be upper case/],
    [['--symbols', 'KRW-BTC,,KRW-ETH'], /empty entry/],
    [['--log-level', 'loud'], /--log-level must be one of trace, debug, info, warn, error, silent/],
    [['--seed', '3'], /--seed only applies to the simulator/],
    [['--duration-ms', '-5'], /duration-ms/],
    [['--record'], /record/],
    [['--metrics-port', '65536'], /--metrics-port must be between 0 and 65535/],
    [['--metrics-port', 'http'], /--metrics-port expects a whole number/],
    [['--metrics-port'], /metrics-port/],
  ])('rejects %j with a UsageError saying what is wrong', (argv, message) => {
    expect(() => parseDemoArgs(argv)).toThrow(UsageError);
    expect(() => parseDemoArgs(argv)).toThrow(message);
  });
});
