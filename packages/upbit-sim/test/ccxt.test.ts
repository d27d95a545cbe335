import ccxt from 'ccxt';
import { afterEach, describe, expect, it } from 'vitest';
import { startUpbitSim, type UpbitSim } from '../src/index.js';

/**
 * An off-the-shelf client written against real Upbit (ccxt 4.5.84) works against the simulator with only its
 * base URLs changed (how to point ccxt at a local server: shared/toolchain.md). Real clock, rate limits on.
 */
let sim: UpbitSim | undefined;
let exchange: InstanceType<typeof ccxt.pro.upbit> | undefined;

afterEach(async () => {
  await exchange?.close();
  exchange = undefined;
  await sim?.close();
  sim = undefined;
});

async function connect(): Promise<InstanceType<typeof ccxt.pro.upbit>> {
  sim = await startUpbitSim({ markets: ['KRW-BTC', 'KRW-ETH', 'KRW-XRP', 'BTC-ETH', 'USDT-BTC'], adminPort: false });
  exchange = new ccxt.pro.upbit({
    enableRateLimit: false,
    urls: { api: { public: sim.restUrl, private: sim.restUrl, ws: sim.wsUrl } },
  });
  await exchange.loadHttpProxyAgent();
  return exchange;
}

describe('ccxt against the simulator', () => {
  it('loadMarkets, fetchTicker, fetchTickers, fetchOrderBook, fetchTrades, fetchOHLCV', async () => {
    const ex = await connect();
    const markets = await ex.loadMarkets();
    expect(Object.keys(markets).sort()).toEqual(['BTC/KRW', 'BTC/USDT', 'ETH/BTC', 'ETH/KRW', 'XRP/KRW']);

    const ticker = await ex.fetchTicker('BTC/KRW');
    const state = sim?.control.market('KRW-BTC');
    expect(ticker.symbol).toBe('BTC/KRW');
    expect(ticker.last).toBeGreaterThan(0);
    expect(ticker.open).toBe(state?.openingPrice);
    expect(ticker.timestamp).toBeGreaterThan(0);

    const tickers = await ex.fetchTickers();
    expect(Object.keys(tickers).sort()).toEqual(['BTC/KRW', 'BTC/USDT', 'ETH/BTC', 'ETH/KRW', 'XRP/KRW']);
    const some = await ex.fetchTickers(['ETH/KRW', 'XRP/KRW']);
    expect(Object.keys(some).sort()).toEqual(['ETH/KRW', 'XRP/KRW']);

    const book = await ex.fetchOrderBook('ETH/KRW');
    expect(book.bids.length).toBe(30);
    expect(book.asks.length).toBe(30);
    expect((book.asks[0]?.[0] ?? 0) > (book.bids[0]?.[0] ?? 0)).toBe(true);

    const trades = await ex.fetchTrades('XRP/KRW', undefined, 20);
    expect(trades.length).toBe(20);
    for (const trade of trades) {
      expect(trade.symbol).toBe('XRP/KRW');
      expect(['buy', 'sell']).toContain(trade.side);
      expect(trade.price).toBeGreaterThan(0);
    }

    const candles = await ex.fetchOHLCV('BTC/KRW', '1m', undefined, 5);
    expect(candles.length).toBe(5);
    for (const [time, open, high, low, close] of candles) {
      expect((time ?? 1) % 60_000).toBe(0);
      expect(high).toBeGreaterThanOrEqual(Math.max(open ?? 0, close ?? 0));
      expect(low).toBeLessThanOrEqual(Math.min(open ?? 0, close ?? 0));
    }
    const days = await ex.fetchOHLCV('BTC/KRW', '1d', undefined, 3);
    expect(days.length).toBe(3);
  });

  it('ccxt.pro watchTicker streams tickers over the simulator WebSocket', async () => {
    const ex = await connect();
    const seen: number[] = [];
    for (let i = 0; i < 3; i++) {
      const ticker = await ex.watchTicker('XRP/KRW');
      expect(ticker.symbol).toBe('XRP/KRW');
      seen.push(ticker.last ?? 0);
    }
    expect(seen.every((price) => price > 0)).toBe(true);
    expect(sim?.control.subscriptions().some((s) => s.type === 'ticker' && s.codes.includes('KRW-XRP'))).toBe(true);
  });
});
