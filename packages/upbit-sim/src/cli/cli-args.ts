import { parseArgs } from 'node:util';
import type { LogLevel } from '@marketdata/domain';
import { configError } from '../config-error.js';

export interface CliArgs {
  readonly help: boolean;
  readonly version: boolean;
  readonly seed: number;
  readonly host: string;
  readonly port: number;
  readonly adminPort: number | false;
  readonly markets: readonly string[] | undefined;
  readonly rateLimits: boolean;
  readonly idleTimeoutMs: number | undefined;
  readonly tradeRateScale: number | undefined;
  readonly replayFile: string | undefined;
  readonly speed: number;
  readonly loop: boolean;
  readonly malformedRatio: number | undefined;
  readonly restLatencyMs: number | undefined;
  readonly logLevel: LogLevel;
}

export const USAGE = `Usage: upbit-sim [options]

A local Upbit simulator: REST (/v1/...) and WebSocket (/websocket/v1) on one port, plus an admin port for faults.

  --seed N                 market universe and random walk seed (default 1)
  --host HOST              listen address (default 127.0.0.1; 0.0.0.0 inside a container)
  --port N                 REST + WebSocket port (default 0 = random)
  --admin-port N|none      admin HTTP port (default 0 = random)
  --markets A,B,...        only these markets (default all)
  --no-rate-limits         switch Upbit's rate limits off (benchmarks)
  --idle-timeout-ms N      WebSocket idle close (default 60000)
  --trade-rate-scale X     multiply every market's trade rate (default 1)
  --replay FILE            replay a JSONL recording ({"t": epochMs, "frame": "<raw frame>"} per line) over WebSocket
  --speed X                replay speed (default 1 = original pace)
  --loop                   replay again from the start after the last frame
  --malformed-ratio R      start with this share of malformed WebSocket frames (fault)
  --rest-latency-ms N      start with this extra latency on every REST reply (fault)
  --log-level LEVEL        trace|debug|info|warn|error|silent (default info)
  --version                print the version
  --help                   this text

stdout carries only the REST, WS and admin URLs (one per line); logs go to stderr as pino-style JSON lines.
SIGINT or SIGTERM closes everything and exits with 0.

Examples (from the repository root):
  pnpm -s sim --seed 3 --port 8080
  pnpm -s sim --markets KRW-BTC,KRW-ETH --admin-port none --log-level warn
  pnpm -s sim --no-rate-limits --trade-rate-scale 50 --log-level error
  pnpm -s sim --host 0.0.0.0 --port 8080 --admin-port 8081
  pnpm -s sim --version`;

/** The example command lines of USAGE, as argument lists (for the test that runs them). */
export function usageExamples(): string[][] {
  return USAGE.split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('pnpm -s sim'))
    .map((line) => line.split(/\s+/).slice(3));
}

function num(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw configError(name, `--${name} expects a number`, text);
  return value;
}

const LEVELS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'silent']);

export function parseCliArgs(argv: readonly string[]): CliArgs {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      help: { type: 'boolean', default: false },
      version: { type: 'boolean', default: false },
      seed: { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
      'admin-port': { type: 'string' },
      markets: { type: 'string' },
      'no-rate-limits': { type: 'boolean', default: false },
      'idle-timeout-ms': { type: 'string' },
      'trade-rate-scale': { type: 'string' },
      replay: { type: 'string' },
      speed: { type: 'string' },
      loop: { type: 'boolean', default: false },
      'malformed-ratio': { type: 'string' },
      'rest-latency-ms': { type: 'string' },
      'log-level': { type: 'string' },
    },
  });
  const adminText = values['admin-port'];
  const logLevel = values['log-level'] ?? 'info';
  if (!LEVELS.has(logLevel))
    throw configError('log-level', `--log-level must be one of ${[...LEVELS].join(', ')}`, logLevel);
  return {
    help: values.help === true,
    version: values.version === true,
    seed: num('seed', values.seed) ?? 1,
    host: values.host ?? '127.0.0.1',
    port: num('port', values.port) ?? 0,
    adminPort: adminText === 'none' ? false : (num('admin-port', adminText) ?? 0),
    markets: values.markets === undefined ? undefined : values.markets.split(',').filter((code) => code !== ''),
    rateLimits: values['no-rate-limits'] !== true,
    idleTimeoutMs: num('idle-timeout-ms', values['idle-timeout-ms']),
    tradeRateScale: num('trade-rate-scale', values['trade-rate-scale']),
    replayFile: values.replay,
    speed: num('speed', values.speed) ?? 1,
    loop: values.loop === true,
    malformedRatio: num('malformed-ratio', values['malformed-ratio']),
    restLatencyMs: num('rest-latency-ms', values['rest-latency-ms']),
    logLevel: logLevel as LogLevel,
  };
}
