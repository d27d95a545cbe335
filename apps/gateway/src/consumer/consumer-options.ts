import type { LogLevel } from '@marketdata/domain';
import { DEFAULT_SUBJECT_PREFIX } from '@marketdata/nats';
import { DEFAULT_NATS_URL, LOG_LEVELS, UsageError } from '../cli-options.js';

/** Options of the fleet consumer (`node apps/gateway/dist/consumer.js`). */
export interface ConsumerOptions {
  readonly natsUrl: string;
  readonly subjectPrefix: string;
  /** Markets to watch (`watchTickers`): given, or `watchCount` from the market list starting at `offset`. */
  readonly watch: readonly string[] | undefined;
  readonly watchCount: number;
  /** Markets asked with `getTickers`, `rate` times a second: `tickersCount` from the list starting at `offset`. */
  readonly tickersCount: number;
  readonly rate: number;
  readonly offset: number;
  /** One NDJSON report line on stdout this often. */
  readonly reportMs: number;
  readonly logLevel: LogLevel;
  readonly help: boolean;
}

export const CONSUMER_USAGE = `Usage: node apps/gateway/dist/consumer.js [options]

A fleet consumer: the MarketData facade over the fleet gateway (createFleetSources + createMarketData), nothing
direct to Upbit. It watches tickers and asks getTickers at a fixed rate, and prints one JSON line of what it sees
(connection state, health and its reasons, gaps, deliveries, answers) every --report-ms on stdout.

Options:
  --nats URL          default ${DEFAULT_NATS_URL}
  --prefix P          subject prefix (default ${DEFAULT_SUBJECT_PREFIX})
  --watch A,B,...     markets to watch (default: --watch-count of the gateway's market list from --offset)
  --watch-count N     default 20
  --tickers-count N   markets per getTickers call (default 50; 0: none)
  --rate R            getTickers calls per second (default 5)
  --offset K          where in the market list this consumer's markets start (default 0)
  --report-ms N       default 1000
  --log-level L       default warn (JSON lines on stderr)
  --help`;

function number(flag: string, text: string | undefined, min: number): number {
  const parsed = Number(text);
  if (text === undefined || !Number.isFinite(parsed) || parsed < min) {
    throw new UsageError(`${flag} needs a number >= ${min}, got ${text ?? 'nothing'}`);
  }
  return parsed;
}

export function parseConsumerOptions(argv: readonly string[]): ConsumerOptions {
  const options = {
    natsUrl: DEFAULT_NATS_URL,
    subjectPrefix: DEFAULT_SUBJECT_PREFIX,
    watch: undefined as string[] | undefined,
    watchCount: 20,
    tickersCount: 50,
    rate: 5,
    offset: 0,
    reportMs: 1_000,
    logLevel: 'warn' as LogLevel,
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const next = (): string => {
      const text = argv[++i];
      if (text === undefined) throw new UsageError(`${arg} needs a value`);
      return text;
    };
    switch (arg) {
      case '--':
        break;
      case '--nats':
        options.natsUrl = next();
        break;
      case '--prefix':
        options.subjectPrefix = next();
        break;
      case '--watch':
        options.watch = next()
          .split(',')
          .map((code) => code.trim())
          .filter((code) => code !== '');
        break;
      case '--watch-count':
        options.watchCount = number(arg, next(), 0);
        break;
      case '--tickers-count':
        options.tickersCount = number(arg, next(), 0);
        break;
      case '--rate':
        options.rate = number(arg, next(), 0.01);
        break;
      case '--offset':
        options.offset = number(arg, next(), 0);
        break;
      case '--report-ms':
        options.reportMs = number(arg, next(), 10);
        break;
      case '--log-level': {
        const level = next();
        if (!(LOG_LEVELS as readonly string[]).includes(level)) {
          throw new UsageError(`--log-level: one of ${LOG_LEVELS.join(', ')}, got ${level}`);
        }
        options.logLevel = level as LogLevel;
        break;
      }
      case '--help':
        options.help = true;
        break;
      default:
        throw new UsageError(`unknown option ${arg}`);
    }
  }
  return options;
}
