import { type Clock, DataValidationError } from '@marketdata/domain';
import { DAY_MS, type IntervalSpec, parseInterval } from '../candles/candle-intervals.js';
import { type CallInput, invalid, quoted, readCallInput, readOptions, readSignal } from './call-input.js';
import type { TradeRequest } from './history-calls.js';

// The options of the facade's other methods, checked before any I/O like the ticker calls' (unknown keys refused
// with our name for the plan's; every bad value a typed `DataValidationError` naming the field).

/** Levels in an Upbit order book at most (REST and WebSocket: up to 30 units). */
export const MAX_BOOK_DEPTH = 30;
/** Trades or candles one call may ask for: Upbit pages them (500 trades, 200 candles) at 10 requests/s per group. */
export const MAX_HISTORY_COUNT = 10_000;
export const DEFAULT_TRADE_COUNT = 100;
export const DEFAULT_CANDLE_COUNT = 200;
/** Upbit's `days_ago` reaches back 7 days (`/v1/trades/ticks`). */
const MAX_DAYS_AGO = 7;

function wholeNumber(value: unknown, path: string, operation: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalid(operation, path, value, `Invalid ${path} ${quoted(value)}: expected a whole number ${min}..${max}`);
  }
  return value;
}

/** An epoch-ms bound: a positive finite number or a valid `Date` after 1970. */
function epochMs(value: unknown, path: string, operation: string): number {
  const ms = value instanceof Date ? value.getTime() : value;
  if (typeof ms === 'number' && Number.isFinite(ms) && ms > 0 && ms <= 8.64e15) return ms;
  throw invalid(operation, path, value, `Invalid ${path} ${quoted(value)}: expected epoch milliseconds or a Date`);
}

export interface BookOptions extends CallInput {
  readonly depth: number | undefined;
}

export function readBookOptions(options: unknown, operation: string): BookOptions {
  const input = readCallInput(options, operation, ['depth']);
  const depth = (options as { readonly depth?: unknown } | undefined | null)?.depth;
  return {
    ...input,
    depth: depth === undefined ? undefined : wholeNumber(depth, 'depth', operation, 1, MAX_BOOK_DEPTH),
  };
}

function two(value: number): string {
  return String(value).padStart(2, '0');
}

/**
 * `to` of a trade query as Upbit takes it: a UTC time of day (`HHmmss`, whole seconds: Upbit's resolution, so the
 * bound is rounded down to its second) on a day `days_ago` back. Upbit counts `days_ago` from the day of the most
 * recent trade; we count from today (UTC) by the injected clock, which is the same day for any market that traded
 * today. Older than 7 days, or ahead of now, is refused.
 */
function tradeBound(to: number, clock: Clock, operation: string): NonNullable<TradeRequest['to']> {
  const today = Math.floor(clock.now() / DAY_MS);
  const day = Math.floor(to / DAY_MS);
  const daysAgo = today - day;
  if (daysAgo < 0 || daysAgo > MAX_DAYS_AGO) {
    const message = `Invalid to ${new Date(to).toISOString()}: Upbit answers trades of today and the ${MAX_DAYS_AGO} days before (UTC)`;
    throw invalid(operation, 'to', to, message);
  }
  const date = new Date(to);
  const time = `${two(date.getUTCHours())}${two(date.getUTCMinutes())}${two(date.getUTCSeconds())}`;
  return { time, daysAgo: daysAgo === 0 ? undefined : daysAgo };
}

export function readTradeOptions(options: unknown, operation: string, clock: Clock): TradeRequest {
  const given = readOptions(options, operation, ['count', 'cursor', 'to', 'signal']);
  const count =
    given.count === undefined
      ? DEFAULT_TRADE_COUNT
      : wholeNumber(given.count, 'count', operation, 1, MAX_HISTORY_COUNT);
  if (given.cursor !== undefined && given.to !== undefined) {
    const message = 'Give cursor or to, not both: a cursor already says where the page starts';
    throw invalid(operation, 'cursor', given.cursor, message);
  }
  let cursor: string | undefined;
  if (given.cursor !== undefined) {
    const text = typeof given.cursor === 'bigint' ? given.cursor.toString() : given.cursor;
    if (typeof text !== 'string' || !/^\d{1,30}$/.test(text)) {
      const message = `Invalid cursor ${quoted(given.cursor)}: expected a trade's sequentialId (decimal text)`;
      throw invalid(operation, 'cursor', given.cursor, message);
    }
    cursor = text;
  }
  const to = given.to === undefined ? undefined : tradeBound(epochMs(given.to, 'to', operation), clock, operation);
  return { count, cursor, to, signal: readSignal(given.signal, operation) };
}

export interface CandleOptions {
  readonly interval: IntervalSpec;
  readonly count: number;
  readonly to: number | undefined;
  readonly signal: AbortSignal | undefined;
}

export function readCandleOptions(options: unknown, operation: string): CandleOptions {
  const given = readOptions(options, operation, ['interval', 'count', 'to', 'signal']);
  if (given.interval === undefined) {
    throw new DataValidationError(`${operation} needs an interval, e.g. { interval: '1m' }`, {
      channel: 'api',
      operation,
      path: 'interval',
      value: undefined,
    });
  }
  return {
    interval: parseInterval(given.interval, operation),
    count:
      given.count === undefined
        ? DEFAULT_CANDLE_COUNT
        : wholeNumber(given.count, 'count', operation, 1, MAX_HISTORY_COUNT),
    to: given.to === undefined ? undefined : epochMs(given.to, 'to', operation),
    signal: readSignal(given.signal, operation),
  };
}

export interface MarketsOptions {
  readonly details: boolean;
  readonly signal: AbortSignal | undefined;
}

export function readMarketsOptions(options: unknown, operation: string): MarketsOptions {
  const given = readOptions(options, operation, ['details', 'signal']);
  if (given.details !== undefined && typeof given.details !== 'boolean') {
    throw invalid(
      operation,
      'details',
      given.details,
      `Invalid details ${quoted(given.details)}: expected true or false`,
    );
  }
  return { details: given.details === true, signal: readSignal(given.signal, operation) };
}

export interface WatchCandleOptions {
  /** Closed candles of REST history to start the series with (the open one comes on top). */
  readonly history: number;
  readonly signal: AbortSignal | undefined;
}

export const DEFAULT_WATCH_HISTORY = 200;

export function readWatchCandleOptions(options: unknown, operation: string): WatchCandleOptions {
  const given = readOptions(options, operation, ['history', 'signal']);
  return {
    history:
      given.history === undefined
        ? DEFAULT_WATCH_HISTORY
        : wholeNumber(given.history, 'history', operation, 0, MAX_HISTORY_COUNT),
    signal: readSignal(given.signal, operation),
  };
}
