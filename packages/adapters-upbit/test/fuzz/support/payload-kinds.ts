import { fixtureLines, fixtureText, pythonReprToJson } from '@marketdata/fixtures';
import { firstObjectEnd, type JsonPath, type JsonTree, parseTemplate } from './json-text.js';

/**
 * The payload kinds the fuzz suite attacks, each built from one recorded real payload, with the fields the adapter
 * needs from it. A field listed here is one the decoder reads: a wrong value there must be refused. `optional`
 * fields may be absent, but a present one of the wrong type must still be refused.
 */
export type FieldType =
  /** Any finite number (signed change, rates). */
  | 'number'
  /** Prices, sizes, volumes. */
  | 'nonNegative'
  /** A positive safe integer (epoch ms). */
  | 'epochMs'
  /** A safe integer (candle `unit`). */
  | 'integer'
  /** Trade `sequential_id`: an integer of any size, kept as exact text. */
  | 'exactInteger'
  | 'marketCode'
  /** One of `choices`. */
  | 'choice'
  /** A date/time text; `accepts` is a superset of what the decoder takes. */
  | 'dateText'
  /** Any string (names). */
  | 'text'
  | 'boolean'
  /** An object with required fields of its own (`market_event`). */
  | 'object'
  /** A list of objects with required fields (order book units). */
  | 'list'
  /** The WebSocket frame's `type`/`ty`, whose value picks the decoder. */
  | 'frameType';

export interface FieldRef {
  /** The object holding the field, from the payload root. */
  readonly path: JsonPath;
  /** The key as it appears on the wire (`tp` in SIMPLE, `trade_price` in DEFAULT). */
  readonly key: string;
  readonly type: FieldType;
  readonly optional: boolean;
  readonly choices?: readonly string[];
  readonly accepts?: RegExp;
}

export type Channel = 'rest' | 'ws';
export type RestKindId = 'ticker' | 'orderbook' | 'trade' | 'candle' | 'market';
export type WsKindId = 'ticker' | 'trade' | 'orderbook';
export type WsFormat = 'DEFAULT' | 'SIMPLE';

export interface PayloadKind {
  readonly title: string;
  readonly channel: Channel;
  readonly kind: RestKindId | WsKindId;
  readonly format: WsFormat | undefined;
  /** The recorded payload, exactly as recorded (trimmed). */
  readonly text: string;
  readonly tree: JsonTree;
  readonly fields: readonly FieldRef[];
  /** Objects that may carry unknown extra fields (tolerated and dropped). */
  readonly objects: readonly JsonPath[];
}

const CHANGE = ['RISE', 'EVEN', 'FALL'] as const;
const DASHED_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ASK_BID = ['ASK', 'BID'] as const;
const STREAM_TYPE = ['SNAPSHOT', 'REALTIME'] as const;

interface FieldSpec {
  readonly name: string;
  /** SIMPLE wire name (SIMPLE-FORMAT.md); WebSocket kinds only. */
  readonly simple?: string;
  readonly type: FieldType;
  readonly optional?: boolean;
  readonly choices?: readonly string[];
  readonly accepts?: RegExp;
}

function field(name: string, type: FieldType, extra: Omit<FieldSpec, 'name' | 'type'> = {}): FieldSpec {
  return { name, type, ...extra };
}

function refs(path: JsonPath, specs: readonly FieldSpec[], format: WsFormat | undefined): FieldRef[] {
  return specs.map((spec) => {
    const key = format === 'SIMPLE' ? (spec.simple ?? spec.name) : spec.name;
    return {
      path,
      key,
      type: spec.type,
      optional: spec.optional === true,
      ...(spec.choices === undefined ? {} : { choices: spec.choices }),
      ...(spec.accepts === undefined ? {} : { accepts: spec.accepts }),
    };
  });
}

/** The exact text of the first top-level object of a recorded list. */
function firstObjectText(text: string): string {
  return text.slice(text.indexOf('{'), firstObjectEnd(text) + 1);
}

function kind(
  title: string,
  channel: Channel,
  id: RestKindId | WsKindId,
  format: WsFormat | undefined,
  text: string,
  fields: (tree: JsonTree) => FieldRef[],
  objects: readonly JsonPath[],
): PayloadKind {
  const trimmed = text.trim();
  const tree = parseTemplate(trimmed);
  return { title, channel, kind: id, format, text: trimmed, tree, fields: fields(tree), objects };
}

// ---- REST (`/v1/...` answers are JSON lists) -------------------------------------------------------------------

const REST_TICKER_FIELDS = [
  field('market', 'marketCode'),
  field('trade_timestamp', 'epochMs'),
  field('opening_price', 'nonNegative'),
  field('high_price', 'nonNegative'),
  field('low_price', 'nonNegative'),
  field('trade_price', 'nonNegative'),
  field('prev_closing_price', 'nonNegative'),
  field('change', 'choice', { choices: CHANGE }),
  field('signed_change_price', 'number'),
  field('signed_change_rate', 'number'),
  field('trade_volume', 'nonNegative'),
  field('acc_trade_price', 'nonNegative'),
  field('acc_trade_price_24h', 'nonNegative'),
  field('acc_trade_volume', 'nonNegative'),
  field('acc_trade_volume_24h', 'nonNegative'),
  field('highest_52_week_price', 'nonNegative', { optional: true }),
  field('highest_52_week_date', 'dateText', { accepts: DASHED_DATE, optional: true }),
  field('lowest_52_week_price', 'nonNegative', { optional: true }),
  field('lowest_52_week_date', 'dateText', { accepts: DASHED_DATE, optional: true }),
  field('timestamp', 'epochMs'),
];

const UNIT_FIELDS = [
  field('ask_price', 'nonNegative', { simple: 'ap' }),
  field('bid_price', 'nonNegative', { simple: 'bp' }),
  field('ask_size', 'nonNegative', { simple: 'as' }),
  field('bid_size', 'nonNegative', { simple: 'bs' }),
];

const REST_ORDERBOOK_FIELDS = [
  field('market', 'marketCode'),
  field('timestamp', 'epochMs'),
  field('total_ask_size', 'nonNegative'),
  field('total_bid_size', 'nonNegative'),
  field('orderbook_units', 'list'),
  field('level', 'nonNegative', { optional: true }),
];

const REST_TRADE_FIELDS = [
  field('market', 'marketCode'),
  field('trade_date_utc', 'dateText', { accepts: /^\d{4}-\d{2}-\d{2}$/ }),
  field('trade_time_utc', 'dateText', { accepts: /^\d{2}:\d{2}:\d{2}$/ }),
  field('timestamp', 'epochMs'),
  field('trade_price', 'nonNegative'),
  field('trade_volume', 'nonNegative'),
  field('prev_closing_price', 'nonNegative'),
  field('change_price', 'number'),
  field('ask_bid', 'choice', { choices: ASK_BID }),
  field('sequential_id', 'exactInteger'),
];

const REST_CANDLE_FIELDS = [
  field('market', 'marketCode'),
  field('candle_date_time_utc', 'dateText', { accepts: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?$/ }),
  field('opening_price', 'nonNegative'),
  field('high_price', 'nonNegative'),
  field('low_price', 'nonNegative'),
  field('trade_price', 'nonNegative'),
  field('timestamp', 'epochMs'),
  field('candle_acc_trade_price', 'nonNegative'),
  field('candle_acc_trade_volume', 'nonNegative'),
  field('unit', 'integer', { optional: true }),
  // Day candles only (minute candles, the template, lack them: a wrong one added must still be refused).
  field('prev_closing_price', 'nonNegative', { optional: true }),
  field('change_price', 'number', { optional: true }),
  field('change_rate', 'number', { optional: true }),
  // Week, month and year candles only.
  field('first_day_of_period', 'dateText', { accepts: DASHED_DATE, optional: true }),
];

const REST_MARKET_FIELDS = [
  field('market', 'marketCode'),
  field('english_name', 'text'),
  field('korean_name', 'text', { optional: true }),
  field('market_event', 'object', { optional: true }),
];

function listLength(tree: JsonTree): number {
  return Array.isArray(tree) ? tree.length : 0;
}

/** Order book units to attack: the best level, the next one and the last one. */
function unitIndexes(count: number): readonly number[] {
  return [...new Set([0, 1, count - 1])].filter((index) => index >= 0 && index < count);
}

function unitsOf(tree: JsonTree, path: JsonPath, key: string): number {
  let node: unknown = tree;
  for (const step of [...path, key]) node = (node as Record<string | number, unknown>)[step];
  return Array.isArray(node) ? node.length : 0;
}

export const REST_KINDS: Readonly<Record<RestKindId, PayloadKind>> = {
  ticker: kind(
    'REST ticker',
    'rest',
    'ticker',
    undefined,
    fixtureText('rest-ticker-krw-btc.json'),
    () => refs([0], REST_TICKER_FIELDS, undefined),
    [[0]],
  ),
  orderbook: kind(
    'REST orderbook',
    'rest',
    'orderbook',
    undefined,
    fixtureText('rest-orderbook-krw-btc.json'),
    (tree) => [
      ...refs([0], REST_ORDERBOOK_FIELDS, undefined),
      ...unitIndexes(unitsOf(tree, [0], 'orderbook_units')).flatMap((unit) =>
        refs([0, 'orderbook_units', unit], UNIT_FIELDS, undefined),
      ),
    ],
    [[0], [0, 'orderbook_units', 0]],
  ),
  trade: kind(
    'REST trade',
    'rest',
    'trade',
    undefined,
    fixtureText('rest-trades-ticks-krw-btc.json'),
    () => refs([0], REST_TRADE_FIELDS, undefined),
    [[0]],
  ),
  candle: kind(
    'REST candle',
    'rest',
    'candle',
    undefined,
    fixtureText('rest-candles-minutes-1-krw-btc.json'),
    () => refs([0], REST_CANDLE_FIELDS, undefined),
    [[0]],
  ),
  market: kind(
    'REST market list',
    'rest',
    'market',
    undefined,
    fixtureText('rest-market-all-details.json'),
    (tree) =>
      Array.from({ length: listLength(tree) }, (_, index) => [
        ...refs([index], REST_MARKET_FIELDS, undefined),
        ...refs([index, 'market_event'], [field('warning', 'boolean')], undefined),
      ]).flat(),
    [[0], [3], [1, 'market_event']],
  ),
};

// ---- WebSocket (one frame per message; DEFAULT and SIMPLE) -----------------------------------------------------

const WS_TICKER_FIELDS = [
  field('type', 'frameType', { simple: 'ty', choices: ['ticker'] }),
  field('code', 'marketCode', { simple: 'cd' }),
  field('opening_price', 'nonNegative', { simple: 'op' }),
  field('high_price', 'nonNegative', { simple: 'hp' }),
  field('low_price', 'nonNegative', { simple: 'lp' }),
  field('trade_price', 'nonNegative', { simple: 'tp' }),
  field('prev_closing_price', 'nonNegative', { simple: 'pcp' }),
  field('change', 'choice', { simple: 'c', choices: CHANGE }),
  field('signed_change_price', 'number', { simple: 'scp' }),
  field('signed_change_rate', 'number', { simple: 'scr' }),
  field('trade_volume', 'nonNegative', { simple: 'tv' }),
  field('acc_trade_volume', 'nonNegative', { simple: 'atv' }),
  field('acc_trade_volume_24h', 'nonNegative', { simple: 'atv24h' }),
  field('acc_trade_price', 'nonNegative', { simple: 'atp' }),
  field('acc_trade_price_24h', 'nonNegative', { simple: 'atp24h' }),
  field('trade_timestamp', 'epochMs', { simple: 'ttms' }),
  field('ask_bid', 'choice', { simple: 'ab', choices: ASK_BID, optional: true }),
  field('acc_ask_volume', 'nonNegative', { simple: 'aav', optional: true }),
  field('acc_bid_volume', 'nonNegative', { simple: 'abv', optional: true }),
  field('highest_52_week_price', 'nonNegative', { simple: 'h52wp', optional: true }),
  field('highest_52_week_date', 'dateText', { simple: 'h52wdt', accepts: DASHED_DATE, optional: true }),
  field('lowest_52_week_price', 'nonNegative', { simple: 'l52wp', optional: true }),
  field('lowest_52_week_date', 'dateText', { simple: 'l52wdt', accepts: DASHED_DATE, optional: true }),
  field('market_state', 'text', { simple: 'ms', optional: true }),
  field('is_trading_suspended', 'boolean', { simple: 'its', optional: true }),
  field('market_warning', 'text', { simple: 'mw', optional: true }),
  // `delisting_date` is read too, but null is a valid value of it (none), so the generic wrong values do not fit:
  // its cases are in the decode tests.
  field('timestamp', 'epochMs', { simple: 'tms' }),
  field('stream_type', 'choice', { simple: 'st', choices: STREAM_TYPE, optional: true }),
];

const WS_TRADE_FIELDS = [
  field('type', 'frameType', { simple: 'ty', choices: ['trade'] }),
  field('code', 'marketCode', { simple: 'cd' }),
  field('trade_price', 'nonNegative', { simple: 'tp' }),
  field('trade_volume', 'nonNegative', { simple: 'tv' }),
  field('ask_bid', 'choice', { simple: 'ab', choices: ASK_BID }),
  field('prev_closing_price', 'nonNegative', { simple: 'pcp' }),
  field('change', 'choice', { simple: 'c', choices: CHANGE }),
  field('change_price', 'nonNegative', { simple: 'cp' }),
  field('trade_timestamp', 'epochMs', { simple: 'ttms' }),
  field('timestamp', 'epochMs', { simple: 'tms' }),
  field('sequential_id', 'exactInteger', { simple: 'sid' }),
  field('stream_type', 'choice', { simple: 'st', choices: STREAM_TYPE, optional: true }),
];

const WS_TRADE_BEST_FIELDS = [
  field('best_ask_price', 'nonNegative', { simple: 'bap', optional: true }),
  field('best_ask_size', 'nonNegative', { simple: 'bas', optional: true }),
  field('best_bid_price', 'nonNegative', { simple: 'bbp', optional: true }),
  field('best_bid_size', 'nonNegative', { simple: 'bbs', optional: true }),
];

const WS_ORDERBOOK_FIELDS = [
  field('type', 'frameType', { simple: 'ty', choices: ['orderbook'] }),
  field('code', 'marketCode', { simple: 'cd' }),
  field('total_ask_size', 'nonNegative', { simple: 'tas' }),
  field('total_bid_size', 'nonNegative', { simple: 'tbs' }),
  field('orderbook_units', 'list', { simple: 'obu' }),
  field('timestamp', 'epochMs', { simple: 'tms' }),
  field('level', 'nonNegative', { simple: 'lv', optional: true }),
  field('stream_type', 'choice', { simple: 'st', choices: STREAM_TYPE, optional: true }),
];

function wsTemplates(format: WsFormat): Readonly<Record<WsKindId, string>> {
  return format === 'DEFAULT'
    ? {
        ticker: fixtureText('ws-ticker-default.json'),
        // The docs capture carries the newer best-quote fields; its first frame, exactly as recorded.
        trade: firstObjectText(fixtureText('ws-trade-json-list-docs.json')),
        orderbook: fixtureText('ws-orderbook-default-snapshot.json'),
      }
    : {
        ticker: pythonReprToJson(fixtureLines('ws-ticker-simple-2019-pyrepr.txt')[0] ?? ''),
        trade: pythonReprToJson(fixtureText('ws-trade-simple-2019-pyrepr.txt')),
        orderbook: fixtureText('ws-orderbook-simple.json'),
      };
}

function wsKind(id: WsKindId, format: WsFormat): PayloadKind {
  const text = wsTemplates(format)[id];
  const units = format === 'SIMPLE' ? 'obu' : 'orderbook_units';
  const fieldsOf = (tree: JsonTree): FieldRef[] => {
    if (id === 'ticker') return refs([], WS_TICKER_FIELDS, format);
    if (id === 'trade') {
      const hasBest = typeof tree === 'object' && tree !== null && ('best_ask_price' in tree || 'bap' in tree);
      return refs([], hasBest ? [...WS_TRADE_FIELDS, ...WS_TRADE_BEST_FIELDS] : WS_TRADE_FIELDS, format);
    }
    return [
      ...refs([], WS_ORDERBOOK_FIELDS, format),
      ...unitIndexes(unitsOf(tree, [], units)).flatMap((unit) => refs([units, unit], UNIT_FIELDS, format)),
    ];
  };
  const objects: JsonPath[] = id === 'orderbook' ? [[], [units, 0]] : [[]];
  return kind(`WS ${id} ${format}`, 'ws', id, format, text, fieldsOf, objects);
}

export const WS_FORMATS: readonly WsFormat[] = ['DEFAULT', 'SIMPLE'];
export const WS_KIND_IDS: readonly WsKindId[] = ['ticker', 'trade', 'orderbook'];

export const WS_KINDS: Readonly<Record<WsFormat, Readonly<Record<WsKindId, PayloadKind>>>> = {
  DEFAULT: {
    ticker: wsKind('ticker', 'DEFAULT'),
    trade: wsKind('trade', 'DEFAULT'),
    orderbook: wsKind('orderbook', 'DEFAULT'),
  },
  SIMPLE: {
    ticker: wsKind('ticker', 'SIMPLE'),
    trade: wsKind('trade', 'SIMPLE'),
    orderbook: wsKind('orderbook', 'SIMPLE'),
  },
};

/** The wire name of the market code field of a kind (`market`, `code` or `cd`). */
export function codeKey(kind: PayloadKind): string {
  if (kind.channel === 'rest') return 'market';
  return kind.format === 'SIMPLE' ? 'cd' : 'code';
}
