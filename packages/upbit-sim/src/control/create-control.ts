import type { Clock } from '@marketdata/domain';
import { configError } from '../config-error.js';
import { candleSpec } from '../model/candle-periods.js';
import type { MarketEngine } from '../model/market-engine.js';
import type { RestGroup } from '../options.js';
import type { WsHub } from '../ws/ws-hub.js';
import type { CounterBook } from './counters.js';
import type { FaultState } from './fault-state.js';
import { simCandleOf } from './sim-candle.js';
import type { SimControl } from './sim-control.js';
import type { WsFaults } from './ws-faults.js';

export interface ControlDeps {
  readonly engine: MarketEngine;
  readonly hub: WsHub;
  readonly clock: Clock;
  readonly faults: FaultState;
  readonly wsFaults: WsFaults;
  readonly counters: CounterBook;
  readonly stop: () => Promise<void>;
  readonly start: () => Promise<void>;
  readonly isListening: () => boolean;
}

/** A `control.candles` query covers at most this many periods (a guard against a runaway range). */
const MAX_CANDLE_PERIODS = 1_000_000;
const NOMINAL_MS = { seconds: 1000, minutes: 60_000, days: 86_400_000, weeks: 604_800_000, months: 2.4e9, years: 3e10 };

/** The SimControl of a running simulator. */
export function createControl(deps: ControlDeps): SimControl {
  const { engine, hub, clock, faults, wsFaults, counters } = deps;
  const groupOf = (group: RestGroup | 'all' | undefined): RestGroup | 'all' => group ?? 'all';
  return {
    dropConnections: () => hub.dropAll(),
    resetConnections: () => hub.resetAll(),
    stall: (enabled) => {
      faults.stalled = enabled;
    },
    stallData: (enabled) => {
      faults.dataStalled = enabled;
    },
    setMalformedRatio: (ratio) => faults.setMalformedRatio(ratio),
    setRestLatency: (group, ms) => faults.setLatency(group, ms),
    failRest: (group, status, count, options) => faults.fail(group, status, count, options?.retryAfter),
    hugeBodies: (bytes, count, group) => faults.setHugeBodies(groupOf(group), bytes, count),
    slowBodies: (ms) => faults.setSlowBodies(ms),
    truncateBodies: (count) => faults.setTruncate(count),
    failWsUpgrades: (status, count, options) => wsFaults.failUpgrades(status, count, options?.retryAfter),
    breakWsConnects: (mode, count = Number.POSITIVE_INFINITY) => wsFaults.breakConnects(mode, count),
    rejectSubscriptions: (rejection) =>
      wsFaults.rejectSubscriptions(
        rejection === false
          ? undefined
          : { name: rejection.name, message: rejection.message, close: rejection.close ?? true },
      ),
    freezeMarket: (code, frozen) => engine.freeze(code, frozen),
    jumpPrice: (code, ratio) => {
      engine.jumpPrice(code, ratio);
      hub.onBatchEnd();
    },
    setMarketStatus: (code, patch) => hub.onStatusChange(engine.setStatus(code, patch)),
    stop: deps.stop,
    start: deps.start,
    restart: async () => {
      await deps.stop();
      await deps.start();
    },
    sendWsError: (name, message, sendOptions) => hub.sendError(name, message, sendOptions?.close ?? true),
    counters: () => {
      const snapshot = counters.snapshot();
      const perConnection: Record<string, number> = { ...snapshot.framesPerConnection };
      for (const [id, frames] of hub.liveConnectionFrames()) perConnection[String(id)] = frames;
      return { ...snapshot, framesPerConnection: perConnection };
    },
    resetCounters: () => counters.reset(),
    subscriptions: () => hub.subscriptions(),
    connectionCount: () => hub.connectionCount(),
    market: (code) => {
      const market = engine.get(code);
      if (market === undefined) return undefined;
      market.roll(clock.now());
      return market.view();
    },
    marketCodes: () => engine.codes(),
    candles: (code, interval, from, to) => {
      const market = engine.get(code);
      if (market === undefined) throw configError('code', `Unknown simulator market: ${code}`, code);
      const spec = candleSpec(interval.unit, interval.size ?? 1);
      if (!Number.isFinite(from) || !Number.isFinite(to)) {
        throw configError('range', `from and to must be finite epoch ms, got ${from} and ${to}`);
      }
      const now = clock.now();
      const periods = (Math.min(to, now + 1) - from) / (NOMINAL_MS[spec.unit] * spec.size);
      if (periods > MAX_CANDLE_PERIODS) {
        throw configError('range', `the range covers over ${MAX_CANDLE_PERIODS} ${spec.unit} periods`);
      }
      market.roll(now);
      return engine.history.between(market, spec, from, to, now).map((row) => simCandleOf(code, spec, row));
    },
    isListening: deps.isListening,
  };
}
