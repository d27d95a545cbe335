import {
  type Candle,
  type CandleStreamKind,
  type ChannelTicker,
  DataValidationError,
  isCandleStreamKind,
  type OrderBook,
  type StreamKind,
  type Trade,
  UpstreamError,
} from '@marketdata/domain';
import { mayHoldUnsafeIntegers, parseJsonExact } from '../../shared/exact-json.js';
import { readUpbitErrorBody } from '../../shared/upbit-error-body.js';
import { mapCandleFrame } from './candle-mapper.js';
import { describeJsonValue, type MapResult } from './frame-validation.js';
import { mapOrderBookFrame } from './orderbook-mapper.js';
import { mapTickerFrame } from './ticker-mapper.js';
import { readTickerFrame } from './ticker-reader.js';
import { mapTradeFrame } from './trade-mapper.js';
import { readTradeFrame } from './trade-reader.js';
import { ID_LITERAL_READERS, TICKER_NAMES, TRADE_NAMES } from './wire-names.js';

/** What a refused frame looked like: a data kind, unparseable JSON, or JSON of no known shape. */
export type WebSocketMalformedKind = StreamKind | 'json' | 'unknown';

/** One decoded WebSocket frame: a record of a known kind, or a malformed frame with the reason. */
export type DecodedWebSocketFrame =
  | { readonly kind: 'ticker'; readonly value: ChannelTicker }
  | { readonly kind: 'trade'; readonly value: Trade }
  | { readonly kind: 'orderbook'; readonly value: OrderBook }
  /** A candle of one of Upbit's candle types (`candle.1s`, `candle.1m`, … `candle.240m`). */
  | { readonly kind: CandleStreamKind; readonly value: Candle }
  /** A heartbeat answer, `{"status":"UP"}`. */
  | { readonly kind: 'status'; readonly status: string }
  /** Upbit refused the request (`{"error":{"name":"INVALID_PARAM",...}}`); the server closes with 1000 next. */
  | { readonly kind: 'error'; readonly error: UpstreamError }
  | {
      readonly kind: 'malformed';
      readonly frameKind: WebSocketMalformedKind;
      readonly error: DataValidationError;
      /** The start of the frame's text, for a log line. */
      readonly sample: string;
      readonly clues: MalformedClues;
    };

/** What an unusable frame still says about itself, read from its text (a cut frame keeps its first fields). */
export interface MalformedClues {
  /** The `type`/`ty` it names. */
  readonly kind: StreamKind | undefined;
  /** The `code`/`cd` it names (as written; not checked). */
  readonly code: string | undefined;
  /** A trade's `prev_closing_price`/`pcp`, the same on every trade of a market until the day changes. */
  readonly prevClose: number | undefined;
}

const CLUE_TYPE = /"(?:ty|type)":"(ticker|trade|orderbook)"/;
const CLUE_CODE = /"(?:cd|code)":"([A-Z0-9]+-[A-Z0-9]+)"/;
// Only a whole number counts: a frame cut inside it leaves digits not followed by `,` or `}`.
const CLUE_PREV_CLOSE = /"(?:pcp|prev_closing_price)":(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)[,}]/;

function cluesOf(text: string): MalformedClues {
  const prevClose = CLUE_PREV_CLOSE.exec(text)?.[1];
  return {
    kind: CLUE_TYPE.exec(text)?.[1] as StreamKind | undefined,
    code: CLUE_CODE.exec(text)?.[1],
    prevClose: prevClose === undefined ? undefined : Number(prevClose),
  };
}

const SAMPLE_CHARS = 300;

function sampleOf(text: string): string {
  return text.length > SAMPLE_CHARS ? `${text.slice(0, SAMPLE_CHARS)}…` : text;
}

function malformed(frameKind: WebSocketMalformedKind, error: DataValidationError, text: string): DecodedWebSocketFrame {
  return { kind: 'malformed', frameKind, error, sample: sampleOf(text), clues: cluesOf(text) };
}

function fromResult<K extends StreamKind, T>(kind: K, result: MapResult<T>, text: string): DecodedWebSocketFrame {
  return result.ok ? ({ kind, value: result.value } as DecodedWebSocketFrame) : malformed(kind, result.error, text);
}

function decodeObject(
  raw: Readonly<Record<string, unknown>>,
  receivedAt: number,
  receivedAtMonotonic: number,
  text: string,
): DecodedWebSocketFrame {
  // The format is read from the frame itself (`type` is DEFAULT, `ty` is SIMPLE), not from what was requested.
  const simple = !('type' in raw) && 'ty' in raw;
  const type = simple ? raw.ty : raw.type;
  switch (type) {
    case 'ticker':
      return fromResult('ticker', mapTickerFrame(raw, simple, receivedAt, receivedAtMonotonic), text);
    case 'trade':
      return fromResult('trade', mapTradeFrame(raw, simple, receivedAt, receivedAtMonotonic), text);
    case 'orderbook':
      return fromResult('orderbook', mapOrderBookFrame(raw, simple, receivedAt, receivedAtMonotonic), text);
    default:
      if (isCandleStreamKind(type)) {
        return fromResult(type, mapCandleFrame(raw, simple, receivedAt, receivedAtMonotonic), text);
      }
      break;
  }
  if ('error' in raw) {
    const body = readUpbitErrorBody(raw);
    if (body !== undefined) {
      const name = body.name ?? 'UNKNOWN';
      return {
        kind: 'error',
        error: new UpstreamError(`Upbit WebSocket error ${name}: ${body.message ?? '(no message)'}`, {
          channel: 'websocket',
          operation: 'subscribe',
          upstreamName: body.name,
          upstreamMessage: body.message,
        }),
      };
    }
  }
  if (typeof raw.status === 'string' && type === undefined) return { kind: 'status', status: raw.status };
  const error = new DataValidationError(
    `Frame of unknown shape (type ${type === undefined ? 'missing' : describeJsonValue(type)}): neither data, status nor error`,
    { channel: 'websocket', operation: 'decode', path: simple ? '$.ty' : '$.type', value: type },
  );
  return malformed('unknown', error, text);
}

const NOT_PARSED: unique symbol = Symbol('not parsed');

type Parsed = unknown;

function isObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The hot path, for the kinds that stream at volume: one `JSON.parse` and a one-pass reader (check and map, nothing
 * built in between) for a ticker or trade object. Undefined for anything else, or when the reader refuses a field:
 * the exact path then decodes the message as it always did and says why.
 */
function readHotFrame(
  raw: Readonly<Record<string, unknown>>,
  text: string,
  receivedAt: number,
  receivedAtMonotonic: number,
): DecodedWebSocketFrame | undefined {
  // The format is read from the frame itself (`type` is DEFAULT, `ty` is SIMPLE), not from what was requested.
  const simple = !('type' in raw) && 'ty' in raw;
  const type = simple ? raw.ty : raw.type;
  if (type === 'ticker') {
    const value = readTickerFrame(
      raw,
      simple ? TICKER_NAMES.simple : TICKER_NAMES.default,
      receivedAt,
      receivedAtMonotonic,
    );
    return value === undefined ? undefined : { kind: 'ticker', value };
  }
  if (type === 'trade') {
    const names = simple ? TRADE_NAMES.simple : TRADE_NAMES.default;
    const readIdLiteral = simple ? ID_LITERAL_READERS.simple : ID_LITERAL_READERS.default;
    const value = readTradeFrame(raw, names, readIdLiteral, text, receivedAt, receivedAtMonotonic);
    return value === undefined ? undefined : { kind: 'trade', value };
  }
  return undefined;
}

/**
 * Decodes one WebSocket message (UTF-8 JSON text) and hands each frame to `emit`. DEFAULT and SIMPLE objects are
 * both understood; a JSON array (the `*_LIST` formats) yields one frame per element. Never throws: a frame that
 * cannot be used comes out as `malformed` with the reason. `receivedAt` (wall) and `receivedAtMonotonic` are the
 * times the bytes arrived, stamped by the caller; every record carries both.
 *
 * Two paths with one answer: a ticker or trade object that passes every check takes the hot path (`readHotFrame`);
 * everything else (other kinds, lists, status and error frames, anything refused) takes the exact path: parsed with
 * `parseJsonExact` (reusing the first parse when the text cannot hold an integer beyond 2^53) and validated by the
 * valibot schemas, whose issues name every refused field.
 */
export function decodeWebSocketMessage(
  text: string,
  receivedAt: number,
  receivedAtMonotonic: number,
  emit: (frame: DecodedWebSocketFrame) => void,
): void {
  let plain: Parsed | typeof NOT_PARSED = NOT_PARSED;
  try {
    plain = JSON.parse(text);
  } catch {
    // The exact path reports it.
  }
  if (isObject(plain)) {
    const hot = readHotFrame(plain, text, receivedAt, receivedAtMonotonic);
    if (hot !== undefined) {
      emit(hot);
      return;
    }
  }
  decodeExact(text, plain, receivedAt, receivedAtMonotonic, emit);
}

function decodeExact(
  text: string,
  plain: Parsed | typeof NOT_PARSED,
  receivedAt: number,
  receivedAtMonotonic: number,
  emit: (frame: DecodedWebSocketFrame) => void,
): void {
  let parsed: unknown;
  if (plain !== NOT_PARSED && !mayHoldUnsafeIntegers(text)) parsed = plain;
  else {
    try {
      parsed = parseJsonExact(text, { channel: 'websocket', operation: 'decode' });
    } catch (error) {
      const reason =
        error instanceof DataValidationError
          ? error
          : new DataValidationError(`Malformed JSON: ${String(error)}`, { channel: 'websocket', path: '$' });
      emit(malformed('json', reason, text));
      return;
    }
  }
  const items = Array.isArray(parsed) ? parsed : [parsed];
  for (const item of items) {
    if (typeof item === 'object' && item !== null && !Array.isArray(item)) {
      emit(decodeObject(item as Record<string, unknown>, receivedAt, receivedAtMonotonic, text));
    } else {
      const error = new DataValidationError(`Expected a JSON object per frame, got ${describeJsonValue(item)}`, {
        channel: 'websocket',
        operation: 'decode',
        path: '$',
        value: item,
      });
      emit(malformed('unknown', error, text));
    }
  }
}

/** `decodeWebSocketMessage` collected into an array (tests, tools). */
export function decodeWebSocketFrames(
  text: string,
  receivedAt: number,
  receivedAtMonotonic: number,
): readonly DecodedWebSocketFrame[] {
  const frames: DecodedWebSocketFrame[] = [];
  decodeWebSocketMessage(text, receivedAt, receivedAtMonotonic, (frame) => frames.push(frame));
  return frames;
}
