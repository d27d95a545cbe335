import { CANDLE_STREAM_KINDS, type MarketCode, type StreamKind, type StreamType } from '@marketdata/domain';
import type { FreshnessConfig } from '../config/backbone-config.js';

/** What is known about one kind+symbol feed. */
export interface Feed {
  lastArrival: number | undefined;
  /** The last REALTIME arrival, the start of the next interval; undefined after a SNAPSHOT. */
  anchor: number | undefined;
  anchorEpoch: number;
  intervalEwmaMs: number | undefined;
  /** Intervals that went into the EWMA. */
  samples: number;
  /** Demand from hot subscriptions and open streams (reference counted). */
  watchers: number;
  wantedSince: number | undefined;
}

interface TradeRhythm {
  lastTradeTimestamp: number;
  intervalEwmaMs: number | undefined;
  samples: number;
}

const EWMA_WEIGHT = 0.2;
/**
 * A rhythm counts as learned after this many intervals: one or two intervals of a quiet market (a burst of two
 * trades, then minutes of nothing) are no basis for calling its silence a stall.
 */
export const LEARNED_AFTER_SAMPLES = 3;

/**
 * The rhythm estimator behind the freshness judge (it has no other user): per kind and symbol, the EWMA of the
 * intervals between REALTIME arrivals within one connection epoch; the same for the connection as a whole (every
 * data arrival of any kind and symbol); and per symbol the EWMA of exchange trade-time deltas seen on any channel's
 * tickers. See the judge's header for the reasons.
 */
export class Rhythms {
  readonly feeds: Readonly<Record<StreamKind, Map<MarketCode, Feed>>> = Object.fromEntries(
    (['ticker', 'trade', 'orderbook', ...CANDLE_STREAM_KINDS] as const).map((kind) => [kind, new Map()]),
  ) as Record<StreamKind, Map<MarketCode, Feed>>;
  /** Every data arrival on the stream, whatever its kind and symbol: is the connection delivering at all? */
  readonly connection: Feed = newFeed(0);
  private readonly trades = new Map<MarketCode, TradeRhythm>();

  constructor(
    private readonly settings: FreshnessConfig,
    private readonly maxSymbols: number,
  ) {}

  arrival(kind: StreamKind, symbol: MarketCode, at: number, streamType: StreamType | undefined, epoch: number): void {
    this.record(this.feed(kind, symbol, epoch), at, streamType, epoch);
    this.record(this.connection, at, streamType, epoch);
  }

  tradeTime(symbol: MarketCode, tradeTimestamp: number): void {
    const rhythm = this.trades.get(symbol);
    if (rhythm === undefined) {
      this.trades.set(symbol, { lastTradeTimestamp: tradeTimestamp, intervalEwmaMs: undefined, samples: 0 });
      if (this.trades.size > this.maxSymbols) forgetOldest(this.trades, () => true);
      return;
    }
    if (!(tradeTimestamp > rhythm.lastTradeTimestamp)) return;
    const delta = tradeTimestamp - rhythm.lastTradeTimestamp;
    rhythm.intervalEwmaMs =
      rhythm.intervalEwmaMs === undefined ? delta : EWMA_WEIGHT * delta + (1 - EWMA_WEIGHT) * rhythm.intervalEwmaMs;
    rhythm.samples++;
    rhythm.lastTradeTimestamp = tradeTimestamp;
  }

  /** Whether the symbol's rhythm rests on enough intervals (its own arrivals, or trade times on any channel). */
  isLearned(kind: StreamKind, symbol: MarketCode, feed: Feed | undefined): boolean {
    if ((feed?.samples ?? 0) >= LEARNED_AFTER_SAMPLES) return true;
    return kind !== 'orderbook' && (this.trades.get(symbol)?.samples ?? 0) >= LEARNED_AFTER_SAMPLES;
  }

  /** The connection's own expected interval between data frames (any kind, any symbol). */
  connectionExpectedMs(): number {
    return this.clamp(this.connection.intervalEwmaMs ?? this.settings.defaultExpectedIntervalMs);
  }

  /** The arrival EWMA, else the trade-time EWMA (not for order books: they move without trades), else the default. */
  expectedMs(kind: StreamKind, symbol: MarketCode, feed: Feed | undefined): number {
    const { defaultExpectedIntervalMs } = this.settings;
    const fromTrades = kind === 'orderbook' ? undefined : this.trades.get(symbol)?.intervalEwmaMs;
    return this.clamp(feed?.intervalEwmaMs ?? fromTrades ?? defaultExpectedIntervalMs);
  }

  clamp(expectedMs: number): number {
    const { minExpectedIntervalMs, maxExpectedIntervalMs } = this.settings;
    return Math.min(maxExpectedIntervalMs, Math.max(minExpectedIntervalMs, expectedMs));
  }

  /** The one stale limit: `max(minStaleMs, staleFactor x expected)`. */
  limitMs(expectedMs: number): number {
    return Math.max(this.settings.minStaleMs, this.settings.staleFactor * expectedMs);
  }

  watch(kind: StreamKind, symbols: readonly MarketCode[], now: number, epoch: number): () => void {
    for (const symbol of symbols) {
      const feed = this.feed(kind, symbol, epoch);
      if (feed.watchers++ === 0) feed.wantedSince = now;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      for (const symbol of symbols) {
        const feed = this.feeds[kind].get(symbol);
        if (feed === undefined || feed.watchers === 0) continue;
        if (--feed.watchers === 0) feed.wantedSince = undefined;
      }
    };
  }

  private feed(kind: StreamKind, symbol: MarketCode, epoch: number): Feed {
    const feeds = this.feeds[kind];
    let feed = feeds.get(symbol);
    if (feed === undefined) {
      feed = newFeed(epoch);
      feeds.set(symbol, feed);
      if (feeds.size > this.maxSymbols) forgetOldest(feeds, (old) => old.watchers === 0);
    }
    return feed;
  }

  private record(feed: Feed, at: number, streamType: StreamType | undefined, epoch: number): void {
    feed.lastArrival = feed.lastArrival === undefined ? at : Math.max(feed.lastArrival, at);
    if (streamType === 'SNAPSHOT') {
      feed.anchor = undefined;
      return;
    }
    const anchor = feed.anchor;
    if (anchor !== undefined && feed.anchorEpoch === epoch && at > anchor) {
      const sample = Math.min(at - anchor, this.settings.maxExpectedIntervalMs);
      feed.intervalEwmaMs =
        feed.intervalEwmaMs === undefined ? sample : EWMA_WEIGHT * sample + (1 - EWMA_WEIGHT) * feed.intervalEwmaMs;
      feed.samples++;
    }
    feed.anchor = at;
    feed.anchorEpoch = epoch;
  }
}

function newFeed(epoch: number): Feed {
  return {
    lastArrival: undefined,
    anchor: undefined,
    anchorEpoch: epoch,
    intervalEwmaMs: undefined,
    samples: 0,
    watchers: 0,
    wantedSince: undefined,
  };
}

/** Forgets the entry created longest ago that may be forgotten (a watched feed never is). */
function forgetOldest<V>(map: Map<MarketCode, V>, forgettable: (value: V) => boolean): void {
  for (const [symbol, value] of map) {
    if (!forgettable(value)) continue;
    map.delete(symbol);
    return;
  }
}
