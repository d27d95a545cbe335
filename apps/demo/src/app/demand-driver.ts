import { setMaxListeners } from 'node:events';
import type { Clock, MarketCode, Ticker, TimerHandle } from '@marketdata/domain';

/**
 * The request pattern the demo drives through `getTicker(symbol)` with source `auto`, so the router has something
 * to decide: a few symbols asked for well above the hot threshold (they should move to WebSocket) and the rest
 * well below it (they should stay on REST or the cache).
 */
export interface DemandPlan {
  readonly hot: readonly MarketCode[];
  readonly cold: readonly MarketCode[];
  readonly hotIntervalMs: number;
  readonly coldIntervalMs: number;
}

const MAX_HOT = 5;

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/** Hot: twice the router's hot threshold. Cold: a quarter of it. Both bounded so Upbit's REST budget is safe. */
export function planDemand(symbols: readonly MarketCode[], hotRequestsPerSecond: number): DemandPlan {
  const hotCount = Math.min(MAX_HOT, Math.ceil(symbols.length / 2));
  const hotIntervalMs = Math.round(clamp(1000 / (2 * hotRequestsPerSecond), 200, 5_000));
  const coldIntervalMs = Math.round(clamp(1000 / (hotRequestsPerSecond / 4), hotIntervalMs * 4, 60_000));
  return { hot: symbols.slice(0, hotCount), cold: symbols.slice(hotCount), hotIntervalMs, coldIntervalMs };
}

/** `1000` → `1/s`, `8000` → `0.13/s`. */
export function demandLabel(intervalMs: number): string {
  const perSecond = 1000 / intervalMs;
  return `${Number.isInteger(perSecond) ? perSecond : perSecond.toFixed(2)}/s`;
}

export interface DemandDriverOptions {
  readonly plan: DemandPlan;
  readonly clock: Clock;
  readonly getTicker: (symbol: MarketCode, signal: AbortSignal) => Promise<Ticker>;
  readonly onResult: (symbol: MarketCode, demand: string, ticker: Ticker) => void;
  readonly onError: (symbol: MarketCode, demand: string, error: unknown) => void;
}

export interface DemandDriver {
  /** Stops scheduling and aborts requests in flight. */
  stop(): void;
}

/**
 * Asks for each group on its own rhythm. All symbols of a group are asked in the same tick (the REST adapter
 * coalesces them into one request); a symbol whose previous request is still in flight is skipped.
 */
export function startDemandDriver(options: DemandDriverOptions): DemandDriver {
  const { plan, clock } = options;
  const lifetime = new AbortController();
  // Every request in flight listens to this signal: up to one per symbol at a time.
  setMaxListeners(plan.hot.length + plan.cold.length + 10, lifetime.signal);
  const inFlight = new Set<MarketCode>();
  const timers = new Set<TimerHandle>();

  const ask = (symbol: MarketCode, demand: string): void => {
    if (inFlight.has(symbol) || lifetime.signal.aborted) return;
    inFlight.add(symbol);
    options.getTicker(symbol, lifetime.signal).then(
      (ticker) => {
        inFlight.delete(symbol);
        if (!lifetime.signal.aborted) options.onResult(symbol, demand, ticker);
      },
      (error: unknown) => {
        inFlight.delete(symbol);
        if (!lifetime.signal.aborted) options.onError(symbol, demand, error);
      },
    );
  };

  const cycle = (symbols: readonly MarketCode[], intervalMs: number): void => {
    if (symbols.length === 0 || lifetime.signal.aborted) return;
    const demand = demandLabel(intervalMs);
    for (const symbol of symbols) ask(symbol, demand);
    const handle = clock.setTimeout(() => {
      timers.delete(handle);
      cycle(symbols, intervalMs);
    }, intervalMs);
    timers.add(handle);
  };

  cycle(plan.hot, plan.hotIntervalMs);
  cycle(plan.cold, plan.coldIntervalMs);

  return {
    stop() {
      lifetime.abort();
      for (const handle of timers) clock.clearTimeout(handle);
      timers.clear();
    },
  };
}
