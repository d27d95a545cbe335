import { type IntegerLiteralReader, integerLiteralReader } from '../../shared/exact-json.js';
import { TICKER_SIMPLE_KEYS, TRADE_SIMPLE_KEYS } from './simple-keys.js';

/**
 * The wire names a frame reader looks its fields up by, per format: DEFAULT spells `trade_price`, SIMPLE `tp`. One
 * reader serves both formats by reading through one of these tables, so nothing is copied to expand SIMPLE keys.
 */
export type WireNames<Table> = { readonly [K in keyof Table]: string };

function defaultNames<Table extends Readonly<Record<string, string>>>(table: Table): WireNames<Table> {
  return Object.fromEntries(Object.keys(table).map((key) => [key, key])) as WireNames<Table>;
}

export type TickerWireNames = WireNames<typeof TICKER_SIMPLE_KEYS>;
export type TradeWireNames = WireNames<typeof TRADE_SIMPLE_KEYS>;

export const TICKER_NAMES: { readonly default: TickerWireNames; readonly simple: TickerWireNames } = {
  default: defaultNames(TICKER_SIMPLE_KEYS),
  simple: TICKER_SIMPLE_KEYS,
};

export const TRADE_NAMES: { readonly default: TradeWireNames; readonly simple: TradeWireNames } = {
  default: defaultNames(TRADE_SIMPLE_KEYS),
  simple: TRADE_SIMPLE_KEYS,
};

/** Readers of the trade id's exact digits from a frame's text, by format. */
export const ID_LITERAL_READERS: { readonly default: IntegerLiteralReader; readonly simple: IntegerLiteralReader } = {
  default: integerLiteralReader(TRADE_NAMES.default.sequential_id),
  simple: integerLiteralReader(TRADE_NAMES.simple.sequential_id),
};
