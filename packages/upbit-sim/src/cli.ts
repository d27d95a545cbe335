#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { createSystemClock, isMarketDataError, type Logger, type LogLevel } from '@marketdata/domain';
import { parseCliArgs, USAGE } from './cli/cli-args.js';
import { createJsonLineLogger } from './cli/json-line-logger.js';
import type { StartUpbitSimOptions } from './options.js';
import { parseReplayLines } from './replay/replay-file.js';
import { startUpbitSim } from './start-upbit-sim.js';
import { SIM_VERSION } from './version.js';

/**
 * The simulator's CLI. stdout carries only its own output (the URLs, or --help / --version); every log line goes
 * to stderr as pino-style JSON. The process's environment (pid, hostname, clock, streams) is read here only.
 */
function createLogger(level: LogLevel): Logger {
  return createJsonLineLogger({
    level,
    clock: createSystemClock(),
    pid: process.pid,
    hostname: hostname(),
    write: (line) => process.stderr.write(line),
  });
}

async function main(): Promise<void> {
  // `pnpm sim --seed 3` reaches us as `-- --seed 3` (pnpm passes the separator through): drop leading `--`.
  const argv = process.argv.slice(2);
  while (argv[0] === '--') argv.shift();
  const args = parseCliArgs(argv);
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (args.version) {
    process.stdout.write(`${SIM_VERSION}\n`);
    return;
  }
  const log = createLogger(args.logLevel).child({ name: 'upbit-sim' });
  const options: StartUpbitSimOptions = {
    seed: args.seed,
    host: args.host,
    port: args.port,
    adminPort: args.adminPort,
    logger: log,
    ...(args.markets === undefined ? {} : { markets: args.markets }),
    ...(args.rateLimits ? {} : { rateLimits: false }),
    ...(args.idleTimeoutMs === undefined ? {} : { idleTimeoutMs: args.idleTimeoutMs }),
    ...(args.tradeRateScale === undefined ? {} : { tradeRateScale: args.tradeRateScale }),
    ...(args.replayFile === undefined
      ? {}
      : {
          replay: {
            frames: parseReplayLines(readFileSync(args.replayFile, 'utf8')),
            speed: args.speed,
            loop: args.loop,
          },
        }),
  };
  const sim = await startUpbitSim(options);
  if (args.malformedRatio !== undefined) sim.control.setMalformedRatio(args.malformedRatio);
  if (args.restLatencyMs !== undefined) sim.control.setRestLatency('all', args.restLatencyMs);
  log.info('upbit-sim: started', { version: SIM_VERSION, seed: args.seed, markets: sim.control.marketCodes().length });
  process.stdout.write(`REST   ${sim.restUrl}\nWS     ${sim.wsUrl}\nadmin  ${sim.adminUrl ?? '(none)'}\n`);
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info('upbit-sim: shutting down', { signal });
    sim.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error('upbit-sim: close failed', { error: String(error) });
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  // Bad arguments and startup failures: one error line (always shown), exit code 2.
  createLogger('error').error(
    `upbit-sim: ${isMarketDataError(error) || error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(2);
});
