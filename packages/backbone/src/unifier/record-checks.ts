import type { Candle, OrderBook, Trade } from '@marketdata/domain';
import type { QualityIssue } from './quality-checks.js';

// Data checks of the values other than tickers, run once per value before it is graded. Each needs nothing but the
// value: a book must not be empty or crossed, a trade's price and volume must be positive, a candle's open and close
// must lie within its low and high. What Upbit sends for a market with no order at all on one side is not on
// record; an empty side is flagged rather than trusted.

function inconsistent(note: string): QualityIssue {
  return { kind: 'inconsistent-record', note };
}

export function checkOrderBook(book: OrderBook): QualityIssue[] {
  const best = book.levels[0];
  if (best === undefined) return [inconsistent('the order book has no levels')];
  const issues: QualityIssue[] = [];
  if (!(best.askPrice > 0) || !(best.bidPrice > 0)) {
    issues.push({ kind: 'non-positive-price', note: `best ask ${best.askPrice} / bid ${best.bidPrice} not positive` });
  } else if (best.bidPrice >= best.askPrice) {
    issues.push(inconsistent(`crossed book: best bid ${best.bidPrice} >= best ask ${best.askPrice}`));
  }
  return issues;
}

export function checkTrades(trades: readonly Trade[]): QualityIssue[] {
  const bad = trades.filter((trade) => !(trade.price > 0) || !(trade.volume > 0));
  if (bad.length === 0) return [];
  const first = bad[0] as Trade;
  return [
    {
      kind: 'non-positive-price',
      note: `${bad.length} trade(s) with a non-positive price or volume (first: ${first.sequentialId}, price ${first.price}, volume ${first.volume})`,
    },
  ];
}

/** One issue for the whole list (with the first bad candle's time), never one per candle. */
export function checkCandles(candles: readonly Candle[]): QualityIssue[] {
  const bad = candles.filter(
    (candle) =>
      !(candle.low > 0) ||
      !(candle.low <= candle.open && candle.open <= candle.high) ||
      !(candle.low <= candle.close && candle.close <= candle.high),
  );
  if (bad.length === 0) return [];
  const first = bad[0] as Candle;
  return [
    inconsistent(
      `${bad.length} candle(s) whose open or close lies outside [low, high] or whose low is not positive (first at ${new Date(first.openTime).toISOString()})`,
    ),
  ];
}
