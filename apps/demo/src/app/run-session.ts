import type { MarketData, StatsSnapshot } from '@marketdata/backbone';
import { type MarketCode, type MarketListSource, TimeoutError } from '@marketdata/domain';
import { EXIT_OK, EXIT_RUNTIME_FAILURE } from '../cli/exit-codes.js';
import { UsageError } from '../cli/usage-error.js';
import { UpbitUnreachableError } from '../live/upbit-unreachable-error.js';
import { type FrameRecorder, openFrameRecorder } from '../record/frame-recorder.js';
import { renderSummary } from '../view/stats-summary.js';
import { Board } from './board.js';
import { chooseSymbols } from './choose-symbols.js';
import { createDemoLogger } from './demo-logger.js';
import type { DemoRuntime } from './demo-runtime.js';
import { type DemoEndpoints, openLive, openSimulator } from './open-endpoints.js';
import { openMarketData } from './open-market-data.js';
import type { DemoSettings } from './resolve-settings.js';
import { deadlineSignal } from './scheduling.js';
import { serveDemoMetrics } from './serve-demo-metrics.js';
import type { OutputMode, Session } from './session.js';
import { ShutdownSteps } from './shutdown-steps.js';
import { StopControl } from './stop-control.js';
import { watchUntilStopped } from './watch-until-stopped.js';

/** Whole shutdown, Ctrl-C included, stays under a second. */
const SHUTDOWN_BUDGET_MS = 800;
/** Loading the market list and the tickers to rank must not hang the start. */
const STARTUP_DEADLINE_MS = 15_000;

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Picks the symbols; in live mode a failure to load them is reported like an unreachable Upbit. */
async function loadSymbols(
  session: Session,
  endpoints: DemoEndpoints,
  rest: MarketListSource,
  marketData: MarketData,
): Promise<readonly MarketCode[]> {
  const { clock } = session.runtime;
  const deadline = deadlineSignal(
    clock,
    STARTUP_DEADLINE_MS,
    () => new TimeoutError(`no market list within ${STARTUP_DEADLINE_MS} ms`, { timeoutMs: STARTUP_DEADLINE_MS }),
  );
  try {
    const chosen = await chooseSymbols({
      markets: rest,
      marketData,
      symbols: session.settings.symbols,
      top: session.settings.top,
      signal: AbortSignal.any([session.control.signal, deadline.signal]),
    });
    session.logger.logger.info('watching', { how: chosen.how, symbols: chosen.symbols });
    return chosen.symbols;
  } catch (error) {
    if (error instanceof UsageError || !endpoints.live || session.control.stopped) throw error;
    const host = new URL(endpoints.restUrl).host;
    throw new UpbitUnreachableError(
      [{ channel: 'REST', url: `${endpoints.restUrl}/v1/market/all`, host, cause: messageOf(error) }],
      { cause: error },
    );
  } finally {
    deadline.cancel();
  }
}

function printSummary(
  session: Session,
  endpoints: DemoEndpoints,
  recorder: FrameRecorder | undefined,
  stats: StatsSnapshot | undefined,
) {
  const { board, runtime } = session;
  const summary = renderSummary(
    {
      title: endpoints.title,
      runMs: runtime.clock.monotonic() - session.startedAt,
      ticks: board.view().totalUpdates,
      ticksPerSymbol: board.watched.map((symbol) => ({ symbol, ticks: board.updatesFor(symbol) })),
      recorded:
        recorder === undefined
          ? undefined
          : { path: recorder.path, frames: recorder.recorded, dropped: recorder.dropped },
      stopReason: session.control.reason,
    },
    stats,
  );
  (session.mode === 'json' ? runtime.stderr : runtime.stdout).write(`${summary.join('\n')}\n`);
}

/** From the data source's start to the exit summary. Returns the exit code; usage problems are thrown. */
export async function runSession(settings: DemoSettings, runtime: DemoRuntime): Promise<number> {
  const { options, config } = settings;
  const { clock } = runtime;
  const mode: OutputMode = options.json ? 'json' : runtime.stdout.isTTY === true ? 'ansi' : 'plain';
  const demoLogger = createDemoLogger(
    settings.logLevel,
    runtime.stderr,
    runtime.stderr.isTTY === true && runtime.color,
  );
  const logger = demoLogger.logger;
  const board = new Board(mode === 'ansi' ? 8 : 5);
  const session: Session = {
    settings,
    runtime,
    mode,
    board,
    control: new StopControl(),
    shutdown: new ShutdownSteps(clock, logger),
    logger: demoLogger,
    startedAt: clock.monotonic(),
    emit: (event) => {
      board.addEvent(event);
      if (mode === 'json') logger.info(event.text, { event: event.kind });
    },
  };
  const { control, shutdown } = session;
  const unfollow = control.follow(runtime.interrupt);

  let recorder: FrameRecorder | undefined;
  let endpoints: DemoEndpoints | undefined;
  let stats: StatsSnapshot | undefined;
  try {
    if (options.recordFile !== undefined) {
      const path = options.recordFile;
      const opened = await openFrameRecorder(path, { clock }).catch((error: unknown) => {
        throw new UsageError(`--record ${path}: cannot create the file (${messageOf(error)})`);
      });
      recorder = opened;
      shutdown.add('recorder', () => opened.close());
    }

    try {
      endpoints = options.sim
        ? await openSimulator(options.seed, logger)
        : await openLive(config.upbit, {
            clock,
            random: runtime.random,
            timeoutMs: config.demo.preflightTimeoutMs,
            logger,
            signal: control.signal,
          });
    } catch (error) {
      if (control.stopped) return EXIT_OK;
      throw error;
    }
    const source = endpoints;
    shutdown.add('data source', () => source.close());

    const { rest, marketData } = openMarketData({
      endpoints,
      backbone: settings.backbone,
      clock,
      random: runtime.random,
      logger,
      recorder,
    });
    shutdown.add('market data', () => marketData.close());
    if (options.metricsPort !== undefined) {
      const metrics = await serveDemoMetrics(options.metricsPort, marketData, logger);
      shutdown.add('metrics endpoint', () => metrics.close());
    }

    let symbols: readonly MarketCode[];
    try {
      symbols = await loadSymbols(session, endpoints, rest, marketData);
    } catch (error) {
      if (control.stopped && control.failure === undefined) return EXIT_OK;
      throw error;
    }
    board.setSymbols(symbols);
    stats = await watchUntilStopped(session, endpoints, marketData, symbols);
    return control.failure === undefined ? EXIT_OK : EXIT_RUNTIME_FAILURE;
  } finally {
    control.stop('shutting down');
    unfollow();
    const overran = await shutdown.run(SHUTDOWN_BUDGET_MS);
    if (overran.length > 0) logger.warn('some resources did not close in time', { steps: overran });
    if (stats !== undefined && endpoints !== undefined) printSummary(session, endpoints, recorder, stats);
    const failure = control.failure;
    if (failure !== undefined) runtime.stderr.write(`demo: ${messageOf(failure.error)}\n`);
    logger.flush();
  }
}
