import {
  NO_CODES,
  NO_TICKET,
  NO_TYPE,
  simulatorError,
  unsupportedType,
  WRONG_FORMAT,
  type WsErrorFrame,
} from './ws-errors.js';

/** The documented WebSocket candle types. */
export const CANDLE_TYPES = [
  'candle.1s',
  'candle.1m',
  'candle.3m',
  'candle.5m',
  'candle.10m',
  'candle.15m',
  'candle.30m',
  'candle.60m',
  'candle.240m',
] as const;
export type CandleType = (typeof CANDLE_TYPES)[number];
/** The data types a subscription can name. */
export type WsDataType = 'ticker' | 'trade' | 'orderbook' | CandleType;
export const WS_DATA_TYPES: readonly WsDataType[] = ['ticker', 'trade', 'orderbook', ...CANDLE_TYPES];

export function isWsDataType(value: unknown): value is WsDataType {
  return typeof value === 'string' && (WS_DATA_TYPES as readonly string[]).includes(value);
}

export function isCandleType(type: WsDataType): type is CandleType {
  return type.startsWith('candle.');
}
export type WsFormat = 'DEFAULT' | 'SIMPLE' | 'JSON_LIST' | 'SIMPLE_LIST';
export const WS_FORMATS: readonly WsFormat[] = ['DEFAULT', 'SIMPLE', 'JSON_LIST', 'SIMPLE_LIST'];

export interface TypeRequest {
  readonly type: WsDataType;
  /** Codes as sent (orderbook codes may carry a `.N` unit suffix). */
  readonly codes: readonly string[];
  readonly onlySnapshot: boolean;
  readonly onlyRealtime: boolean;
  /** Orderbook price grouping (`level`), 0 = none. */
  readonly level: number;
}

export interface SubscribeRequest {
  readonly ticket: string;
  readonly types: readonly TypeRequest[];
  readonly format: WsFormat;
}

export type ParseResult =
  | { readonly ok: true; readonly request: SubscribeRequest }
  | { readonly ok: false; readonly error: WsErrorFrame };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function flag(entry: Record<string, unknown>, camel: string, snake: string): boolean | undefined {
  const value = entry[camel] ?? entry[snake];
  if (value === undefined || value === null) return false;
  return typeof value === 'boolean' ? value : undefined;
}

/**
 * Parses a subscription request: a JSON array holding a ticket object, type objects and an optional format object
 * (DEFAULT when absent, as observed). Errors map to Upbit's names: not an array -> WRONG_FORMAT, no ticket ->
 * NO_TICKET, no type object -> NO_TYPE, an unsupported type -> INVALID_PARAM, no codes -> NO_CODES.
 */
export function parseSubscribeRequest(text: string): ParseResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, error: WRONG_FORMAT };
  }
  if (!Array.isArray(parsed)) return { ok: false, error: WRONG_FORMAT };
  let ticket: string | undefined;
  let format: WsFormat = 'DEFAULT';
  const typeEntries: Record<string, unknown>[] = [];
  for (const entry of parsed) {
    if (!isObject(entry)) continue;
    if ('ticket' in entry) {
      const value = entry.ticket;
      if (typeof value === 'string' && value.trim() !== '') ticket = value;
    }
    if ('type' in entry) typeEntries.push(entry);
    if ('format' in entry) {
      const value = typeof entry.format === 'string' ? entry.format.toUpperCase() : undefined;
      const known = WS_FORMATS.find((f) => f === value);
      if (known === undefined) {
        return {
          ok: false,
          error: simulatorError('INVALID_PARAM', `upbit-sim: unknown format ${JSON.stringify(entry.format)}`),
        };
      }
      format = known;
    }
  }
  if (ticket === undefined) return { ok: false, error: NO_TICKET };
  if (typeEntries.length === 0) return { ok: false, error: NO_TYPE };
  const types: TypeRequest[] = [];
  for (const entry of typeEntries) {
    const type = entry.type;
    if (!isWsDataType(type)) return { ok: false, error: unsupportedType(String(type)) };
    const codes = entry.codes;
    if (codes === undefined || codes === null || (Array.isArray(codes) && codes.length === 0)) {
      return { ok: false, error: NO_CODES };
    }
    if (!Array.isArray(codes) || !codes.every((code) => typeof code === 'string')) {
      return { ok: false, error: simulatorError('INVALID_PARAM', 'upbit-sim: codes must be an array of strings') };
    }
    const onlySnapshot = flag(entry, 'isOnlySnapshot', 'is_only_snapshot');
    const onlyRealtime = flag(entry, 'isOnlyRealtime', 'is_only_realtime');
    if (onlySnapshot === undefined || onlyRealtime === undefined) {
      return {
        ok: false,
        error: simulatorError('INVALID_PARAM', 'upbit-sim: isOnlySnapshot/isOnlyRealtime must be booleans'),
      };
    }
    const levelValue = entry.level;
    const level = typeof levelValue === 'number' && levelValue >= 0 ? levelValue : 0;
    types.push({ type, codes: codes as string[], onlySnapshot, onlyRealtime, level });
  }
  return { ok: true, request: { ticket, types, format } };
}

/**
 * An orderbook code with an optional unit suffix: `KRW-BTC.5`. Counts 1, 5, 15 and 30 are served; any other count
 * widens back to 30 (observed: `KRW-ETH.20` and `USDT-ETH.2` sent 30 units).
 */
export function splitOrderbookCode(code: string): { readonly code: string; readonly units: number } {
  const dot = code.lastIndexOf('.');
  if (dot < 0) return { code, units: 30 };
  const suffix = code.slice(dot + 1);
  if (!/^\d+$/.test(suffix)) return { code, units: 30 };
  const n = Number(suffix);
  return { code: code.slice(0, dot), units: n === 1 || n === 5 || n === 15 || n === 30 ? n : 30 };
}
