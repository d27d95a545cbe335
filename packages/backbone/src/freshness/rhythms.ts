import { CANDLE_STREAM_KINDS, type MarketCode, type StreamKind, type StreamType } from '@marketdata/domain';
import type { FreshnessConfig } from '../config/backbone-config.js';

/** What is known about one kind+symbol feed. */
export interface Feed {
  lastArrival: number | undefined;
  /** The last REALTIME arrival, the start of the next interval; undefined after a SNAPSHOT. */
  anchor: number | undefined;
  anchorEpoch: number;
  intervalEwmaMs: number | undefined;
  /** Demand from hot subscriptions and open streams (reference counted). */
  watchers: number;
  wantedSince: number | undefined;
}

interface TradeRhythm {
  lastTradeTimestamp: number;
  intervalEwmaMs: number | undefined;
}

const EWMA_WEIGHT = 0.2;

/**
 * The rhythm estimator behind the freshness judge (it has no other user): per kind and symbol, the EWMA of the
 * intervals between REALTIME arrivals within one connection epoch, and per symbol the EWMA of exchange trade-time
 * deltas seen on any channel's tickers. See the judge's header for the reasons.
 */
export class Rhythms {
  readonly feeds: Readonly<Record<StreamKind, Map<MarketCode, Feed>>> = Object.fromEntries(
    (['ticker', 'trade', 'orderbook', ...CANDLE_STREAM_KINDS] as const).map((kind) => [kind, new Map()]),
  ) as Record<StreamKind, Map<MarketCode, Feed>>;
  private readonly trades = new Map<MarketCode, TradeRhythm>();

  constructor(
    private readonly settings: FreshnessConfig,
    private readonly maxSymbols: number,
  ) {}

  arrival(kind: StreamKind, symbol: MarketCode, at: number, streamType: StreamType | undefined, epoch: number): void {
    const feed = this.feed(kind, symbol, epoch);
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
    }
    feed.anchor = at;
    feed.anchorEpoch = epoch;
  }

  tradeTime(symbol: MarketCode, tradeTimestamp: number): void {
    const rhythm = this.trades.get(symbol);
    if (rhythm === undefined) {
      this.trades.set(symbol, { lastTradeTimestamp: tradeTimestamp, intervalEwmaMs: undefined });
      if (this.trades.size > this.maxSymbols) forgetOldest(this.trades, () => true);
      return;
    }
    if (!(tradeTimestamp > rhythm.lastTradeTimestamp)) return;
    const delta = tradeTimestamp - rhythm.lastTradeTimestamp;
    rhythm.intervalEwmaMs =
      rhythm.intervalEwmaMs === undefined ? delta : EWMA_WEIGHT * delta + (1 - EWMA_WEIGHT) * rhythm.intervalEwmaMs;
    rhythm.lastTradeTimestamp = tradeTimestamp;
  }

  /** The arrival EWMA, else the trade-time EWMA (not for order books: they move without trades), else the default. */
  expectedMs(kind: StreamKind, symbol: MarketCode, feed: Feed | undefined): number {
    const { defaultExpectedIntervalMs, minExpectedIntervalMs, maxExpectedIntervalMs } = this.settings;
    const fromTrades = kind === 'orderbook' ? undefined : this.trades.get(symbol)?.intervalEwmaMs;
    const raw = feed?.intervalEwmaMs ?? fromTrades ?? defaultExpectedIntervalMs;
    return Math.min(maxExpectedIntervalMs, Math.max(minExpectedIntervalMs, raw));
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
      feed = {
        lastArrival: undefined,
        anchor: undefined,
        anchorEpoch: epoch,
        intervalEwmaMs: undefined,
        watchers: 0,
        wantedSince: undefined,
      };
      feeds.set(symbol, feed);
      if (feeds.size > this.maxSymbols) forgetOldest(feeds, (old) => old.watchers === 0);
    }
    return feed;
  }
}

/** Forgets the entry created longest ago that may be forgotten (a watched feed never is). */
function forgetOldest<V>(map: Map<MarketCode, V>, forgettable: (value: V) => boolean): void {
  for (const [symbol, value] of map) {
    if (!forgettable(value)) continue;
    map.delete(symbol);
    return;
  }
}
