import {
  type Candle,
  type CandleQuery,
  type CandleSource,
  type ChannelTicker,
  ChannelUnavailableError,
  type Clock,
  ClosedError,
  createDeadline,
  type Logger,
  type Market,
  type MarketCode,
  type MarketDataError,
  type MarketListSource,
  type OrderBook,
  parseMarketCode,
  type RequestOptions,
  type SymbolResult,
  sleep,
  type TickerSource,
  TimeoutError,
  type Trade,
  type TradeQuery,
  toMarketDataError,
  type WatchOptions,
} from '@marketdata/domain';
import type { FleetSubjects, RpcMethod } from '../subjects.js';
import { decodeReply, encodeRequest, type RpcRequests, type RpcValues } from '../wire/rpc.js';
import type { FleetLink } from './fleet-connection.js';
import { FleetMarketDirectory } from './fleet-directory.js';

/**
 * Records per request/reply answer at most: about 0.35 MB of candles or 0.3 MB of trades, well inside NATS' default
 * 1 MiB `max_payload`. Larger asks are paged here.
 */
export const PAGE_RECORDS = 1_000;

export interface FleetRestSettings {
  /** One request's own timeout (also sent to the gateway, which gives up after it). */
  readonly requestTimeoutMs: number;
  /** `watchTickers` polls this often (each poll is one request through the gateway's budget). */
  readonly pollIntervalMs: number;
  readonly marketListTtlMs: number;
}

export interface FleetRestOptions extends FleetRestSettings {
  readonly connection: FleetLink;
  readonly subjects: FleetSubjects;
  readonly clock: Clock;
  readonly logger: Logger;
}

/**
 * The REST-style calls through the fleet gateway's request/reply: every call spends the gateway's one paced budget
 * (and its ticker batching), never this process's own. The records are the gateway's REST records, provenance kept
 * (`source: 'rest'`, the gateway's `latencyMs` and receive times). No retries here: the gateway's REST source retries
 * within the deadline, and a gateway that is not there answers at once (`ChannelUnavailableError`, no responders).
 * There is no fallback to Upbit: it would spend a budget the fleet shares without knowing it.
 */
export class FleetRestSource implements TickerSource, CandleSource, MarketListSource {
  readonly channel = 'rest' as const;
  readonly directory: FleetMarketDirectory;
  private readonly lifetime = new AbortController();
  private closed: Promise<void> | undefined;

  constructor(private readonly options: FleetRestOptions) {
    options.connection.take();
    this.directory = new FleetMarketDirectory({
      refreshMs: options.marketListTtlMs,
      retryAfterFailureMs: 5_000,
      clock: options.clock,
      logger: options.logger,
      load: (signal) => this.call('getMarkets', {}, signal),
      lifetime: this.lifetime.signal,
    });
  }

  getTicker(symbol: MarketCode, options: RequestOptions = {}): Promise<ChannelTicker> {
    return this.call('getTicker', { symbol: parseMarketCode(symbol) }, options.signal);
  }

  async getTickers(
    symbols: readonly MarketCode[],
    options: RequestOptions = {},
  ): Promise<readonly SymbolResult<ChannelTicker>[]> {
    const invalid = new Map<number, MarketDataError>();
    const codes: MarketCode[] = [];
    symbols.forEach((symbol, index) => {
      try {
        codes.push(parseMarketCode(symbol));
      } catch (error) {
        invalid.set(index, toMarketDataError(error, { channel: 'rest', operation: 'getTickers' }));
      }
    });
    const unique = [...new Set(codes)];
    const results = unique.length === 0 ? [] : await this.call('getTickers', { symbols: unique }, options.signal);
    const bySymbol = new Map(results.map((result) => [result.symbol, result]));
    return symbols.map((symbol, index): SymbolResult<ChannelTicker> => {
      const error = invalid.get(index);
      if (error !== undefined) return { symbol, ok: false, error };
      return (
        bySymbol.get(symbol) ?? {
          symbol,
          ok: false,
          error: new ChannelUnavailableError(`the gateway's answer left out ${symbol}`, {
            reason: 'incomplete-answer',
            channel: 'rest',
            symbol,
          }),
        }
      );
    });
  }

  getOrderBook(symbol: MarketCode, options: RequestOptions = {}): Promise<OrderBook> {
    return this.call('getOrderBook', { symbol: parseMarketCode(symbol) }, options.signal);
  }

  /**
   * Upbit's paging and history parameters travel as given; the gateway's REST source honours or refuses them. More
   * than `PAGE_RECORDS` trades are asked for in pages (each continuing from the oldest trade had, by `cursor`), so
   * that no answer outgrows the NATS server's `max_payload`.
   */
  async getTrades(symbol: MarketCode, options: TradeQuery = {}): Promise<readonly Trade[]> {
    const code = parseMarketCode(symbol);
    const { count, to, daysAgo, signal } = options;
    let cursor = options.cursor;
    if (count === undefined || !(count > PAGE_RECORDS)) {
      return this.call('getTrades', { symbol: code, count, cursor, to, daysAgo }, signal);
    }
    const trades: Trade[] = [];
    while (trades.length < count) {
      const want = Math.min(PAGE_RECORDS, count - trades.length);
      const page = await this.call('getTrades', { symbol: code, count: want, cursor, to, daysAgo }, signal);
      trades.push(...page);
      const oldest = page.at(-1);
      if (page.length < want || oldest === undefined) break;
      cursor = oldest.sequentialId;
    }
    return trades;
  }

  /** More than `PAGE_RECORDS` candles are asked for in pages walking `to` back (newest first, no overlap). */
  async getCandles(symbol: MarketCode, query: CandleQuery): Promise<readonly Candle[]> {
    const code = parseMarketCode(symbol);
    const { interval, count, signal } = query;
    if (count === undefined || !(count > PAGE_RECORDS)) {
      return this.call('getCandles', { symbol: code, interval, count, to: query.to }, signal);
    }
    const candles: Candle[] = [];
    let to = query.to;
    while (candles.length < count) {
      const want = Math.min(PAGE_RECORDS, count - candles.length);
      const page = await this.call('getCandles', { symbol: code, interval, count: want, to }, signal);
      candles.push(...page);
      const oldest = page.at(-1);
      if (page.length < want || oldest === undefined) break;
      to = oldest.openTime;
    }
    return candles;
  }

  async getMarkets(options: RequestOptions = {}): Promise<readonly Market[]> {
    await this.directory.ready(options);
    const list = this.directory.markets();
    if ('markets' in list) return list.markets;
    throw list.error ?? new ClosedError('fleet REST source', { channel: 'rest', operation: 'getMarkets' });
  }

  /**
   * Paced polling through the gateway (`getTickers` every `pollIntervalMs`), yielding a ticker when its exchange
   * time moved: the fallback the facade uses when the stream refuses. Ends with the signal or `close()`.
   */
  async *watchTickers(
    symbols: readonly MarketCode[],
    options: WatchOptions = {},
  ): AsyncIterableIterator<ChannelTicker> {
    const codes = [...new Set(symbols.map((symbol) => parseMarketCode(symbol)))];
    const lastSeen = new Map<MarketCode, number>();
    const deadline = createDeadline(this.options.clock, undefined, () => undefined, [
      options.signal,
      this.lifetime.signal,
    ]);
    try {
      while (!deadline.signal.aborted) {
        const results = await this.getTickers(codes, { signal: deadline.signal });
        for (const result of results) {
          if (!result.ok || lastSeen.get(result.symbol) === result.value.exchangeTimestamp) continue;
          lastSeen.set(result.symbol, result.value.exchangeTimestamp);
          yield result.value;
        }
        await sleep(this.options.clock, this.options.pollIntervalMs, deadline.signal);
      }
    } catch (error) {
      if (!deadline.signal.aborted) throw error;
    } finally {
      deadline.dispose();
    }
  }

  close(): Promise<void> {
    this.closed ??= (async () => {
      this.lifetime.abort(new ClosedError('fleet REST source', { channel: 'rest' }));
      await this.options.connection.release();
    })();
    return this.closed;
  }

  private async call<M extends RpcMethod>(
    method: M,
    args: RpcRequests[M],
    signal: AbortSignal | undefined,
  ): Promise<RpcValues[M]> {
    if (this.lifetime.signal.aborted)
      throw new ClosedError('fleet REST source', { channel: 'rest', operation: method });
    const { connection, subjects, clock, requestTimeoutMs } = this.options;
    if (connection.isDown) {
      throw new ChannelUnavailableError(`NATS connection down: ${method} cannot reach the fleet gateway`, {
        reason: 'nats-down',
        channel: 'rest',
        operation: method,
      });
    }
    const deadline = createDeadline(
      clock,
      requestTimeoutMs,
      () =>
        new TimeoutError(`${method} through the fleet gateway timed out`, {
          timeoutMs: requestTimeoutMs,
          channel: 'rest',
          operation: method,
        }),
      [signal, this.lifetime.signal],
    );
    try {
      const reply = await connection.request(
        subjects.rpc(method),
        encodeRequest<M>(args, requestTimeoutMs),
        requestTimeoutMs,
        deadline.signal,
      );
      const decoded = decodeReply(method, reply.data, reply.arrivedAtMonotonic);
      if (!decoded.ok) throw decoded.error;
      return decoded.value;
    } finally {
      deadline.dispose();
    }
  }
}
