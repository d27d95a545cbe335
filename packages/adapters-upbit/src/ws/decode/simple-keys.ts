/**
 * SIMPLE-format abbreviations of the DEFAULT field names, for the fields the mappers read (SIMPLE-FORMAT.md).
 * Note `td` (trade) versus `tdt` (ticker) for `trade_date`: the mappers read `trade_timestamp`, not the date texts,
 * so neither appears here.
 */
export type KeyTable = Readonly<Record<string, string>>;

export const TICKER_SIMPLE_KEYS = {
  type: 'ty',
  code: 'cd',
  opening_price: 'op',
  high_price: 'hp',
  low_price: 'lp',
  trade_price: 'tp',
  prev_closing_price: 'pcp',
  change: 'c',
  signed_change_price: 'scp',
  signed_change_rate: 'scr',
  trade_volume: 'tv',
  acc_trade_volume: 'atv',
  acc_trade_volume_24h: 'atv24h',
  acc_trade_price: 'atp',
  acc_trade_price_24h: 'atp24h',
  trade_timestamp: 'ttms',
  ask_bid: 'ab',
  acc_ask_volume: 'aav',
  acc_bid_volume: 'abv',
  highest_52_week_price: 'h52wp',
  highest_52_week_date: 'h52wdt',
  lowest_52_week_price: 'l52wp',
  lowest_52_week_date: 'l52wdt',
  market_state: 'ms',
  is_trading_suspended: 'its',
  delisting_date: 'dd',
  market_warning: 'mw',
  timestamp: 'tms',
  stream_type: 'st',
} as const satisfies KeyTable;

export const TRADE_SIMPLE_KEYS = {
  type: 'ty',
  code: 'cd',
  trade_price: 'tp',
  trade_volume: 'tv',
  ask_bid: 'ab',
  prev_closing_price: 'pcp',
  change: 'c',
  change_price: 'cp',
  trade_timestamp: 'ttms',
  timestamp: 'tms',
  sequential_id: 'sid',
  best_ask_price: 'bap',
  best_ask_size: 'bas',
  best_bid_price: 'bbp',
  best_bid_size: 'bbs',
  stream_type: 'st',
} as const satisfies KeyTable;

export const ORDERBOOK_SIMPLE_KEYS = {
  type: 'ty',
  code: 'cd',
  total_ask_size: 'tas',
  total_bid_size: 'tbs',
  orderbook_units: 'obu',
  timestamp: 'tms',
  level: 'lv',
  stream_type: 'st',
} as const satisfies KeyTable;

/**
 * Candle frames (`candle.1s` … `candle.240m`): Upbit's documented SIMPLE keys. No real candle frame (DEFAULT or
 * SIMPLE) has been recorded, so these rest on the docs alone.
 */
export const CANDLE_SIMPLE_KEYS = {
  type: 'ty',
  code: 'cd',
  candle_date_time_utc: 'cdttmu',
  opening_price: 'op',
  high_price: 'hp',
  low_price: 'lp',
  trade_price: 'tp',
  candle_acc_trade_volume: 'catv',
  candle_acc_trade_price: 'catp',
  timestamp: 'tms',
  stream_type: 'st',
} as const satisfies KeyTable;

export const ORDERBOOK_UNIT_SIMPLE_KEYS = {
  ask_price: 'ap',
  bid_price: 'bp',
  ask_size: 'as',
  bid_size: 'bs',
} as const satisfies KeyTable;

/** Copies the listed SIMPLE fields under their DEFAULT names (only what the mapper reads; extras are left out). */
export function expandSimpleKeys(raw: Readonly<Record<string, unknown>>, table: KeyTable): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const full in table) {
    const short = table[full] as string;
    if (short in raw) out[full] = raw[short];
  }
  return out;
}

/** The wire name of a DEFAULT field in the frame's format, so errors name what was actually received. */
export function wireKey(table: KeyTable, full: string, simple: boolean): string {
  return simple ? (table[full] ?? full) : full;
}
