import { createSeededRandom, type Random } from '@marketdata/domain';
import type { MarketState } from './market-state.js';
import type { BookTop } from './market-types.js';
import { mixSeed, normal } from './random-tools.js';
import { roundToTick, stepTicks } from './tick-size.js';

export const MAX_UNITS = 30;
/** A book level holds about this many average trades (KRW-BTC's recorded books hold ~0.05-0.1 BTC a level). */
const LEVEL_TRADES = 40;

/** A full book, best first on both sides. A zero price and size is a padding slot, as Upbit sends for thin books. */
export interface BookLevels {
  readonly version: number;
  readonly level: number;
  readonly askPrices: Float64Array;
  readonly askSizes: Float64Array;
  readonly bidPrices: Float64Array;
  readonly bidSizes: Float64Array;
}

function round8(value: number): number {
  return Math.max(0.00000001, Math.round(value * 1e8) / 1e8);
}

export function topOf(market: MarketState): BookTop {
  return {
    version: market.bookVersion,
    bestBid: market.bestBid,
    bestAsk: market.bestAsk,
    bestBidSize: market.bestBidSize,
    bestAskSize: market.bestAskSize,
    fair: market.fair,
  };
}

/**
 * Builds the last published book of a market. The levels are a pure function of (seed, market, version,
 * level), so the REST and WebSocket views of one version are identical whatever order they are read in.
 */
export function buildBook(market: MarketState, seed: number, level: number): BookLevels {
  const top = market.publishedTop;
  const random = createSeededRandom(mixSeed(seed, market.index, top.version, level));
  const code = market.info.code;
  const baseSize = (market.notionalPerTrade / Math.max(top.fair, 1e-12)) * LEVEL_TRADES;
  const askPrices = new Float64Array(MAX_UNITS);
  const askSizes = new Float64Array(MAX_UNITS);
  const bidPrices = new Float64Array(MAX_UNITS);
  const bidSizes = new Float64Array(MAX_UNITS);
  if (level === 0) {
    let ask = top.bestAsk;
    let bid = top.bestBid;
    for (let i = 0; i < MAX_UNITS; i++) {
      if (i > 0) {
        ask = stepTicks(code, ask, gap(random));
        bid = stepTicks(code, bid, -gap(random));
      }
      if (i < market.askDepth) {
        askPrices[i] = ask;
        askSizes[i] = i === 0 ? top.bestAskSize : sizeAround(baseSize, random);
      }
      if (i < market.bidDepth && bid > 0) {
        bidPrices[i] = bid;
        bidSizes[i] = i === 0 ? top.bestBidSize : sizeAround(baseSize, random);
      }
    }
    return { version: top.version, level, askPrices, askSizes, bidPrices, bidSizes };
  }
  // Grouped book (`level`): prices on a grid of `level`, asks rounded up and bids down, each group holding about
  // as much as the raw levels it covers.
  const ticksPerGroup = Math.max(1, level / Math.max(top.bestAsk - top.bestBid, 1e-12));
  let ask = Math.ceil(top.bestAsk / level - 1e-9) * level;
  let bid = Math.floor(top.bestBid / level + 1e-9) * level;
  for (let i = 0; i < MAX_UNITS; i++) {
    askPrices[i] = ask;
    askSizes[i] = sizeAround(baseSize * Math.sqrt(ticksPerGroup), random);
    if (bid > 0) {
      bidPrices[i] = bid;
      bidSizes[i] = sizeAround(baseSize * Math.sqrt(ticksPerGroup), random);
    }
    ask += level;
    bid -= level;
  }
  return { version: top.version, level, askPrices, askSizes, bidPrices, bidSizes };
}

function gap(random: Random): number {
  const u = random.next();
  return u < 0.7 ? 1 : u < 0.9 ? 2 : 3 + Math.floor(random.next() * 3);
}

export function sizeAround(base: number, random: Random): number {
  return round8(base * Math.exp(1.1 * normal(random) - 0.6));
}

/** Sets the best quotes around the fair price: a spread of `spreadTicks`, never crossed. */
export function placeTopOfBook(market: MarketState, random: Random): void {
  const code = market.info.code;
  const bid = roundToTick(code, market.fair, 'down');
  const ask = stepTicks(code, bid, market.spreadTicks);
  market.bestBid = bid > 0 ? bid : roundToTick(code, market.fair, 'nearest');
  market.bestAsk = ask;
  const baseSize = (market.notionalPerTrade / Math.max(market.fair, 1e-12)) * LEVEL_TRADES;
  market.bestBidSize = sizeAround(baseSize, random);
  market.bestAskSize = sizeAround(baseSize, random);
}

export function totalOf(sizes: Float64Array, units: number): number {
  let total = 0;
  for (let i = 0; i < units; i++) total += sizes[i] ?? 0;
  return Number(total.toFixed(8));
}
