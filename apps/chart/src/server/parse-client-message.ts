import { DataValidationError, parseMarketCode } from '@marketdata/domain';
import { isChartInterval } from '../protocol/intervals.js';
import { type ClientMessage, MAX_OLDER_CANDLES } from '../protocol/messages.js';

/** Longest text frame a page may send; its messages are a few dozen bytes. */
export const MAX_CLIENT_MESSAGE_BYTES = 1_024;

function invalid(path: string, value: unknown, message: string): DataValidationError {
  return new DataValidationError(`page message: ${message}`, {
    channel: 'api',
    operation: 'page message',
    path,
    value,
  });
}

function field(record: Readonly<Record<string, unknown>>, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

function nonNegativeInteger(record: Readonly<Record<string, unknown>>, key: string): number {
  const value = field(record, key);
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw invalid(key, value, `${key} must be a non-negative integer`);
  }
  return value;
}

/**
 * Reads one text frame from a page. Anything else than the two known messages, exactly spelled, throws a
 * `DataValidationError` naming the field; the connection stays open and the page is told (a page is not trusted).
 */
export function parseClientMessage(text: string): ClientMessage {
  if (text.length > MAX_CLIENT_MESSAGE_BYTES) {
    throw invalid('', text.length, `longer than ${MAX_CLIENT_MESSAGE_BYTES} characters`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalid('', text.slice(0, 60), 'not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw invalid('', parsed, 'expected a JSON object');
  }
  const record = parsed as Readonly<Record<string, unknown>>;
  const type = field(record, 't');
  const selection = nonNegativeInteger(record, 'selection');
  switch (type) {
    case 'select': {
      const interval = field(record, 'interval');
      if (!isChartInterval(interval)) throw invalid('interval', interval, 'unknown interval');
      let symbol: string;
      try {
        symbol = parseMarketCode(field(record, 'symbol'));
      } catch (error) {
        throw invalid('symbol', field(record, 'symbol'), error instanceof Error ? error.message : 'bad market code');
      }
      return { t: 'select', selection, symbol, interval };
    }
    case 'older': {
      const before = nonNegativeInteger(record, 'before');
      const count = nonNegativeInteger(record, 'count');
      if (count < 1 || count > MAX_OLDER_CANDLES) {
        throw invalid('count', count, `count must be 1..${MAX_OLDER_CANDLES}`);
      }
      return { t: 'older', selection, before, count };
    }
    default:
      throw invalid('t', type, 'unknown message type');
  }
}
