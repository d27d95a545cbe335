import type { MarketData, StatsSnapshot } from '@marketdata/backbone';
import type { MarketCode } from '@marketdata/domain';
import { createPainter } from '../view/ansi.js';
import { renderBoard } from '../view/render-board.js';
import { createTerminalScreen } from '../view/terminal-screen.js';
import { channelViews } from './channel-views.js';
import { planDemand, startDemandDriver } from './demand-driver.js';
import type { DemoEndpoints } from './open-endpoints.js';
import { createRouteReporter } from './route-reporter.js';
import { RouterWatch } from './router-watch.js';
import { repeat } from './scheduling.js';
import type { Session } from './session.js';

const HEALTH_SAMPLE_MS = 1_000;
const PLAIN_SNAPSHOT_MS = 5_000;

/**
 * The running demo: the watched stream into the board (and stdout in --json mode), the demand driver, health
 * sampling and redraws, until the control stops. Returns the last stats sample, taken while still running.
 */
export async function watchUntilStopped(
  session: Session,
  endpoints: DemoEndpoints,
  marketData: MarketData,
  symbols: readonly MarketCode[],
): Promise<StatsSnapshot> {
  const { runtime, mode, board, control, shutdown, emit } = session;
  const { clock } = runtime;
  const timers: (() => void)[] = [];
  const endWatch = new AbortController();
  let stopDriver = (): void => {};
  try {
    let draw = (): void => {};
    if (mode !== 'json') {
      const screen = createTerminalScreen(runtime.stdout, { ansi: mode === 'ansi', rows: () => runtime.stdout.rows });
      if (mode === 'ansi' && runtime.stderr.isTTY === true) {
        session.logger.showInBoard((event) => board.addEvent(event));
      }
      shutdown.add('screen', () => {
        session.logger.showInBoard(undefined);
        screen.close();
      });
      const painter = createPainter(mode === 'ansi' && runtime.color);
      draw = () =>
        screen.draw(
          renderBoard(board.view(), {
            title: endpoints.title,
            hint: endpoints.hint,
            now: clock.now(),
            uptimeMs: clock.monotonic() - session.startedAt,
            width: runtime.stdout.columns ?? 120,
            painter,
          }),
        );
      draw();
      timers.push(repeat(clock, mode === 'ansi' ? session.settings.config.demo.refreshMs : PLAIN_SNAPSHOT_MS, draw));
    }

    const routerWatch = new RouterWatch();
    let last = marketData.stats();
    const sample = (): void => {
      last = marketData.stats();
      const health = marketData.health();
      board.setChannels(channelViews(health, last));
      for (const event of routerWatch.observe(last, health, clock.now())) emit(event);
    };
    sample();
    timers.push(repeat(clock, HEALTH_SAMPLE_MS, sample));

    const driver = startDemandDriver({
      plan: planDemand(symbols, session.settings.backbone.router.hotRequestsPerSecond),
      clock,
      getTicker: (symbol, signal) => marketData.getTicker(symbol, { signal }),
      ...createRouteReporter(board, emit, clock),
    });
    stopDriver = () => driver.stop();

    const watching = (async () => {
      for await (const ticker of marketData.watchTickers(symbols, { signal: endWatch.signal })) {
        board.applyTicker(ticker);
        if (mode === 'json') runtime.stdout.write(`${JSON.stringify(ticker)}\n`);
      }
      if (!control.stopped) control.fail(new Error('the ticker stream ended unexpectedly'));
    })().catch((error: unknown) => {
      if (!control.stopped) control.fail(error);
    });
    shutdown.add('ticker stream', () => watching);

    const durationMs = session.settings.options.durationMs;
    if (durationMs !== undefined) {
      timers.push(repeat(clock, durationMs, () => control.stop(`--duration-ms ${durationMs} elapsed`)));
    }

    await control.whenStopped();
    // Stop asking, then one last sample (and plain snapshot) while the stream is still running.
    stopDriver();
    sample();
    if (mode === 'plain') draw();
    return last;
  } finally {
    stopDriver();
    for (const cancel of timers) cancel();
    endWatch.abort();
  }
}
