import { fixtureLines, fixtureText, pythonReprToJson } from '@marketdata/fixtures';

/**
 * Frames for the local test server, built from recorded real payloads: the fixture object with its code, stream
 * type and (for trades) sequential id replaced. Nothing else is invented.
 */
export type FrameKind = 'ticker' | 'trade' | 'orderbook';
export type FrameFormat = 'DEFAULT' | 'SIMPLE';

type Template = Record<string, unknown>;

function parseObject(text: string): Template {
  const parsed: unknown = JSON.parse(text);
  const value = Array.isArray(parsed) ? parsed[0] : parsed;
  return value as Template;
}

const templates: Record<FrameFormat, Record<FrameKind, Template>> = {
  DEFAULT: {
    ticker: parseObject(fixtureText('ws-ticker-default.json')),
    trade: parseObject(fixtureText('ws-trade-json-list-docs.json')),
    orderbook: parseObject(fixtureText('ws-orderbook-default-snapshot.json')),
  },
  SIMPLE: {
    ticker: parseObject(pythonReprToJson(fixtureLines('ws-ticker-simple-2019-pyrepr.txt')[0] ?? '')),
    trade: parseObject(pythonReprToJson(fixtureText('ws-trade-simple-2019-pyrepr.txt'))),
    orderbook: parseObject(fixtureText('ws-orderbook-simple.json')),
  },
};

export interface FrameOverrides {
  readonly streamType?: 'SNAPSHOT' | 'REALTIME';
  /** Trade only: the exact decimal text of `sequential_id`. */
  readonly sequentialId?: string;
  /** Ticker/trade `trade_price`, for telling frames apart. */
  readonly price?: number;
}

export function frameText(kind: FrameKind, format: FrameFormat, code: string, overrides: FrameOverrides = {}): string {
  const simple = format === 'SIMPLE';
  const frame: Template = { ...templates[format][kind] };
  frame[simple ? 'cd' : 'code'] = code;
  frame[simple ? 'st' : 'stream_type'] = overrides.streamType ?? 'REALTIME';
  if (overrides.price !== undefined && kind !== 'orderbook') frame[simple ? 'tp' : 'trade_price'] = overrides.price;
  if (kind !== 'trade') return JSON.stringify(frame);
  frame[simple ? 'sid' : 'sequential_id'] = '__SID__';
  return JSON.stringify(frame).replace('"__SID__"', overrides.sequentialId ?? '17303368620470000');
}
