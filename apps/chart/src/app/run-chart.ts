import { type Clock, createDeadline, type Random, TimeoutError } from '@marketdata/domain';
import { createPinoLogger } from '@marketdata/pino';
import { HELP_TEXT, parseArgs, UsageError } from '../cli/parse-args.js';
import type { ProcessUsage } from '../server/chart-server.js';
import { loadStaticAssets } from '../server/static-assets.js';
import { type ChartEndpoints, configuredEndpoints, liveEndpoints, simulatorEndpoints } from './open-endpoints.js';
import { type StartedChart, startChart } from './start-chart.js';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** Longest wait for the market list at start; past it the start fails and says why. */
export const START_TIMEOUT_MS = 15_000;

export interface ChartRuntime {
  readonly argv: readonly string[];
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  readonly clock: Clock;
  readonly random: Random;
  /** Aborts on Ctrl-C / SIGTERM: the server closes everything and returns. */
  readonly interrupt: AbortSignal;
  /** Where the built page is (dist/public). */
  readonly publicDir: string;
  readonly processUsage: () => ProcessUsage;
  /** Called once the server listens (tests and the bench wait for it instead of reading stdout). */
  readonly onListening?: ((url: string) => void) | undefined;
}

/** The error's message and its deepest cause's (fetch wraps the socket error: "connect ECONNREFUSED ..."). */
function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  let deepest: unknown = error instanceof Error ? error.cause : undefined;
  for (let depth = 0; depth < 6 && deepest instanceof Error && deepest.cause instanceof Error; depth++) {
    deepest = deepest.cause;
  }
  if (!(deepest instanceof Error) || message.includes(deepest.message)) return message;
  return `${message} (${deepest.message})`;
}

/** The whole program but process glue: parse, start, print the URL, serve until interrupted, close. */
export async function runChart(runtime: ChartRuntime): Promise<number> {
  const { stdout, stderr, clock, random, interrupt } = runtime;
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(runtime.argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    stderr.write(`chart: ${error.message}\n`);
    return EXIT_USAGE;
  }
  if (args.help) {
    stdout.write(HELP_TEXT);
    return EXIT_OK;
  }
  const logger = createPinoLogger({ level: args.logLevel, destination: 2, bindings: { app: 'chart' } });
  const cleanups: Array<() => Promise<void> | void> = [];
  const closeAll = async (): Promise<void> => {
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (error) {
        logger.warn('shutdown step failed', { error: describe(error) });
      }
    }
    logger.flush();
  };
  try {
    const assets = await loadStaticAssets(runtime.publicDir);
    const endpoints: ChartEndpoints = args.sim
      ? await simulatorEndpoints({ seed: args.seed, clock, logger })
      : args.endpoint === undefined
        ? liveEndpoints()
        : configuredEndpoints(args.endpoint.restUrl, args.endpoint.wsUrl);
    cleanups.push(() => endpoints.close());
    const start = createDeadline(
      clock,
      START_TIMEOUT_MS,
      () => new TimeoutError(`no market list within ${START_TIMEOUT_MS} ms`, { timeoutMs: START_TIMEOUT_MS }),
      [interrupt],
    );
    let chart: StartedChart;
    try {
      chart = await startChart({
        mode: endpoints.mode,
        restUrl: endpoints.restUrl,
        wsUrl: endpoints.wsUrl,
        port: args.port,
        assets,
        clock,
        random,
        logger,
        processUsage: runtime.processUsage,
        signal: start.signal,
      });
    } catch (error) {
      if (interrupt.aborted) return EXIT_OK;
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
        stderr.write(`chart: port ${args.port} is in use: pick another with --port (0: any free port)\n`);
        return EXIT_USAGE;
      }
      stderr.write(`chart: cannot load the market list from ${endpoints.restUrl}: ${describe(error)}\n`);
      if (endpoints.mode !== 'sim') {
        stderr.write('chart: is Upbit reachable from here? `pnpm chart --sim` runs against the local simulator.\n');
      }
      return EXIT_FAILURE;
    } finally {
      start.dispose();
    }
    cleanups.push(() => chart.close());
    const { server, hub } = chart;
    stderr.write(`chart: ${endpoints.title}, ${hub.catalog.list().length} markets\n`);
    if (endpoints.hint !== undefined) stderr.write(`chart: ${endpoints.hint}\n`);
    stdout.write(`${server.url}\n`);
    runtime.onListening?.(server.url);
    await new Promise<void>((resolve) => {
      if (interrupt.aborted) resolve();
      else interrupt.addEventListener('abort', () => resolve(), { once: true });
    });
    return EXIT_OK;
  } catch (error) {
    stderr.write(`chart: ${describe(error)}\n`);
    return error instanceof UsageError ? EXIT_USAGE : EXIT_FAILURE;
  } finally {
    await closeAll();
  }
}
