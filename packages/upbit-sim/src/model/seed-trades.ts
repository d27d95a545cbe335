import { createSeededRandom, type Random } from '@marketdata/domain';
import type { MarketState } from './market-state.js';
import type { TradeSide } from './market-types.js';
import { placeTopOfBook, topOf } from './order-book.js';
import { exponentialGap, mixSeed, normal } from './random-tools.js';
import { roundToTick, stepTicks } from './tick-size.js';

/** Trades per market seeded before the start. */
const SEED_TRADES = 30;

export type VolumeFor = (market: MarketState, price: number, random: Random) => number;

/**
 * Trades from before the start (for /v1/trades/ticks, the first ticker and the first candles), ending at the
 * recorded price, at most a day back, at the market's unscaled trade rate.
 */
export function seedTrades(market: MarketState, seed: number, startWall: number, volumeFor: VolumeFor): void {
  const random = createSeededRandom(mixSeed(seed, market.index, 9));
  const ratePerMs = Math.max(market.tradesPerSecond / Math.max(market.rateScale, 1e-9), 1 / 3600) / 1000;
  const times: number[] = [];
  let t = startWall - Math.floor(random.next() * Math.min(1 / ratePerMs, 600_000));
  for (let i = 0; i < SEED_TRADES && t > startWall - 86_400_000; i++) {
    times.push(Math.floor(t));
    t -= Math.max(1, exponentialGap(random, ratePerMs));
  }
  times.reverse();
  const code = market.info.code;
  let price = market.price;
  const prices: number[] = [];
  for (let i = 0; i < times.length; i++) {
    prices.push(price);
    price = roundToTick(
      code,
      Math.min(market.high, Math.max(market.low, price * Math.exp(market.sigmaPerTrade * normal(random)))),
    );
  }
  prices.reverse();
  placeTopOfBook(market, random);
  for (let i = 0; i < times.length; i++) {
    const p = prices[i] ?? market.price;
    const side: TradeSide = random.next() < 0.5 ? 'BID' : 'ASK';
    market.addHistoricTrade(side, p, volumeFor(market, p, random), times[i] ?? startWall);
  }
  const last = market.lastTrade;
  market.tickerTimestamp =
    last === undefined ? startWall : Math.min(startWall, last.tradeTimestamp + 1 + Math.floor(random.next() * 40));
  market.bookTimestamp = startWall - Math.floor(random.next() * 2000);
  if (last !== undefined) {
    if (last.side === 'BID') market.bestAsk = last.price;
    else market.bestBid = last.price;
    if (market.bestAsk <= market.bestBid) market.bestAsk = stepTicks(code, market.bestBid, market.spreadTicks);
  }
  market.publishedTop = topOf(market);
}
