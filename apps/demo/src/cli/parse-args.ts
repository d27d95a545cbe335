import { parseArgs } from 'node:util';
import { isMarketDataError, type LogLevel, type MarketCode, parseMarketCode } from '@marketdata/domain';
import { UsageError } from './usage-error.js';

export interface DemoOptions {
  readonly sim: boolean;
  /** Explicit markets to watch; when absent the top `top` KRW markets by 24h turnover are picked. */
  readonly symbols: readonly MarketCode[] | undefined;
  readonly top: number | undefined;
  readonly json: boolean;
  readonly recordFile: string | undefined;
  readonly configFile: string | undefined;
  readonly logLevel: LogLevel | undefined;
  /** Stop by itself after this long (scripts and tests); absent = run until Ctrl-C. */
  readonly durationMs: number | undefined;
  /** Simulator seed (only with --sim). */
  readonly seed: number | undefined;
  /** Serve Prometheus metrics on 127.0.0.1 at this port (0: a free one, printed in the log). */
  readonly metricsPort: number | undefined;
}

export type DemoCommand =
  | { readonly kind: 'help' }
  | { readonly kind: 'version' }
  | { readonly kind: 'run'; readonly options: DemoOptions };

export const LOG_LEVELS: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'silent'];

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  sim: { type: 'boolean' },
  symbols: { type: 'string', multiple: true },
  top: { type: 'string' },
  json: { type: 'boolean' },
  record: { type: 'string' },
  config: { type: 'string' },
  'log-level': { type: 'string' },
  'duration-ms': { type: 'string' },
  seed: { type: 'string' },
  'metrics-port': { type: 'string' },
  version: { type: 'boolean' },
} as const;

/**
 * `pnpm demo --sim` reaches us as `-- --sim` and `pnpm demo -- --sim` as `-- -- --sim` (pnpm forwards the
 * separator), so separators in front of the first real argument are dropped. The demo takes no positionals.
 */
function dropLeadingSeparators(argv: readonly string[]): string[] {
  let start = 0;
  while (argv[start] === '--') start++;
  return argv.slice(start);
}

function wholeNumber(flag: string, text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new UsageError(`--${flag} expects a whole number, got ${JSON.stringify(text)}`);
  const value = Number(text);
  if (value < min || value > max) throw new UsageError(`--${flag} must be between ${min} and ${max}, got ${value}`);
  return value;
}

function parseSymbols(values: readonly string[] | undefined): readonly MarketCode[] | undefined {
  if (values === undefined) return undefined;
  const codes = values.flatMap((value) => value.split(',')).map((code) => code.trim());
  if (codes.some((code) => code === ''))
    throw new UsageError('--symbols has an empty entry; expected e.g. KRW-BTC,KRW-ETH');
  const parsed = codes.map((code) => {
    try {
      return parseMarketCode(code);
    } catch (error) {
      throw new UsageError(`--symbols: ${isMarketDataError(error) ? error.message : String(error)}`);
    }
  });
  return [...new Set(parsed)];
}

function parseLogLevel(text: string | undefined): LogLevel | undefined {
  if (text === undefined) return undefined;
  const level = LOG_LEVELS.find((candidate) => candidate === text);
  if (level === undefined) throw new UsageError(`--log-level must be one of ${LOG_LEVELS.join(', ')}; got ${text}`);
  return level;
}

/** Parses the command line. Anything wrong throws a `UsageError` whose message says what and how to fix it. */
export function parseDemoArgs(argv: readonly string[]): DemoCommand {
  let values: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; strict: true }>>['values'];
  try {
    ({ values } = parseArgs({
      args: dropLeadingSeparators(argv),
      options: OPTIONS,
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error), { cause: error });
  }
  if (values.help === true) return { kind: 'help' };
  if (values.version === true) return { kind: 'version' };

  const symbols = parseSymbols(values.symbols);
  const top = wholeNumber('top', values.top, 1, 500);
  if (symbols !== undefined && top !== undefined) {
    throw new UsageError('use either --symbols or --top, not both (--top picks markets by 24h turnover)');
  }
  const sim = values.sim === true;
  const seed = wholeNumber('seed', values.seed, 0, 2 ** 32 - 1);
  if (seed !== undefined && !sim) throw new UsageError('--seed only applies to the simulator; add --sim');
  if (values.record === '') throw new UsageError('--record needs a file name');
  if (values.config === '') throw new UsageError('--config needs a file name');

  return {
    kind: 'run',
    options: {
      sim,
      symbols,
      top,
      json: values.json === true,
      recordFile: values.record,
      configFile: values.config,
      logLevel: parseLogLevel(values['log-level']),
      durationMs: wholeNumber('duration-ms', values['duration-ms'], 1, 2 ** 31 - 1),
      seed,
      metricsPort: wholeNumber('metrics-port', values['metrics-port'], 0, 65_535),
    },
  };
}
