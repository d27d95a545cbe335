import {
  type ChannelKind,
  DataValidationError,
  NetworkError,
  parseMarketCode,
  type StreamGap,
  type Trade,
  UpstreamError,
} from '@marketdata/domain';
import { flushMicrotasks } from '@marketdata/domain/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './support/harness.js';

// The one trade backfill component, through `watchTrades` on fake sources: what the stream misses (a gap, an unusable
// frame) comes from REST `getTrades`, paged by cursor, delivered in order and marked, each trade once.

let harness: Harness | undefined;

afterEach(async () => {
  if (harness === undefined) return;
  await harness.md.close();
  expect(harness.clock.pendingTimerCount()).toBe(0);
  harness = undefined;
});

const BTC = parseMarketCode('KRW-BTC');
const ETH = parseMarketCode('KRW-ETH');
const BASE = 17_000_000_000_000_000n;

function trade(h: Harness, sequence: number, source: ChannelKind = 'websocket', symbol = BTC): Trade {
  const at = h.clock.now();
  return {
    symbol,
    price: 100_000_000 + sequence,
    volume: 0.01,
    side: 'BID',
    sequentialId: (BASE + BigInt(sequence)).toString(),
    tradeTimestamp: at,
    prevClose: 99_000_000,
    changePrice: 1_000_000,
    exchangeTimestamp: at,
    receivedAt: at,
    receivedAtMonotonic: h.clock.monotonic(),
    source,
  };
}

/** REST knows trades `from..to` of the symbol. */
function restHas(h: Harness, from: number, to: number, symbol = BTC): void {
  const known = h.rest.trades.get(symbol) ?? [];
  for (let sequence = from; sequence <= to; sequence++) known.push(trade(h, sequence, 'rest', symbol));
  h.rest.trades.set(symbol, known);
}

function collect(stream: AsyncIterableIterator<Trade>): {
  readonly got: Trade[];
  readonly failure: { value: unknown };
} {
  const got: Trade[] = [];
  const failure: { value: unknown } = { value: undefined };
  void (async () => {
    try {
      for await (const item of stream) got.push(item);
    } catch (error) {
      failure.value = error;
    }
  })();
  return { got, failure };
}

const sequences = (trades: readonly Trade[]): string[] =>
  trades.map((item) => `${Number(BigInt(item.sequentialId) - BASE)}${item.backfilled === true ? 'b' : ''}`);

function gap(h: Harness, symbols: readonly string[]): StreamGap {
  const opened: StreamGap = {
    startedAt: h.clock.now(),
    endedAt: undefined,
    startedAtMonotonic: h.clock.monotonic(),
    endedAtMonotonic: undefined,
    reason: 'connection closed (code 1006)',
    symbols: symbols.map((symbol) => parseMarketCode(symbol)),
  };
  h.websocket.gap(opened);
  return opened;
}

function closeGap(h: Harness, opened: StreamGap): void {
  h.websocket.gap({ ...opened, endedAt: h.clock.now(), endedAtMonotonic: h.clock.monotonic() });
}

describe('trade backfill', () => {
  it('fills a gap from REST after reconnect: in order, marked, the streamed copy of a trade dropped', async () => {
    harness = createHarness();
    const h = harness;
    const { got } = collect(h.md.watchTrades(['KRW-BTC']));
    for (let sequence = 1; sequence <= 5; sequence++) h.websocket.pushTrade(trade(h, sequence));
    const opened = gap(h, ['KRW-BTC']);
    h.clock.advance(2_000);
    restHas(h, 1, 12);
    // Back: the first frame closes the gap, the SNAPSHOT is the latest trade (12), then the stream goes on.
    closeGap(h, opened);
    h.websocket.pushTrade(trade(h, 12), 'SNAPSHOT');
    h.websocket.pushTrade(trade(h, 13));
    await flushMicrotasks();
    expect(sequences(got)).toEqual(['1', '2', '3', '4', '5', '6b', '7b', '8b', '9b', '10b', '11b', '12', '13']);
    expect(h.rest.requests()).toEqual([{ method: 'getTrades', symbols: ['KRW-BTC'] }]);
    expect(got.find((item) => item.backfilled === true)?.source).toBe('rest');
    expect(got.at(-2)?.source).toBe('websocket');
    expect(h.md.stats().streams).toMatchObject({ backfilled: 6, backfillsAbandoned: 0 });
  });

  it('never lets REST overtake a trade the stream holds: newer REST trades are left to the stream', async () => {
    harness = createHarness();
    const h = harness;
    const { got } = collect(h.md.watchTrades(['KRW-BTC']));
    h.websocket.pushTrade(trade(h, 1));
    const opened = gap(h, ['KRW-BTC']);
    // REST already knows trades the stream has not delivered yet (8..10).
    restHas(h, 1, 10);
    closeGap(h, opened);
    h.websocket.pushTrade(trade(h, 7), 'SNAPSHOT');
    await flushMicrotasks();
    for (const sequence of [8, 9, 10, 11]) h.websocket.pushTrade(trade(h, sequence));
    await flushMicrotasks();
    expect(sequences(got)).toEqual(['1', '2b', '3b', '4b', '5b', '6b', '7', '8', '9', '10', '11']);
  });

  it('asks REST nothing when the SNAPSHOT after the gap repeats the last trade handed on', async () => {
    harness = createHarness();
    const h = harness;
    const { got } = collect(h.md.watchTrades(['KRW-BTC', 'KRW-ETH']));
    h.websocket.pushTrade(trade(h, 1));
    h.websocket.pushTrade(trade(h, 50, 'websocket', ETH));
    const opened = gap(h, ['KRW-BTC', 'KRW-ETH']);
    closeGap(h, opened);
    // The adapter reports the repeat's arrival and keeps the record back; ETH's next trade comes as usual.
    h.websocket.reportArrival('trade', BTC);
    h.websocket.reportArrival('trade', ETH);
    await flushMicrotasks();
    h.websocket.pushTrade(trade(h, 2));
    h.websocket.pushTrade(trade(h, 51, 'websocket', ETH));
    await flushMicrotasks();
    expect(sequences(got)).toEqual(['1', '50', '2', '51']);
    expect(h.rest.callCount()).toBe(0);
  });

  it('fetches the trade of an unusable frame, holding later ones back, and waits for REST to catch up', async () => {
    harness = createHarness();
    const h = harness;
    const { got } = collect(h.md.watchTrades(['KRW-BTC']));
    h.websocket.pushTrade(trade(h, 1));
    h.websocket.pushTrade(trade(h, 2));
    restHas(h, 1, 2);
    h.websocket.malformed({
      kind: 'trade',
      symbol: BTC,
      error: new DataValidationError('bad field', { channel: 'websocket', path: '$.tp' }),
      sample: '{"ty":"trade","cd":"KRW-BTC","tp":"x"',
      atMonotonic: h.clock.monotonic(),
    });
    h.websocket.pushTrade(trade(h, 4));
    await flushMicrotasks();
    // REST has not seen trade 3 yet: nothing goes out of order meanwhile.
    expect(sequences(got)).toEqual(['1', '2']);
    restHas(h, 3, 4);
    await h.clock.advanceAsync(500);
    expect(sequences(got)).toEqual(['1', '2', '3b', '4']);
    h.websocket.pushTrade(trade(h, 5));
    await flushMicrotasks();
    expect(sequences(got)).toEqual(['1', '2', '3b', '4', '5']);
  });

  it('pages back by cursor through a long gap', async () => {
    harness = createHarness();
    const h = harness;
    const { got } = collect(h.md.watchTrades(['KRW-BTC']));
    h.websocket.pushTrade(trade(h, 1));
    const opened = gap(h, ['KRW-BTC']);
    restHas(h, 1, 1_300);
    closeGap(h, opened);
    h.websocket.pushTrade(trade(h, 1_300), 'SNAPSHOT');
    for (let i = 0; i < 100 && got.length < 1_300; i++) await flushMicrotasks(100);
    expect(got).toHaveLength(1_300);
    expect(sequences(got).slice(0, 3)).toEqual(['1', '2b', '3b']);
    expect(sequences(got).slice(-2)).toEqual(['1299b', '1300']);
    const cursors = h.rest.calls.map((call) => (call.options as { cursor?: string }).cursor);
    expect(cursors).toEqual([undefined, (BASE + 801n).toString(), (BASE + 301n).toString()]);
  });

  it('gives up after 10 s when REST cannot answer: held trades go out, the rest stays a reported gap', async () => {
    harness = createHarness();
    const h = harness;
    const { got } = collect(h.md.watchTrades(['KRW-BTC']));
    h.websocket.pushTrade(trade(h, 1));
    const opened = gap(h, ['KRW-BTC']);
    closeGap(h, opened);
    h.rest.failNext(100);
    h.websocket.pushTrade(trade(h, 9), 'SNAPSHOT');
    h.websocket.pushTrade(trade(h, 10));
    await flushMicrotasks();
    expect(sequences(got)).toEqual(['1']);
    for (let i = 0; i < 25; i++) await h.clock.advanceAsync(500);
    expect(sequences(got)).toEqual(['1', '9', '10']);
    expect(h.md.stats().streams).toMatchObject({ backfilled: 0, backfillsAbandoned: 1 });
    expect(h.rest.callCount('getTrades')).toBeLessThanOrEqual(21);
  });

  it('runs ten recoveries at a time, the symbol holding the most trades back first', async () => {
    harness = createHarness();
    const h = harness;
    const names = ['BTC', 'ETH', 'XRP', 'SOL', 'DOGE', 'ADA', 'DOT', 'TRX', 'LINK', 'AVAX', 'ATOM', 'NEAR'];
    const codes = names.map((name) => parseMarketCode(`KRW-${name}`));
    collect(h.md.watchTrades(codes));
    for (const [index, symbol] of codes.entries())
      h.websocket.pushTrade(trade(h, index * 100 + 1, 'websocket', symbol));
    const opened = gap(h, codes);
    closeGap(h, opened);
    h.rest.hangNext(10);
    for (const [index, symbol] of codes.entries())
      h.websocket.pushTrade(trade(h, index * 100 + 5, 'websocket', symbol));
    // NEAR, last in line, keeps trading: it holds more back than ATOM when a slot frees.
    for (let more = 6; more <= 9; more++) h.websocket.pushTrade(trade(h, 1_100 + more, 'websocket', codes[11] ?? BTC));
    await flushMicrotasks();
    const asked = (): string[] => h.rest.requests().map((call) => call.symbols[0] ?? '');
    expect(asked()).toEqual(codes.slice(0, 10));
    // The hung ones run out of time; the slots go to NEAR first (it holds more back), then ATOM.
    await h.clock.advanceAsync(10_000);
    expect(asked().slice(10, 12)).toEqual(['KRW-NEAR', 'KRW-ATOM']);
    expect(h.md.stats().streams.backfillsAbandoned).toBe(10);
  });

  it('goes on through a refusal the source retries, and ends typed when the source gives up', async () => {
    harness = createHarness();
    const h = harness;
    const { got, failure } = collect(h.md.watchTrades(['KRW-BTC']));
    h.websocket.failListeners('trade', new NetworkError('connection refused', { channel: 'websocket' }));
    h.websocket.pushTrade(trade(h, 1));
    await flushMicrotasks();
    expect(sequences(got)).toEqual(['1']);
    expect(failure.value).toBeUndefined();
    const refused = new UpstreamError('Upbit WebSocket error INVALID_PARAM', {
      channel: 'websocket',
      upstreamName: 'INVALID_PARAM',
    });
    h.websocket.endListeners('trade', refused);
    await flushMicrotasks();
    expect(failure.value).toBe(refused);
  });
});
