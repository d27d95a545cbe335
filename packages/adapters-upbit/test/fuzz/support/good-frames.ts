import type { ChannelTicker, OrderBook, Trade } from '@marketdata/domain';
import { replaceScalar, utf8Bytes } from './json-text.js';
import { WS_KINDS, type WsFormat, type WsKindId } from './payload-kinds.js';

/**
 * Good WebSocket frames for the socket tests: the recorded frame of each kind, exactly as recorded except for its
 * code, `REALTIME` stream type and one field that tags it (ticker price, trade sequential id, book timestamp), so
 * the test can tell which good frames arrived.
 */
export interface GoodFrame {
  readonly kind: WsKindId;
  readonly tag: string;
  readonly text: string;
}

const KEYS: Readonly<Record<WsFormat, Readonly<Record<'code' | 'stream' | 'ticker' | 'trade' | 'orderbook', string>>>> =
  {
    DEFAULT: {
      code: 'code',
      stream: 'stream_type',
      ticker: 'trade_price',
      trade: 'sequential_id',
      orderbook: 'timestamp',
    },
    SIMPLE: { code: 'cd', stream: 'st', ticker: 'tp', trade: 'sid', orderbook: 'tms' },
  };

/** The tagged value for frame number `serial` (unique per test). */
function tagValue(kind: WsKindId, serial: number): string {
  if (kind === 'ticker') return String(1_000_000 + serial);
  if (kind === 'trade') return (17_303_368_620_470_000n + BigInt(serial)).toString();
  return String(1_790_134_742_106 + serial);
}

export function goodFrame(format: WsFormat, kind: WsKindId, code: string, serial: number): GoodFrame {
  const keys = KEYS[format];
  const value = tagValue(kind, serial);
  let text = WS_KINDS[format][kind].text;
  text = replaceScalar(text, keys.code, JSON.stringify(code));
  text = replaceScalar(text, keys.stream, '"REALTIME"');
  text = replaceScalar(text, keys[kind], value);
  return { kind, tag: `${code}:${value}`, text };
}

export function frameBytes(frame: GoodFrame): Uint8Array {
  return utf8Bytes(frame.text);
}

/** The tag of a delivered value, matching `GoodFrame.tag`. */
export function deliveredTag(kind: WsKindId, value: ChannelTicker | Trade | OrderBook): string {
  if (kind === 'ticker') return `${value.symbol}:${(value as ChannelTicker).price}`;
  if (kind === 'trade') return `${value.symbol}:${(value as Trade).sequentialId}`;
  return `${value.symbol}:${value.exchangeTimestamp}`;
}
