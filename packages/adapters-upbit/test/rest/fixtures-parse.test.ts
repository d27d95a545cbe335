import { isDataValidationError, type MarketCode } from '@marketdata/domain';
import { FakeClock } from '@marketdata/domain/testing';
import { fixtureNames, fixtureText } from '@marketdata/fixtures';
import { afterEach, describe, expect, it } from 'vitest';
import { createRestBudgets } from '../../src/rest/http/rest-budgets.js';
import { createUpbitRestSource, type UpbitRestSource } from '../../src/rest/index.js';
import { parseRemainingReq, upbitTickerListSchema } from '../../src/rest/wire.js';
import {
  parseCompactUtcDateTime,
  parseDashedUtcDateTime,
  parseJsonExact,
  parseWithSchema,
} from '../../src/shared/index.js';
import { errorOf, settleWithClock, successOf } from './support/drive-clock.js';
import { fakeUpbitFetch } from './support/fake-upbit-fetch.js';

const code = (text: string): MarketCode => text as MarketCode;

// Every REST fixture is served by a fake fetch under the path it was recorded from, so each goes through the whole
// pipeline: exact JSON parse, valibot schema, mapper.
const servedAt: Readonly<Record<string, string>> = {
  'rest-candles-days-krw-btc-count2.json': '/v1/candles/days',
  'rest-candles-days-krw-btc.json': '/v1/candles/days',
  'rest-candles-minutes-1-krw-btc.json': '/v1/candles/minutes/1',
  'rest-candles-minutes-60-usdt-btc-ccxt.json': '/v1/candles/minutes/60',
  'rest-market-all-details-idr-legacy.json': '/v1/market/all',
  'rest-market-all-details.json': '/v1/market/all',
  'rest-market-all-truncated.txt': '/v1/market/all',
  'rest-market-all.json': '/v1/market/all',
  'rest-orderbook-instruments-krw-btc.json': '/v1/orderbook/instruments',
  'rest-orderbook-krw-btc.json': '/v1/orderbook',
  'rest-ticker-all-quote-krw.json': '/v1/ticker/all',
  'rest-ticker-krw-btc-eth.json': '/v1/ticker',
  'rest-ticker-krw-btc.json': '/v1/ticker',
  'rest-ticker-usdt-btc-ccxt.json': '/v1/ticker',
  'rest-trades-ticks-krw-btc.json': '/v1/trades/ticks',
  'rest-trades-ticks-usdt-btc-ccxt.json': '/v1/trades/ticks',
};
const errorFixtures = fixtureNames('rest-error-');
const headerFixtures = ['rest-headers-examples.txt', 'rest-headers-upbeat-cassettes.txt'];

let source: UpbitRestSource | undefined;
afterEach(async () => {
  await source?.close();
  source = undefined;
});

function serve(name: string, status = 200): { source: UpbitRestSource; clock: FakeClock } {
  return serveText(fixtureText(name), status);
}

function serveText(body: string, status = 200): { source: UpbitRestSource; clock: FakeClock } {
  const clock = new FakeClock();
  const fetch = fakeUpbitFetch(() => ({ status, body }), clock);
  source = createUpbitRestSource({ fetch, clock, maxRetries: 0, budgets: createRestBudgets() });
  return { source, clock };
}

describe('REST fixtures', () => {
  it('covers every REST fixture in the shared folder', () => {
    const covered = new Set([...Object.keys(servedAt), ...errorFixtures, ...headerFixtures]);
    expect(fixtureNames('rest-').filter((name) => !covered.has(name))).toEqual([]);
  });

  it('tickers KRW-BTC, KRW-ETH (byte-exact BigDecimal text): signed change, EVEN market with 0, UTC times', async () => {
    const { source, clock } = serve('rest-ticker-krw-btc-eth.json');
    const [btc, eth] = successOf(await settleWithClock(source.getTickers([code('KRW-BTC'), code('KRW-ETH')]), clock));
    if (!btc?.ok || !eth?.ok) throw new Error('expected both tickers');
    expect(btc.value).toMatchObject({
      symbol: 'KRW-BTC',
      price: 162876000,
      open: 163248000,
      high: 163708000,
      low: 162248000,
      prevClose: 163158000,
      change: 'FALL',
      changePrice: -282000,
      changeRate: -0.001728386,
      lastTradeVolume: 0.02543652,
      dayTurnover: 137728155832.9616,
      dayVolume: 844.94369319,
      turnover24h: 167740032580.71786,
      volume24h: 1029.2736991,
      tradeTimestamp: 1753894995076,
      exchangeTimestamp: 1753894995113,
      high52w: 166800000,
      high52wDate: '2025-07-14',
      low52w: 72100000,
      low52wDate: '2024-08-05',
      source: 'rest',
    });
    // REST tickers carry none of the WebSocket-only fields: undefined, never guessed.
    for (const key of ['askBid', 'accAskVolume', 'accBidVolume', 'marketState', 'tradingSuspended'] as const) {
      expect(btc.value[key]).toBeUndefined();
    }
    expect(btc.value.marketWarning).toBeUndefined();
    expect(btc.value.delistingDate).toBeUndefined();
    expect(eth.value).toMatchObject({
      symbol: 'KRW-ETH',
      change: 'EVEN',
      changePrice: 0,
      changeRate: 0,
      price: 5252000,
      high52w: 5900000,
      high52wDate: '2024-12-16',
      low52w: 2096000,
      low52wDate: '2025-04-09',
    });
    // trade_date/trade_time (no zone) are UTC: they name the same second as trade_timestamp.
    expect(parseCompactUtcDateTime('20250730', '170315')).toBe(Math.floor(btc.value.tradeTimestamp / 1000) * 1000);
  });

  it('ticker KRW-BTC (re-serialized capture)', async () => {
    const { source, clock } = serve('rest-ticker-krw-btc.json');
    const ticker = successOf(await settleWithClock(source.getTicker(code('KRW-BTC')), clock));
    expect(ticker).toMatchObject({
      price: 103493000,
      changePrice: 1076000,
      changeRate: 0.0105060683,
      high52w: 179869000,
      high52wDate: '2025-10-09',
      low52w: 89000000,
      low52wDate: '2026-02-06',
    });
    expect(ticker.dayTurnover).toBe(104890185475.22821);
    expect(ticker.exchangeTimestamp).toBe(1773240058973);
  });

  it('every one of the 244 KRW tickers of /v1/ticker/all parses, with their EVEN markets at 0', async () => {
    const { source } = serve('rest-ticker-all-quote-krw.json');
    const response = await source.client.getTickersByQuote(['KRW']);
    const raw = JSON.parse(fixtureText('rest-ticker-all-quote-krw.json')) as Record<string, unknown>[];
    expect(response.data).toHaveLength(raw.length);
    const even = response.data.filter((ticker) => ticker.change === 'EVEN');
    expect(even.length).toBe(raw.filter((row) => row.change === 'EVEN').length);
    for (const ticker of even) {
      expect(ticker.signed_change_price).toBe(0);
      expect(ticker.signed_change_rate).toBe(0);
    }
    const btc = response.data.find((ticker) => ticker.market === 'KRW-BTC');
    expect(btc?.trade_price).toBe(103458000);
    for (const [index, ticker] of response.data.entries()) {
      expect(ticker.trade_price).toBe(raw[index]?.trade_price);
      expect(ticker.timestamp).toBe(raw[index]?.timestamp);
      expect(ticker.highest_52_week_price).toBe(raw[index]?.highest_52_week_price);
      expect(ticker.highest_52_week_date).toBe(raw[index]?.highest_52_week_date);
      expect(ticker.lowest_52_week_price).toBe(raw[index]?.lowest_52_week_price);
      expect(ticker.lowest_52_week_date).toBe(raw[index]?.lowest_52_week_date);
    }
  });

  it('ccxt-stored ticker (every scalar a JSON string) decodes to numbers', async () => {
    const { source, clock } = serve('rest-ticker-usdt-btc-ccxt.json');
    const ticker = successOf(await settleWithClock(source.getTicker(code('USDT-BTC')), clock));
    expect(ticker).toMatchObject({
      price: 73578.655,
      open: 71126.14598036,
      changePrice: 2452.50901964,
      dayTurnover: 306095.12282935617,
      tradeTimestamp: 1710328237798,
      exchangeTimestamp: 1710328237828,
      high52w: 73831.69765763,
      high52wDate: '2024-03-13',
      low52w: 23936.80694835,
      low52wDate: '2023-03-16',
    });
  });

  it('orderbook KRW-BTC: 30 levels, best first, exponent-form size, level 0', async () => {
    const book = await serve('rest-orderbook-krw-btc.json').source.getOrderBook(code('KRW-BTC'));
    expect(book.levels).toHaveLength(30);
    expect(book.levels[0]).toEqual({ askPrice: 103493000, askSize: 0.04910155, bidPrice: 103460000, bidSize: 0.004 });
    expect(book.levels[28]?.bidSize).toBe(4.843e-5);
    expect(book).toMatchObject({ totalAskSize: 4.17884094, totalBidSize: 2.29686376, grouping: 0 });
    expect(book.exchangeTimestamp).toBe(1773240059027);
  });

  it('orderbook instruments: string tick size and levels become numbers', async () => {
    const { source } = serve('rest-orderbook-instruments-krw-btc.json');
    const response = await source.client.getOrderBookInstruments(['KRW-BTC']);
    expect(response.data).toEqual([
      {
        market: 'KRW-BTC',
        quote_currency: 'KRW',
        tick_size: 1000,
        supported_levels: [0, 10000, 100000, 1000000, 10000000, 100000000],
      },
    ]);
  });

  it('trades KRW-BTC: sequential_id exact, timestamp consistent with the UTC date/time fields', async () => {
    const [trade] = await serve('rest-trades-ticks-krw-btc.json').source.getTrades(code('KRW-BTC'));
    expect(trade).toMatchObject({
      symbol: 'KRW-BTC',
      price: 103460000,
      volume: 0.004,
      side: 'ASK',
      sequentialId: '17732400590950000',
      prevClose: 102417000,
      changePrice: 1043000,
      tradeTimestamp: 1773240059095,
      exchangeTimestamp: 1773240059095,
    });
    expect(trade?.change).toBeUndefined(); // REST trades carry no direction
    expect(parseDashedUtcDateTime('2026-03-11', '14:40:59')).toBe(Math.floor(1773240059095 / 1000) * 1000);
  });

  it('ccxt-stored trades: an odd sequential_id beyond 2^53 stays exact', async () => {
    const [trade] = await serve('rest-trades-ticks-usdt-btc-ccxt.json').source.getTrades(code('USDT-BTC'));
    expect(trade?.sequentialId).toBe('17103275719220001');
    expect(trade?.price).toBe(73249.665);
    expect(trade?.tradeTimestamp).toBe(1710327571922);
    expect(trade?.changePrice).toBe(2123.51901964);
  });

  it('a REST trade below the previous close keeps its negative change_price (as in the 2026 capture)', async () => {
    const text = fixtureText('rest-trades-ticks-krw-btc.json')
      .replace('"trade_price": 103460000.0', '"trade_price": 102193000.0')
      .replace('"change_price": 1043000.0', '"change_price": -224000.0');
    const { source, clock } = serveText(text);
    const [trade] = successOf(await settleWithClock(source.getTrades(code('KRW-BTC')), clock));
    expect(trade).toMatchObject({ price: 102193000, prevClose: 102417000, changePrice: -224000 });
  });

  it('minute candles: candle_date_time_utc read as UTC', async () => {
    const [candle] = await serve('rest-candles-minutes-1-krw-btc.json').source.getCandles(code('KRW-BTC'), {
      interval: { unit: 'minutes', size: 1 },
    });
    expect(candle).toMatchObject({
      openTime: Date.UTC(2026, 2, 11, 14, 40),
      open: 103600000,
      high: 103600000,
      low: 103425000,
      close: 103460000,
      volume: 1.5933512,
      turnover: 164899503.14206,
      exchangeTimestamp: 1773240059132,
      lastTradeTimestamp: 1773240059132,
      interval: { unit: 'minutes', size: 1 },
    });
    // Minute candles carry none of the day/week fields.
    expect([candle?.prevClose, candle?.changePrice, candle?.changeRate, candle?.firstDayOfPeriod]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('60-minute candles stored by ccxt as strings', async () => {
    const [candle] = await serve('rest-candles-minutes-60-usdt-btc-ccxt.json').source.getCandles(code('USDT-BTC'), {
      interval: { unit: 'minutes', size: 60 },
    });
    expect(candle).toMatchObject({
      openTime: Date.UTC(2024, 2, 13, 11),
      open: 72738.58583492,
      high: 73578.657,
      low: 72738.58583492,
      close: 73578.655,
      volume: 0.02284923,
      turnover: 1669.08358949,
      lastTradeTimestamp: 1710328237828,
      interval: { unit: 'minutes', size: 60 },
    });
  });

  it('day candles (byte-exact capture): two days, newest first, days start 00:00 UTC', async () => {
    const candles = await serve('rest-candles-days-krw-btc-count2.json').source.getCandles(code('KRW-BTC'), {
      interval: { unit: 'days', size: 1 },
      count: 2,
    });
    expect(candles.map((candle) => candle.openTime)).toEqual([Date.UTC(2025, 6, 29), Date.UTC(2025, 6, 28)]);
    expect(candles[0]).toMatchObject({
      open: 162483000,
      high: 163800000,
      low: 162034000,
      close: 163158000,
      volume: 1487.53432374,
      turnover: 242634976840.02426,
      lastTradeTimestamp: 1753833599704,
      prevClose: 162483000,
      changePrice: 675000,
      changeRate: 0.0041542808,
      firstDayOfPeriod: undefined,
    });
    // A day below the previous close: the day candle's change is signed.
    expect(candles[1]).toMatchObject({
      volume: 1461.59937798,
      prevClose: 162717000,
      changePrice: -234000,
      changeRate: -0.0014380796,
    });
  });

  it('day candle (re-serialized capture)', async () => {
    const [candle] = await serve('rest-candles-days-krw-btc.json').source.getCandles(code('KRW-BTC'), {
      interval: { unit: 'days', size: 1 },
    });
    expect(candle).toMatchObject({
      openTime: Date.UTC(2026, 2, 11),
      volume: 1024.30999241,
      prevClose: 102417000,
      changePrice: 1043000,
      changeRate: 0.0101838562,
    });
  });

  it('market list without details', async () => {
    const markets = await serve('rest-market-all.json').source.getMarkets();
    expect(markets).toHaveLength(5);
    expect(markets[0]).toEqual({
      symbol: 'BTC-BERA',
      quote: 'BTC',
      base: 'BERA',
      koreanName: '베라체인',
      englishName: 'Berachain',
      warning: false,
      cautions: [],
      eventSource: 'none',
    });
  });

  it('market list with market_event details', async () => {
    const markets = await serve('rest-market-all-details.json').source.getMarkets();
    expect(markets.map((market) => [market.symbol, market.warning, market.cautions, market.eventSource])).toEqual([
      ['KRW-BTC', false, [], 'market_event'],
      ['KRW-AERGO', true, [], 'market_event'],
      ['KRW-ZIL', true, ['GLOBAL_PRICE_DIFFERENCES'], 'market_event'],
      ['BTC-SIGN', false, ['GLOBAL_PRICE_DIFFERENCES'], 'market_event'],
    ]);
  });

  it('Upbit Indonesia market list: legacy market_warning, no korean_name', async () => {
    const markets = await serve('rest-market-all-details-idr-legacy.json').source.getMarkets();
    expect(markets.map((market) => [market.symbol, market.warning, market.koreanName, market.eventSource])).toEqual([
      ['BTC-ZIL', true, '', 'market_warning'],
      ['BTC-SIGN', false, '', 'market_warning'],
    ]);
  });

  it('the docs-truncated market list gives DataValidationError at $', async () => {
    const { source, clock } = serve('rest-market-all-truncated.txt');
    const error = errorOf(await settleWithClock(source.getMarkets(), clock));
    expect(isDataValidationError(error)).toBe(true);
    expect(error).toMatchObject({ path: '$', channel: 'rest', operation: 'getMarkets' });
  });

  it.each(errorFixtures)('%s keeps Upbit name and message', async (name) => {
    const status = Number(/rest-error-(\d{3})/.exec(name)?.[1]);
    const body = JSON.parse(fixtureText(name)) as { error: { name: string | number; message: string } };
    const { source, clock } = serve(name, status);
    const error = errorOf(await settleWithClock(source.client.getTickers(['KRW-BTC']), clock));
    if (status === 429) {
      expect(error).toMatchObject({ name: 'RateLimitError', group: 'ticker' });
      expect((error as Error).message).toContain(body.error.message);
    } else {
      expect(error).toMatchObject({ upstreamName: body.error.name });
      if (status !== 401) expect(error).toMatchObject({ status, upstreamMessage: body.error.message });
    }
    if (name.includes('code-not-found')) expect(error).toMatchObject({ name: 'UnknownSymbolError', symbol: 'KRW-BTC' });
  });

  it.each(headerFixtures)('every Remaining-Req line of %s parses', (name) => {
    const lines = fixtureText(name)
      .split('\n')
      .filter((line) => /^remaining-req:/i.test(line));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      const value = line.slice(line.indexOf(':') + 1).trim();
      const parsed = parseRemainingReq(value);
      expect(parsed?.group).toBe(/group=([\w-]+)/.exec(value)?.[1]);
      expect(parsed?.sec).toBe(Number(/sec=(\d+)/.exec(value)?.[1]));
    }
  });

  it('a mistyped field names its path and value', () => {
    const text = fixtureText('rest-ticker-krw-btc-eth.json').replace(
      '"trade_price":5252000.00000000',
      '"trade_price":"abc"',
    );
    expect(() =>
      parseWithSchema(upbitTickerListSchema, parseJsonExact(text), { channel: 'rest', operation: 'getTickers' }),
    ).toThrowError(expect.objectContaining({ path: '$[1].trade_price', value: 'abc' }));
  });
});
