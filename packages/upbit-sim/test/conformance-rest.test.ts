import { fixtureText } from '@marketdata/fixtures';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { closeAll, type Harness, httpGet, startFakeSim } from './helpers.js';
import { compareSpelling, keyPaths, type Shape, type Spelling, shapeOf } from './json-shape.js';

/**
 * Conformance of every REST payload kind with the recorded real responses: same key set (and key order), same
 * JSON types, same number spelling. `exact` fixtures keep Upbit's bytes; `python` ones were re-serialized by a
 * Python JSON library, so only integer-vs-decimal survives in them.
 */
function fixture(name: string, spelling: Spelling): { shape: Shape; spelling: Spelling; text: string } {
  const text = fixtureText(name);
  return { shape: shapeOf(text), spelling, text };
}

function keyOrder(text: string): string[][] {
  const parsed = JSON.parse(text) as Record<string, unknown>[];
  return parsed.map((row) => Object.keys(row));
}

let harness: Harness;

beforeAll(() => {
  // Each test starts its own simulator (closed in afterEach).
});

afterEach(closeAll);

async function sim(): Promise<Harness> {
  harness = await startFakeSim();
  // Let the market trade for a while so every figure is a live one.
  await harness.clock.advanceAsync(5_000);
  return harness;
}

async function body(path: string): Promise<string> {
  const reply = await httpGet(`${harness.sim.restUrl}${path}`);
  expect(reply.status, `${path}: ${reply.text}`).toBe(200);
  return reply.text;
}

describe('REST conformance with the recorded payloads', () => {
  it('ticker: key set, key order, types and BigDecimal spelling as the byte-exact capture', async () => {
    await sim();
    const text = await body('/v1/ticker?markets=KRW-BTC,KRW-ETH');
    const exact = fixture('rest-ticker-krw-btc-eth.json', 'exact');
    const shape = shapeOf(text);
    expect(keyPaths(shape)).toEqual(keyPaths(exact.shape));
    expect(keyOrder(text)).toEqual(keyOrder(exact.text));
    const problems = compareSpelling(shape, [
      exact,
      fixture('rest-ticker-krw-btc.json', 'python'),
      fixture('rest-ticker-all-quote-krw.json', 'python'),
    ]);
    expect(problems).toEqual([]);
    // The spelling details the capture shows: scale-8 prices, scale-16 acc_trade_price, scale-10 rates.
    expect(text).toMatch(/"trade_price":\d+\.\d{8}[,}]/);
    expect(text).toMatch(/"acc_trade_price":\d+\.\d{16}[,}]/);
    expect(text).toMatch(/"acc_trade_price_24h":\d+\.\d{8}[,}]/);
  });

  it('ticker/all: the recorded key set, every market of the quote, busiest first', async () => {
    await sim();
    const text = await body('/v1/ticker/all?quote_currencies=KRW');
    const recorded = fixture('rest-ticker-all-quote-krw.json', 'python');
    const shape = shapeOf(text);
    expect(keyPaths(shape)).toEqual(keyPaths(recorded.shape));
    expect(compareSpelling(shape, [recorded, fixture('rest-ticker-krw-btc-eth.json', 'exact')])).toEqual([]);
    const rows = JSON.parse(text) as { market: string; acc_trade_price_24h: number }[];
    expect(rows.map((r) => r.market).sort()).toEqual(['KRW-BTC', 'KRW-ETH', 'KRW-USDE', 'KRW-XRP']);
    const turnover = rows.map((r) => r.acc_trade_price_24h);
    expect(turnover).toEqual([...turnover].sort((a, b) => b - a));
  });

  it('trades/ticks: the recorded key set and types, sequential_id an exact integer beyond 2^53', async () => {
    await sim();
    const text = await body('/v1/trades/ticks?market=KRW-BTC&count=5');
    const recorded = fixture('rest-trades-ticks-krw-btc.json', 'python');
    const shape = shapeOf(text);
    expect(keyPaths(shape)).toEqual(keyPaths(recorded.shape));
    expect(keyPaths(shape)).toEqual(keyPaths(fixture('rest-trades-ticks-usdt-btc-ccxt.json', 'python').shape));
    expect(keyOrder(text)[0]).toEqual(keyOrder(recorded.text)[0]);
    expect(compareSpelling(shape, [recorded])).toEqual([]);
    for (const leaf of shape.get('$[].sequential_id') ?? []) {
      expect(leaf.raw).toMatch(/^\d{17}$/);
      expect(BigInt(leaf.raw) > 2n ** 53n).toBe(true);
    }
  });

  it('orderbook: the recorded key set, 30 units written bid first, plain numbers', async () => {
    await sim();
    const text = await body('/v1/orderbook?markets=KRW-BTC');
    const recorded = fixture('rest-orderbook-krw-btc.json', 'python');
    const shape = shapeOf(text);
    expect(keyPaths(shape)).toEqual(keyPaths(recorded.shape));
    expect(keyOrder(text)).toEqual(keyOrder(recorded.text));
    expect(compareSpelling(shape, [recorded])).toEqual([]);
    const [book] = JSON.parse(text) as { orderbook_units: Record<string, number>[] }[];
    expect(book?.orderbook_units).toHaveLength(30);
    expect(Object.keys(book?.orderbook_units[0] ?? {})).toEqual(['bid_price', 'bid_size', 'ask_price', 'ask_size']);
    expect(shape.get('$[].orderbook_units[].ask_price')?.every((leaf) => /^\d+$/.test(leaf.raw))).toBe(true);
  });

  it('orderbook/instruments: the recorded shape (tick size and levels as strings)', async () => {
    await sim();
    const text = await body('/v1/orderbook/instruments?markets=KRW-BTC');
    expect(JSON.parse(text)).toEqual(JSON.parse(fixtureText('rest-orderbook-instruments-krw-btc.json')));
  });

  it('minute candles: the recorded key set, types and spelling', async () => {
    await sim();
    const text = await body('/v1/candles/minutes/1?market=KRW-BTC&count=3');
    const recorded = fixture('rest-candles-minutes-1-krw-btc.json', 'python');
    const shape = shapeOf(text);
    expect(keyPaths(shape)).toEqual(keyPaths(recorded.shape));
    expect(keyPaths(shape)).toEqual(keyPaths(fixture('rest-candles-minutes-60-usdt-btc-ccxt.json', 'python').shape));
    expect(keyOrder(text)[0]).toEqual(keyOrder(recorded.text)[0]);
    expect(compareSpelling(shape, [recorded, fixture('rest-candles-days-krw-btc-count2.json', 'exact')])).toEqual([]);
    expect(JSON.parse(text)).toHaveLength(3);
  });

  it('day candles: key set, key order and spelling as the byte-exact capture', async () => {
    await sim();
    const text = await body('/v1/candles/days?market=KRW-BTC&count=2');
    const exact = fixture('rest-candles-days-krw-btc-count2.json', 'exact');
    const shape = shapeOf(text);
    expect(keyPaths(shape)).toEqual(keyPaths(exact.shape));
    expect(keyOrder(text)).toEqual(keyOrder(exact.text));
    expect(compareSpelling(shape, [exact, fixture('rest-candles-days-krw-btc.json', 'python')])).toEqual([]);
  });

  it('market/all with and without details: the recorded key sets', async () => {
    await sim();
    const plain = await body('/v1/market/all');
    expect(keyPaths(shapeOf(plain))).toEqual(keyPaths(fixture('rest-market-all.json', 'exact').shape));
    expect(keyOrder(plain)[0]).toEqual(keyOrder(fixtureText('rest-market-all.json'))[0]);
    const details = await body('/v1/market/all?isDetails=true');
    const recorded = fixture('rest-market-all-details.json', 'exact');
    expect(keyPaths(shapeOf(details))).toEqual(keyPaths(recorded.shape));
    expect(compareSpelling(shapeOf(details), [recorded])).toEqual([]);
    const btc = (JSON.parse(details) as { market: string }[]).find((row) => row.market === 'KRW-BTC');
    expect(btc).toEqual((JSON.parse(recorded.text) as { market: string }[]).find((row) => row.market === 'KRW-BTC'));
  });

  it('error bodies are the recorded bytes', async () => {
    await sim();
    const cases: [string, number, string][] = [
      ['/v1/ticker?markets=KRW-NOPE', 404, 'rest-error-404-code-not-found.json'],
      ['/v1/orderbook?markets=KRW-NOPE', 404, 'rest-error-404-code-not-found.json'],
      ['/v1/orderbook', 400, 'rest-error-400-missing-parameter.json'],
      ['/v1/orderbook?markets=KRW-BTC&count=abc', 400, 'rest-error-400-type-mismatch.json'],
      ['/v1/orderbook?markets=KRW-BTC&level=123', 400, 'rest-error-400-invalid-parameter-level.json'],
      ['/v1/nope', 404, 'rest-error-404-no-route.json'],
    ];
    for (const [path, status, name] of cases) {
      const reply = await httpGet(`${harness.sim.restUrl}${path}`);
      expect(reply.status, path).toBe(status);
      expect(reply.text, path).toBe(fixtureText(name).trim());
    }
  });
});
