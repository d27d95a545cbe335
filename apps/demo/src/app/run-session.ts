import { createUpbitRestSource, createUpbitWebSocketSource } from '@marketdata/adapters-upbit';
import { createMarketData, type StatsSnapshot } from '@marketdata/backbone';
import { type MarketCode, TimeoutError } from '@marketdata/domain';
import { EXIT_OK, EXIT_RUNTIME_FAILURE } from '../cli/exit-codes.js';
import { UsageError } from '../cli/usage-error.js';
import { UpbitUnreachableError } from '../live/upbit-unreachable-error.js';
import { type FrameRecorder, openFrameRecorder } from '../record/frame-recorder.js';
import { recordingSocketFactory } from '../record/recording-socket-factory.js';
import { createPainter } from '../view/ansi.js';
import { renderBoard } from '../view/render-board.js';
import { renderSummary } from '../view/stats-summary.js';
import { createTerminalScreen, type TerminalScreen } from '../view/terminal-screen.js';
import { Board, type BoardEvent } from './board.js';
import { channelViews } from './channel-views.js';
import { chooseSymbols } from './choose-symbols.js';
import { planDemand, startDemandDriver } from './demand-driver.js';
import { createDemoLogger } from './demo-logger.js';
import type { DemoRuntime } from './demo-runtime.js';
import { type DemoEndpoints, openLive, openSimulator } from './open-endpoints.js';
import { deadlineSignal, repeat } from './repeat.js';
import type { DemoSettings } from './resolve-settings.js';
import { RouterWatch } from './router-watch.js';
import { ShutdownSteps } from './shutdown-steps.js';

type OutputMode = 'json' | 'ansi' | 'plain';

/** Whole shutdown, Ctrl-C included, stays under a second. */
const SHUTDOWN_BUDGET_MS = 800;
/** Loading the market list and the tickers to rank must not hang the start. */
const STARTUP_DEADLINE_MS = 15_000;
const HEALTH_SAMPLE_MS = 1_000;
const PLAIN_SNAPSHOT_MS = 5_000;

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function reasonText(signal: AbortSignal): string {
  return typeof signal.reason === 'string' ? signal.reason : messageOf(signal.reason);
}

/** From the data source's start to the exit summary. Returns the exit code; usage problems are thrown. */
export async function runSession(settings: DemoSettings, runtime: DemoRuntime): Promise<number> {
  const { options, config, backbone } = settings;
  const { clock } = runtime;
  const mode: OutputMode = options.json ? 'json' : runtime.stdout.isTTY === true ? 'ansi' : 'plain';
  const demoLogger = createDemoLogger(
    settings.logLevel,
    runtime.stderr,
    runtime.stderr.isTTY === true && runtime.color,
  );
  const logger = demoLogger.logger;
  const board = new Board(mode === 'ansi' ? 8 : 5);
  const shutdown = new ShutdownSteps(clock, logger);
  const startedAt = clock.monotonic();

  const stopper = new AbortController();
  let failure: unknown;
  const stop = (reason: string): void => {
    if (!stopper.signal.aborted) stopper.abort(reason);
  };
  const fail = (error: unknown): void => {
    failure ??= error;
    stop(`failed: ${messageOf(error)}`);
  };
  const onInterrupt = (): void => stop(reasonText(runtime.interrupt));
  if (runtime.interrupt.aborted) onInterrupt();
  runtime.interrupt.addEventListener('abort', onInterrupt, { once: true });

  const emit = (event: BoardEvent): void => {
    board.addEvent(event);
    if (mode === 'json') logger.info(event.text, { event: event.kind });
  };

  let recorder: FrameRecorder | undefined;
  let endpoints: DemoEndpoints | undefined;
  let screen: TerminalScreen | undefined;
  let lastStats: StatsSnapshot | undefined;
  const stoppers: (() => void)[] = [];
  let started = false;

  try {
    if (options.recordFile !== undefined) {
      try {
        recorder = await openFrameRecorder(options.recordFile, { clock });
      } catch (error) {
        throw new UsageError(`--record ${options.recordFile}: cannot create the file (${messageOf(error)})`);
      }
      const opened = recorder;
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
            signal: stopper.signal,
          });
    } catch (error) {
      if (stopper.signal.aborted) return EXIT_OK;
      throw error;
    }
    const opened = endpoints;
    shutdown.add('data source', () => opened.close());

    const rest = createUpbitRestSource({
      baseUrl: endpoints.restUrl,
      clock,
      random: runtime.random,
      logger: logger.child({ component: 'rest' }),
      restTimeoutMs: backbone.restTimeoutMs,
      maxRetries: backbone.maxRetries,
    });
    const capture = recorder;
    const websocket = createUpbitWebSocketSource({
      url: endpoints.wsUrl,
      clock,
      random: runtime.random,
      logger: logger.child({ component: 'websocket' }),
      ...(capture === undefined ? {} : { createSocket: recordingSocketFactory((frame) => capture.record(frame)) }),
    });
    const facade = createMarketData({ rest, websocket, clock, logger, config: backbone });
    shutdown.add('market data', () => facade.close());

    const deadline = deadlineSignal(
      clock,
      STARTUP_DEADLINE_MS,
      () => new TimeoutError(`no market list within ${STARTUP_DEADLINE_MS} ms`, { timeoutMs: STARTUP_DEADLINE_MS }),
    );
    const startupSignal = AbortSignal.any([stopper.signal, deadline.signal]);
    let symbols: readonly MarketCode[];
    try {
      const chosen = await chooseSymbols({
        markets: rest,
        marketData: facade,
        symbols: settings.symbols,
        top: settings.top,
        signal: startupSignal,
      });
      symbols = chosen.symbols;
      logger.info('watching', { how: chosen.how, symbols });
    } catch (error) {
      if (stopper.signal.aborted && failure === undefined) return EXIT_OK;
      if (error instanceof UsageError || !endpoints.live) throw error;
      const host = new URL(endpoints.restUrl).host;
      throw new UpbitUnreachableError(
        [{ channel: 'REST', url: `${endpoints.restUrl}/v1/market/all`, host, cause: messageOf(error) }],
        { cause: error },
      );
    } finally {
      deadline.cancel();
    }
    board.setSymbols(symbols);
    started = true;

    if (mode !== 'json') {
      const shown = createTerminalScreen(runtime.stdout, { ansi: mode === 'ansi', rows: () => runtime.stdout.rows });
      screen = shown;
      if (mode === 'ansi' && runtime.stderr.isTTY === true) demoLogger.showInBoard((event) => board.addEvent(event));
      shutdown.add('screen', () => {
        demoLogger.showInBoard(undefined);
        shown.close();
      });
    }
    const painter = createPainter(mode === 'ansi' && runtime.color);
    const draw = (): void => {
      screen?.draw(
        renderBoard(board.view(), {
          title: opened.title,
          hint: opened.hint,
          now: clock.now(),
          uptimeMs: clock.monotonic() - startedAt,
          width: runtime.stdout.columns ?? 120,
          painter,
        }),
      );
    };

    const routerWatch = new RouterWatch();
    const sample = (): void => {
      const stats = facade.stats();
      const health = facade.health();
      lastStats = stats;
      board.setChannels(channelViews(health, stats));
      for (const event of routerWatch.observe(stats, health, clock.now())) emit(event);
    };

    const servedBy = new Map<MarketCode, string>();
    const driver = startDemandDriver({
      plan: planDemand(symbols, backbone.router.hotRequestsPerSecond),
      clock,
      getTicker: (symbol, signal) => facade.getTicker(symbol, { signal }),
      onResult: (symbol, demand, ticker) => {
        board.setRouted(symbol, { demand, source: ticker.source });
        const previous = servedBy.get(symbol);
        if (previous !== ticker.source) {
          const was = previous === undefined ? '' : ` (was ${previous})`;
          emit({ at: clock.now(), kind: 'route', text: `${symbol} getTicker at ${demand} → ${ticker.source}${was}` });
          servedBy.set(symbol, ticker.source);
        }
      },
      onError: (symbol, demand, error) => {
        board.setRouted(symbol, { demand, source: 'error' });
        if (servedBy.get(symbol) !== 'error') {
          emit({ at: clock.now(), kind: 'warn', text: `${symbol} getTicker failed: ${messageOf(error)}` });
          servedBy.set(symbol, 'error');
        }
      },
    });
    stoppers.push(() => driver.stop());

    // Ended after the final stats sample, so the summary shows the stream as it was while running.
    const endWatch = new AbortController();
    stoppers.push(() => endWatch.abort());
    const watching = (async () => {
      for await (const ticker of facade.watchTickers(symbols, { signal: endWatch.signal })) {
        board.applyTicker(ticker);
        if (mode === 'json') runtime.stdout.write(`${JSON.stringify(ticker)}\n`);
      }
    })().then(
      () => {
        if (!stopper.signal.aborted) fail(new Error('the ticker stream ended unexpectedly'));
      },
      (error: unknown) => {
        if (!stopper.signal.aborted) fail(error);
      },
    );
    shutdown.add('ticker stream', () => watching);

    sample();
    draw();
    stoppers.push(repeat(clock, HEALTH_SAMPLE_MS, sample));
    if (mode !== 'json')
      stoppers.push(repeat(clock, mode === 'ansi' ? config.demo.refreshMs : PLAIN_SNAPSHOT_MS, draw));
    if (options.durationMs !== undefined) {
      const durationMs = options.durationMs;
      stoppers.push(repeat(clock, durationMs, () => stop(`--duration-ms ${durationMs} elapsed`)));
    }

    await new Promise<void>((resolve) => {
      if (stopper.signal.aborted) resolve();
      else stopper.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    driver.stop();
    sample();
    if (mode === 'plain') draw();
    for (const cancel of stoppers.splice(0)) cancel();
    return failure === undefined ? EXIT_OK : EXIT_RUNTIME_FAILURE;
  } finally {
    stop('shutting down');
    for (const cancel of stoppers.splice(0)) cancel();
    runtime.interrupt.removeEventListener('abort', onInterrupt);
    const overran = await shutdown.run(SHUTDOWN_BUDGET_MS);
    if (overran.length > 0) logger.warn('some resources did not close in time', { steps: overran });
    if (started && endpoints !== undefined) {
      const summary = renderSummary(
        {
          title: endpoints.title,
          runMs: clock.monotonic() - startedAt,
          ticks: board.view().totalUpdates,
          ticksPerSymbol: board.watched.map((symbol) => ({ symbol, ticks: board.updatesFor(symbol) })),
          recorded:
            recorder === undefined
              ? undefined
              : { path: recorder.path, frames: recorder.recorded, dropped: recorder.dropped },
          stopReason: reasonText(stopper.signal),
        },
        lastStats,
      );
      const out = mode === 'json' ? runtime.stderr : runtime.stdout;
      out.write(`${summary.join('\n')}\n`);
    }
    if (failure !== undefined) runtime.stderr.write(`demo: ${messageOf(failure)}\n`);
    logger.flush();
  }
}
