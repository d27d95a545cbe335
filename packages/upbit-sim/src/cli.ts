#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { isMarketDataError } from '@marketdata/domain';
import { parseCliArgs, USAGE } from './cli/cli-args.js';
import { createConsoleLogger } from './cli/console-logger.js';
import type { StartUpbitSimOptions } from './options.js';
import { parseReplayLines } from './replay/replay-file.js';
import { startUpbitSim } from './start-upbit-sim.js';

async function main(): Promise<void> {
  // `pnpm sim --seed 3` reaches us as `-- --seed 3` (pnpm passes the separator through): drop leading `--`.
  const argv = process.argv.slice(2);
  while (argv[0] === '--') argv.shift();
  const args = parseCliArgs(argv);
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const logger = createConsoleLogger(args.logLevel);
  const options: StartUpbitSimOptions = {
    seed: args.seed,
    host: args.host,
    port: args.port,
    adminPort: args.adminPort,
    logger,
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
  process.stdout.write(
    `upbit-sim listening (seed ${args.seed}, ${sim.control.marketCodes().length} markets)\n` +
      `  REST   ${sim.restUrl}\n  WS     ${sim.wsUrl}\n  admin  ${sim.adminUrl ?? '(none)'}\n`,
  );
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info('upbit-sim: shutting down', { signal });
    sim.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error('upbit-sim: close failed', { error: String(error) });
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `upbit-sim: ${isMarketDataError(error) || error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(2);
});
