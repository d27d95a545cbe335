import {
  type ChannelKind,
  type ChannelTicker,
  ChannelUnavailableError,
  type MarketCode,
  type MarketDataError,
  type OrderBook,
  type Ticker,
  type Trade,
} from '@marketdata/domain';
import type { RequestedSource } from '../router/route-types.js';
import { onAbort } from './abort-fanout.js';
import { classify, describeError, remember, streamFigures } from './backbone-parts.js';
import { ConflatingStream } from './conflating-stream.js';
import type { MarketDataParts } from './market-data-parts.js';
import { unlistedSymbols } from './symbol-listing.js';

/** Bookkeeping shared by every open stream: the facade ends them all on close. */
export interface StreamRegistry {
  add(stop: () => void): () => void;
}

interface QueuedTick {
  readonly tick: ChannelTicker;
  readonly arrivedAt: number;
  readonly fallbackFrom: ChannelKind | undefined;
  readonly fallbackReason: string | undefined;
}

/** Links the facade's lifetime and the caller's signal to one stream; returns the stream's own controller. */
function streamController(
  parts: MarketDataParts,
  registry: StreamRegistry,
  signal: AbortSignal | undefined,
  stop: () => void,
): { readonly controller: AbortController; readonly release: () => void } {
  const controller = new AbortController();
  const unregister = registry.add(stop);
  const stopListening = signal === undefined ? () => {} : onAbort(signal, stop);
  parts.stats.streamOpened();
  let released = false;
  return {
    controller,
    release: () => {
      if (released) return;
      released = true;
      unregister();
      stopListening();
      parts.stats.streamClosed();
    },
  };
}

/**
 * Waits for the market list if the symbols' listing depends on a fetch (otherwise goes on in the same synchronous
 * run, so the stream subscribes at once), then returns the error for the first symbol it rules out, if any.
 * Upbit's WebSocket never answers an unlisted code: without this, such a stream would wait forever.
 */
function unlistedFailure(
  parts: MarketDataParts,
  symbols: readonly MarketCode[],
  operation: string,
): Promise<MarketDataError | undefined> | MarketDataError | undefined {
  const check = (): MarketDataError | undefined => unlistedSymbols(parts, symbols, operation).values().next().value;
  const pending = parts.markets.prepare(symbols);
  return pending === undefined ? check() : pending.then(check);
}

/**
 * Tickers for the symbols as an async iterable, conflated per symbol and graded at hand-out. WebSocket when
 * usable, else the REST source's own polling stream. If the WebSocket stream fails for an `auto` stream, it
 * continues on REST (labelled a fallback, counted, logged once per episode); it does not switch back by itself.
 */
export function watchTickerStream(
  parts: MarketDataParts,
  registry: StreamRegistry,
  symbols: readonly MarketCode[],
  requested: RequestedSource,
  signal: AbortSignal | undefined,
): AsyncIterableIterator<Ticker> {
  const [first] = symbols;
  if (first === undefined) throw new Error('watchTickerStream needs at least one symbol');
  const decision = parts.router.route({ symbol: first, kind: 'ticker', operation: 'watch', requested });
  if (decision.channel !== 'rest' && decision.channel !== 'websocket') {
    throw new ChannelUnavailableError(`No channel can stream tickers (${decision.detail})`, {
      channel: 'router',
      operation: 'watchTickers',
      reason: decision.reason,
    });
  }
  let release = (): void => {};
  let controller: AbortController | undefined;
  const stream = new ConflatingStream<QueuedTick, Ticker>({
    keyOf: (item) => item.tick.symbol,
    deliver: (item) => {
      const ticker = parts.unifier.grade(item.tick, {
        servedFrom: item.tick.source,
        startedAt: item.arrivedAt,
        ...streamFigures(parts, item.tick.symbol),
        fallbackFrom: item.fallbackFrom,
        fallbackReason: item.fallbackReason,
      });
      parts.stats.recordDelivered('ticker');
      if (item.fallbackFrom !== undefined) parts.stats.recordFallback(item.fallbackFrom, item.tick.source);
      return ticker;
    },
    onConflated: () => parts.stats.recordConflated(),
    onStop: () => {
      controller?.abort();
      release();
    },
  });
  const link = streamController(parts, registry, signal, () => stream.stop());
  controller = link.controller;
  release = link.release;
  if (signal?.aborted === true || parts.lifetime.aborted) stream.stop();

  const pump = async (): Promise<void> => {
    const stop = link.controller.signal;
    const listing = unlistedFailure(parts, symbols, 'watchTickers');
    const unlisted = listing instanceof Promise ? await listing : listing;
    if (stop.aborted) return stream.end();
    if (unlisted !== undefined) return stream.fail(unlisted);
    let channel: ChannelKind = decision.channel === 'rest' ? 'rest' : 'websocket';
    let fallbackFrom = decision.fallbackFrom;
    let fallbackReason = fallbackFrom === undefined ? undefined : `${decision.reason} (${decision.detail})`;
    if (fallbackFrom !== undefined) {
      parts.episodes.fellBack(fallbackFrom, channel, decision.detail, parts.clock.monotonic());
    }
    for (;;) {
      const source = channel === 'rest' ? parts.rest : parts.websocket;
      if (source === undefined || stop.aborted) break;
      try {
        for await (const tick of source.watchTickers(symbols, { signal: stop })) {
          if (stop.aborted) break;
          parts.unifier.inspect(tick);
          remember(parts, tick);
          parts.markets.noteSeen(tick.symbol);
          stream.push({ tick, arrivedAt: parts.clock.monotonic(), fallbackFrom, fallbackReason });
        }
        stream.end();
        return;
      } catch (raw) {
        if (stop.aborted) break;
        const error = classify(raw, channel, 'watchTickers');
        parts.stats.recordError(error);
        const restUsable = parts.router.channelViews().rest.state !== 'disabled';
        if (channel === 'websocket' && requested === 'auto' && restUsable) {
          parts.episodes.fellBack('websocket', 'rest', describeError(error), parts.clock.monotonic());
          channel = 'rest';
          fallbackFrom = 'websocket';
          fallbackReason = describeError(error);
          continue;
        }
        stream.fail(error);
        return;
      }
    }
    stream.end();
  };
  void pump()
    .catch((error: unknown) => stream.fail(error))
    .finally(() => release());
  return stream;
}

/** Order books for the symbols (WebSocket only), conflated per symbol: a slow consumer gets the latest book. */
export function watchOrderBookStream(
  parts: MarketDataParts,
  registry: StreamRegistry,
  symbols: readonly MarketCode[],
  signal: AbortSignal | undefined,
): AsyncIterableIterator<OrderBook> {
  const websocket = requireWebsocket(parts, symbols, 'orderbook', 'watchOrderBooks');
  let release = (): void => {};
  let controller: AbortController | undefined;
  const stream = new ConflatingStream<OrderBook, OrderBook>({
    keyOf: (book) => book.symbol,
    deliver: (book) => {
      parts.stats.recordDelivered('orderbook');
      return book;
    },
    onConflated: () => parts.stats.recordConflated(),
    onStop: () => {
      controller?.abort();
      release();
    },
  });
  const link = streamController(parts, registry, signal, () => stream.stop());
  controller = link.controller;
  release = link.release;
  if (signal?.aborted === true || parts.lifetime.aborted) stream.stop();
  const pump = async (): Promise<void> => {
    const stop = link.controller.signal;
    if (stop.aborted) return stream.end();
    const listing = unlistedFailure(parts, symbols, 'watchOrderBooks');
    const unlisted = listing instanceof Promise ? await listing : listing;
    if (stop.aborted) return stream.end();
    if (unlisted !== undefined) return stream.fail(unlisted);
    try {
      for await (const book of websocket.watchOrderBooks(symbols, { signal: stop })) {
        if (stop.aborted) break;
        stream.push(book);
      }
      stream.end();
    } catch (raw) {
      if (stop.aborted) return stream.end();
      const error = classify(raw, 'websocket', 'watchOrderBooks');
      parts.stats.recordError(error);
      stream.fail(error);
    }
  };
  void pump().finally(() => release());
  return stream;
}

/**
 * Trades for the symbols (WebSocket only), passed through one by one. Trades are events, not states: conflating
 * them would lose trades, so this stream does not conflate; it pulls from the source only as fast as the consumer
 * reads, and the source's own bounded buffering applies.
 */
export function watchTradeStream(
  parts: MarketDataParts,
  registry: StreamRegistry,
  symbols: readonly MarketCode[],
  signal: AbortSignal | undefined,
): AsyncIterableIterator<Trade> {
  const websocket = requireWebsocket(parts, symbols, 'trade', 'watchTrades');
  let iterator: AsyncIterator<Trade> | undefined;
  let finished = false;
  const done: IteratorReturnResult<undefined> = { done: true, value: undefined };
  // Wakes the pending next() when the stream ends (close, caller abort, return). One waiter per call: racing every
  // next() against one long-lived "ended" promise kept a reaction per trade alive until the end (a leak).
  let wakePending: ((result: IteratorResult<Trade>) => void) | undefined;
  const finish = (): void => {
    if (finished) return;
    finished = true;
    wakePending?.(done);
    link.controller.abort();
    link.release();
    void iterator?.return?.()?.catch(() => undefined);
  };
  const link = streamController(parts, registry, signal, finish);
  if (signal?.aborted === true || parts.lifetime.aborted) finish();
  const stream: AsyncIterableIterator<Trade> = {
    async next(): Promise<IteratorResult<Trade>> {
      if (finished) return done;
      if (iterator === undefined) {
        const listing = unlistedFailure(parts, symbols, 'watchTrades');
        const unlisted = listing instanceof Promise ? await listing : listing;
        if (finished) return done;
        if (unlisted !== undefined) {
          finish();
          throw unlisted;
        }
      }
      iterator ??= websocket.watchTrades(symbols, { signal: link.controller.signal })[Symbol.asyncIterator]();
      try {
        const source = iterator;
        const result = await new Promise<IteratorResult<Trade>>((resolve, reject) => {
          wakePending = resolve;
          source.next().then(resolve, reject);
        }).finally(() => {
          wakePending = undefined;
        });
        if (result.done === true || finished) {
          finish();
          return done;
        }
        parts.stats.recordDelivered('trade');
        return result;
      } catch (raw) {
        const aborted = finished;
        finish();
        if (aborted) return done;
        const error = classify(raw, 'websocket', 'watchTrades');
        parts.stats.recordError(error);
        throw error;
      }
    },
    async return(): Promise<IteratorResult<Trade>> {
      finish();
      return done;
    },
    [Symbol.asyncIterator]() {
      return stream;
    },
  };
  return stream;
}

function requireWebsocket(
  parts: MarketDataParts,
  symbols: readonly MarketCode[],
  kind: 'orderbook' | 'trade',
  operation: string,
) {
  const [first] = symbols;
  if (first === undefined) throw new Error(`${operation} needs at least one symbol`);
  const decision = parts.router.route({ symbol: first, kind, operation: 'watch', requested: 'auto' });
  const websocket = parts.websocket;
  if (decision.channel !== 'websocket' || websocket === undefined) {
    throw new ChannelUnavailableError(`${operation} needs the websocket channel (${decision.detail})`, {
      channel: 'router',
      operation,
      reason: decision.reason,
    });
  }
  return websocket;
}
