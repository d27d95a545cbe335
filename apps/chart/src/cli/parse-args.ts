import type { LogLevel } from '@marketdata/domain';

export interface ChartArgs {
  /** Run against an in-process simulator instead of live Upbit. */
  readonly sim: boolean;
  /** 0: any free port. */
  readonly port: number;
  /** Simulator seed (with --sim). */
  readonly seed: number | undefined;
  /** Another Upbit-compatible endpoint (a simulator started elsewhere); both or neither. */
  readonly endpoint: { readonly restUrl: string; readonly wsUrl: string } | undefined;
  readonly logLevel: LogLevel;
  readonly help: boolean;
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const DEFAULT_PORT = 8_300;
const LOG_LEVELS: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'silent'];

function integer(flag: string, text: string | undefined, min: number, max: number): number {
  const value = Number(text);
  if (text === undefined || text.trim() === '' || !Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`${flag} needs an integer ${min}..${max}, got ${text ?? 'nothing'}`);
  }
  return value;
}

function url(flag: string, text: string | undefined, protocols: readonly string[]): string {
  let parsed: URL;
  try {
    parsed = new URL(text ?? '');
  } catch {
    throw new UsageError(`${flag} needs a URL, got ${text ?? 'nothing'}`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new UsageError(`${flag} needs a ${protocols.join(' or ')} URL, got ${text}`);
  }
  return parsed.toString().replace(/\/$/, '');
}

/** `--flag value` and `--flag=value` both work; anything unknown is a usage error. */
export function parseArgs(argv: readonly string[]): ChartArgs {
  let sim = false;
  let port = DEFAULT_PORT;
  let seed: number | undefined;
  let logLevel: LogLevel = 'warn';
  let help = false;
  let restUrl: string | undefined;
  let wsUrl: string | undefined;
  const args = argv.flatMap((arg) => (arg.startsWith('--') && arg.includes('=') ? arg.split(/=(.*)/s, 2) : [arg]));
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    switch (arg) {
      case '--sim':
        sim = true;
        break;
      case '--port':
        port = integer('--port', args[++i], 0, 65_535);
        break;
      case '--seed':
        seed = integer('--seed', args[++i], 0, 2 ** 31 - 1);
        break;
      case '--rest-url':
        restUrl = url('--rest-url', args[++i], ['http:', 'https:']);
        break;
      case '--ws-url':
        wsUrl = url('--ws-url', args[++i], ['ws:', 'wss:']);
        break;
      case '--log-level': {
        const level = args[++i];
        if (!(LOG_LEVELS as readonly (string | undefined)[]).includes(level)) {
          throw new UsageError(`--log-level needs one of ${LOG_LEVELS.join(', ')}, got ${level ?? 'nothing'}`);
        }
        logLevel = level as LogLevel;
        break;
      }
      case '--help':
      case '-h':
        help = true;
        break;
      default:
        throw new UsageError(`unknown argument ${JSON.stringify(arg)} (try --help)`);
    }
  }
  if (seed !== undefined && !sim) throw new UsageError('--seed is for the simulator: add --sim');
  if ((restUrl === undefined) !== (wsUrl === undefined)) throw new UsageError('--rest-url and --ws-url go together');
  if (sim && restUrl !== undefined) throw new UsageError('--sim starts its own simulator: drop --rest-url/--ws-url');
  const endpoint = restUrl === undefined || wsUrl === undefined ? undefined : { restUrl, wsUrl };
  return { sim, port, seed, endpoint, logLevel, help };
}

export const HELP_TEXT = `Usage: pnpm chart [--sim | --rest-url URL --ws-url URL] [--port N] [--seed N] [--log-level LEVEL]

Serves the live chart viewer on http://127.0.0.1:PORT/ and prints its URL (only that, on stdout).
The browser talks only to this server; the server holds one connection to Upbit for every tab.

  --sim              an in-process Upbit simulator instead of live Upbit (its fault-injection URL goes to stderr)
  --port N           the port to listen on (default ${DEFAULT_PORT}; 0 for any free port)
  --seed N           the simulator's seed (with --sim)
  --rest-url URL     another Upbit-compatible REST endpoint, e.g. a simulator started with \`pnpm sim\`
  --ws-url URL       its WebSocket endpoint (with --rest-url)
  --log-level LEVEL  trace, debug, info, warn (default), error or silent; logs go to stderr
  --help             this text

Examples:
  pnpm chart                 live Upbit
  pnpm chart --sim --port 0  the simulator, any free port
`;
