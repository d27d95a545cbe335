import { DataValidationError, type MarketCode, parseMarketCode } from '@marketdata/domain';
import type { RequestedSource } from '../router/route-types.js';

// What the facade's methods accept from callers, checked before any I/O: a JavaScript caller can pass anything, and
// every bad value gets a typed `DataValidationError` (or `InvalidMarketCodeError`), never a TypeError.

/** `realtime` = `websocket` and `historical` = `rest`, as the original plan spelled them. */
export type TickerSourceOption = 'auto' | 'rest' | 'websocket' | 'realtime' | 'historical';

const SOURCE_OPTIONS: Readonly<Record<TickerSourceOption, RequestedSource>> = {
  auto: 'auto',
  rest: 'rest',
  websocket: 'websocket',
  realtime: 'websocket',
  historical: 'rest',
};

export interface CallInput {
  readonly requested: RequestedSource;
  /** No stand-in channel: the one asked for, or a typed error. */
  readonly strict: boolean;
  readonly signal: AbortSignal | undefined;
}

function invalid(operation: string, path: string, value: unknown, message: string): DataValidationError {
  return new DataValidationError(message, { channel: 'api', operation, path, value });
}

function requestedSource(source: unknown, operation: string): RequestedSource {
  if (source === undefined) return 'auto';
  if (typeof source === 'string' && Object.hasOwn(SOURCE_OPTIONS, source)) {
    return SOURCE_OPTIONS[source as TickerSourceOption];
  }
  const expected = Object.keys(SOURCE_OPTIONS).join(', ');
  throw invalid(operation, 'source', source, `Invalid source ${quoted(source)}: expected one of ${expected}`);
}

/** An `AbortSignal`, or anything shaped like one (a polyfill's); checked so a bad value never reaches a source. */
function isSignalLike(value: unknown): value is AbortSignal {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Record<'aborted' | 'addEventListener' | 'removeEventListener', unknown>>;
  return (
    typeof candidate.aborted === 'boolean' &&
    typeof candidate.addEventListener === 'function' &&
    typeof candidate.removeEventListener === 'function'
  );
}

/** A call's options as an object: `undefined` and `null` mean none; anything else must be an object. */
function optionsObject(
  options: unknown,
  operation: string,
): { readonly source?: unknown; readonly strict?: unknown; readonly signal?: unknown } {
  if (options === undefined || options === null) return {};
  if (typeof options !== 'object') {
    throw invalid(operation, 'options', options, `${operation} options must be an object, got ${typeof options}`);
  }
  return options;
}

function readSignal(signal: unknown, operation: string): AbortSignal | undefined {
  if (signal === undefined || isSignalLike(signal)) return signal;
  throw invalid(operation, 'signal', signal, `Invalid signal ${quoted(signal)}: expected an AbortSignal`);
}

function readStrict(strict: unknown, operation: string): boolean {
  if (strict === undefined || typeof strict === 'boolean') return strict === true;
  throw invalid(operation, 'strict', strict, `Invalid strict ${quoted(strict)}: expected true or false`);
}

/** Reads `{ source, strict, signal }` of a ticker call. */
export function readCallInput(options: unknown, operation: string): CallInput {
  const given = optionsObject(options, operation);
  return {
    requested: requestedSource(given.source, operation),
    strict: readStrict(given.strict, operation),
    signal: readSignal(given.signal, operation),
  };
}

/** Reads `{ signal }` of an order book or trade stream (they have no source choice). */
export function readStreamSignal(options: unknown, operation: string): AbortSignal | undefined {
  return readSignal(optionsObject(options, operation).signal, operation);
}

/**
 * Upbit lists under a thousand markets; a list far longer than that is a bug in the caller (or a sparse array with a
 * huge length), refused before the facade walks it.
 */
export const MAX_SYMBOLS_PER_CALL = 100_000;

/** The list argument of `getTickers`/`watch*`: an array (possibly sparse; holes read as `undefined`). */
export function readSymbolList(symbols: unknown, operation: string): readonly unknown[] {
  if (!Array.isArray(symbols)) {
    throw invalid(operation, 'symbols', symbols, `${operation} expects an array of symbols`);
  }
  const list = symbols as readonly unknown[];
  if (list.length > MAX_SYMBOLS_PER_CALL) {
    const message = `${operation} takes at most ${MAX_SYMBOLS_PER_CALL} symbols, got ${list.length}`;
    throw invalid(operation, 'symbols', `array of ${list.length}`, message);
  }
  return Array.from(list);
}

/** Distinct validated codes of a `watch*` list; an empty list or any bad code throws, before anything subscribes. */
export function parseWatchSymbols(symbols: unknown, operation: string): MarketCode[] {
  const list = readSymbolList(symbols, operation);
  if (list.length === 0) throw invalid(operation, 'symbols', symbols, `${operation} needs at least one symbol`);
  return [...new Set(list.map((symbol) => parseMarketCode(symbol)))];
}

/** The caller's input as a string for echoing back, whatever it is (null prototypes and throwing `toString`s too). */
export function echoValue(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

function quoted(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : echoValue(value);
}
