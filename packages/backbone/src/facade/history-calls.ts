import {
  type Candle,
  type CandleQuery,
  ChannelUnavailableError,
  type Clock,
  type MarketCode,
  type Provenance,
  type Trade,
  type TradeQuery,
} from '@marketdata/domain';
import type { IntervalSpec } from '../candles/candle-intervals.js';
import type { Grade } from '../unifier/grade-record.js';
import type { QualityIssue } from '../unifier/quality-checks.js';
import { checkCandles, checkTrades } from '../unifier/record-checks.js';
import type { Unifier } from '../unifier/unifier.js';
import type { CandleList, GradedTimes, TradeList } from './market-data-results.js';
import { type RestCallDeps, restCall } from './rest-call.js';

/** The REST source's history methods the facade uses, when it has them. */
export interface HistorySource {
  readonly getTrades?: ((symbol: MarketCode, query?: TradeQuery) => Promise<readonly Trade[]>) | undefined;
  readonly getCandles?: ((symbol: MarketCode, query: CandleQuery) => Promise<readonly Candle[]>) | undefined;
}

export interface HistoryCallsOptions {
  readonly deps: RestCallDeps;
  readonly clock: Clock;
  readonly rest: HistorySource;
  readonly unifier: Unifier;
}

export interface TradeRequest {
  readonly count: number;
  /** `sequential_id` text: trades before this one. */
  readonly cursor: string | undefined;
  /** Upbit's `to` (UTC time of day) and `days_ago`, already derived from the caller's epoch bound. */
  readonly to: { readonly time: string; readonly daysAgo: number | undefined } | undefined;
  readonly signal: AbortSignal | undefined;
}

export interface CandleRequest {
  readonly interval: IntervalSpec;
  readonly count: number;
  readonly to: number | undefined;
  readonly signal: AbortSignal | undefined;
}

/**
 * `getTrades` and `getCandles`: answered by REST only (the WebSocket has no history), through `restCall` (market
 * list first, the channel's health, one deadline). The REST source pages past Upbit's page size (500 trades, 200
 * candles) with paced requests inside that one deadline; here the list is put in chronological order and graded as
 * one value.
 */
export class HistoryCalls {
  constructor(private readonly options: HistoryCallsOptions) {}

  async trades(symbol: MarketCode, request: TradeRequest): Promise<TradeList> {
    const getTrades = this.require(this.options.rest.getTrades, 'getTrades');
    const query: TradeQuery = {
      count: request.count,
      ...(request.cursor === undefined ? {} : { cursor: request.cursor }),
      ...(request.to === undefined ? {} : { to: request.to.time }),
      ...(request.to?.daysAgo === undefined ? {} : { daysAgo: request.to.daysAgo }),
    };
    const { value, startedAt } = await restCall(this.options.deps, {
      operation: 'getTrades',
      symbol,
      caller: request.signal,
      singleRequest: false,
      fetch: (signal) => getTrades.call(this.options.rest, symbol, { ...query, signal }),
    });
    const trades = [...value].reverse();
    const grade = this.grade(symbol, trades, checkTrades(trades), startedAt);
    return { symbol, trades, nextCursor: trades[0]?.sequentialId, ...grade };
  }

  async candles(symbol: MarketCode, request: CandleRequest): Promise<CandleList> {
    const getCandles = this.require(this.options.rest.getCandles, 'getCandles');
    const { unit, size, name } = request.interval;
    const { value, startedAt } = await restCall(this.options.deps, {
      operation: 'getCandles',
      symbol,
      caller: request.signal,
      singleRequest: request.count <= 200,
      fetch: (signal) =>
        getCandles.call(this.options.rest, symbol, {
          interval: { unit, size },
          count: request.count,
          to: request.to,
          signal,
        }),
    });
    const candles = [...value].sort((a, b) => a.openTime - b.openTime);
    const grade = this.grade(symbol, candles, checkCandles(candles), startedAt);
    return { symbol, interval: name, candles, ...grade };
  }

  private grade(
    symbol: MarketCode,
    records: readonly Provenance[],
    issues: readonly QualityIssue[],
    startedAt: number,
  ): Grade & GradedTimes {
    const { unifier, clock } = this.options;
    const newest = records.at(-1);
    const times: GradedTimes =
      newest === undefined
        ? { exchangeTimestamp: clock.now(), receivedAt: clock.now(), receivedAtMonotonic: clock.monotonic() }
        : {
            exchangeTimestamp: newest.exchangeTimestamp,
            receivedAt: newest.receivedAt,
            receivedAtMonotonic: newest.receivedAtMonotonic,
            latencyMs: newest.latencyMs,
          };
    const grade = unifier.gradeValue(
      { symbol, exchangeTimestamp: times.exchangeTimestamp, issues },
      { servedFrom: 'rest', startedAt },
    );
    return { ...times, ...grade };
  }

  private require<F>(method: F | undefined, operation: string): F {
    if (method !== undefined) return method;
    throw new ChannelUnavailableError(`${operation} needs a REST source with ${operation}`, {
      channel: 'router',
      operation,
      reason: `rest source without ${operation}`,
    });
  }
}
