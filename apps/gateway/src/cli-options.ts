import type { LogLevel } from '@marketdata/domain';
import { DEFAULT_SUBJECT_PREFIX, fleetSubjects } from '@marketdata/nats';

/** Command-line options of `pnpm gateway`. */
export interface GatewayOptions {
  /** An in-process Upbit simulator instead of api.upbit.com. */
  readonly sim: boolean;
  /** The simulator's seed (with --sim). */
  readonly seed: number;
  /** With --sim: only these markets (default: all of the simulator's). */
  readonly markets: readonly string[] | undefined;
  /** Upbit endpoints (default: Upbit's own; with --sim: the simulator's). */
  readonly upbitRestUrl: string | undefined;
  readonly upbitWsUrl: string | undefined;
  readonly natsUrl: string;
  readonly subjectPrefix: string;
  readonly heartbeatMs: number;
  readonly logLevel: LogLevel;
  readonly help: boolean;
}

export const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';

export class UsageError extends Error {}

export const USAGE = `Usage: pnpm gateway [-- options]

The fleet gateway: owns the Upbit connections and the REST budget for every process behind this address, and serves
them through NATS (streams on ${DEFAULT_SUBJECT_PREFIX}.<kind>.<MARKET>, latest values in the KV bucket, request/reply on
${DEFAULT_SUBJECT_PREFIX}.rpc.<method>, heartbeats on ${DEFAULT_SUBJECT_PREFIX}.gateway.heartbeat). Needs a nats-server with JetStream:

  nats-server -js -a 127.0.0.1 -p 4222

Options:
  --sim                  an in-process Upbit simulator (Upbit's rate limits on) instead of api.upbit.com
  --seed N               the simulator's seed (default 1)
  --markets A,B,...      with --sim: only these markets
  --nats URL             the NATS server (default ${DEFAULT_NATS_URL})
  --upbit-rest URL       Upbit's REST endpoint (default https://api.upbit.com; e.g. a \`pnpm sim\` one)
  --upbit-ws URL         Upbit's WebSocket endpoint (default wss://api.upbit.com/websocket/v1)
  --prefix P             subject prefix (default ${DEFAULT_SUBJECT_PREFIX}); consumers must use the same
  --heartbeat-ms N       heartbeat interval (default 1000); consumers call the gateway silent after 2 s
  --log-level L          trace|debug|info|warn|error|silent (default info); logs are JSON lines on stderr
  --help                 this text

stdout carries only the lines naming what the gateway serves; Ctrl-C (SIGINT) or SIGTERM stops it cleanly (exit 0).
Exit codes: 0 stopped, 1 could not run (NATS unreachable or without JetStream, ...), 2 usage error.`;

export const LOG_LEVELS: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'silent'];

function value(argv: readonly string[], index: number, flag: string): string {
  const next = argv[index];
  if (next === undefined || next.startsWith('--')) throw new UsageError(`${flag} needs a value`);
  return next;
}

function positiveInteger(flag: string, text: string): number {
  const parsed = Number(text);
  if (!Number.isInteger(parsed) || parsed <= 0) throw new UsageError(`${flag} needs a positive integer, got ${text}`);
  return parsed;
}

function url(flag: string, text: string, schemes: readonly string[]): string {
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    throw new UsageError(`${flag}: not a URL: ${text}`);
  }
  if (!schemes.includes(parsed.protocol)) {
    throw new UsageError(`${flag}: expected ${schemes.join(' or ')} URL, got ${text}`);
  }
  return text;
}

export function parseOptions(argv: readonly string[]): GatewayOptions {
  let sim = false;
  let seed = 1;
  let markets: string[] | undefined;
  let upbitRestUrl: string | undefined;
  let upbitWsUrl: string | undefined;
  let natsUrl = DEFAULT_NATS_URL;
  let subjectPrefix = DEFAULT_SUBJECT_PREFIX;
  let heartbeatMs = 1_000;
  let logLevel: LogLevel = 'info';
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    switch (arg) {
      case '--':
        break;
      case '--sim':
        sim = true;
        break;
      case '--seed':
        seed = positiveInteger(arg, value(argv, ++i, arg));
        break;
      case '--markets':
        markets = value(argv, ++i, arg)
          .split(',')
          .map((code) => code.trim())
          .filter((code) => code !== '');
        if (markets.length === 0) throw new UsageError('--markets needs a comma list of market codes');
        break;
      case '--nats':
        natsUrl = url(arg, value(argv, ++i, arg), ['nats:', 'tls:']);
        break;
      case '--upbit-rest':
        upbitRestUrl = url(arg, value(argv, ++i, arg), ['http:', 'https:']);
        break;
      case '--upbit-ws':
        upbitWsUrl = url(arg, value(argv, ++i, arg), ['ws:', 'wss:']);
        break;
      case '--prefix':
        subjectPrefix = value(argv, ++i, arg);
        try {
          fleetSubjects(subjectPrefix);
        } catch (error) {
          throw new UsageError((error as Error).message);
        }
        break;
      case '--heartbeat-ms':
        heartbeatMs = positiveInteger(arg, value(argv, ++i, arg));
        break;
      case '--log-level': {
        const level = value(argv, ++i, arg);
        if (!(LOG_LEVELS as readonly string[]).includes(level)) {
          throw new UsageError(`--log-level: one of ${LOG_LEVELS.join(', ')}, got ${level}`);
        }
        logLevel = level as LogLevel;
        break;
      }
      case '--help':
      case '-h':
        help = true;
        break;
      default:
        throw new UsageError(`unknown option ${arg}`);
    }
  }
  if (markets !== undefined && !sim) throw new UsageError('--markets restricts the simulator: use it with --sim');
  if (sim && (upbitRestUrl !== undefined || upbitWsUrl !== undefined)) {
    throw new UsageError('--sim starts its own simulator: leave out --upbit-rest / --upbit-ws');
  }
  return {
    sim,
    seed,
    markets,
    upbitRestUrl,
    upbitWsUrl,
    natsUrl,
    subjectPrefix,
    heartbeatMs,
    logLevel,
    help,
  };
}
