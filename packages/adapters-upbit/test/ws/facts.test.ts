import type { ChannelTicker, ConnectionEvent, StreamGap, Trade } from '@marketdata/domain';
import { afterEach, describe, expect, it } from 'vitest';
import { frameText } from './support/frame-templates.js';
import { BTC, ETH, type Harness, startHarness, until, XRP } from './support/harness.js';

// Facts the source reports instead of grading (the backbone owns the one stale rule): receive times on both
// clocks, connection epochs, SNAPSHOT/REALTIME, arrival facts, gaps. Replaces the source's own freshness tests.

let harness: Harness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function start(...args: Parameters<typeof startHarness>): Promise<Harness> {
  harness = await startHarness(...args);
  return harness;
}

describe('receive times', () => {
  it('every record carries wall and monotonic receive time, stamped when the bytes arrive', async () => {
    const { source, server, clock } = await start();
    const seen: ChannelTicker[] = [];
    source.listen('ticker', [BTC], { onRecord: (ticker) => seen.push(ticker) });
    await until(() => seen.length === 1);
    expect(seen[0]).toMatchObject({ receivedAt: clock.now(), receivedAtMonotonic: clock.monotonic() });
    clock.advance(1_234);
    clock.jumpWall(-3_600_000); // the wall clock steps back an hour (NTP); monotonic time does not
    server.publish('ticker', 'KRW-BTC');
    await until(() => seen.length === 2);
    expect(seen[1]).toMatchObject({ receivedAt: clock.now(), receivedAtMonotonic: 1_234 });
    expect((seen[1]?.receivedAt ?? 0) - (seen[0]?.receivedAt ?? 0)).toBe(1_234 - 3_600_000);
  });
});

describe('arrivals', () => {
  it('wanted since it was asked for, then since it was put on the socket; last arrival and its epoch', async () => {
    const { source, server, clock } = await start({}, { snapshots: false });
    clock.advance(100);
    source.subscribe('trade', [XRP]);
    expect(source.arrivals('trade', XRP)).toEqual({
      kind: 'trade',
      symbol: XRP,
      wantedSinceMonotonic: 100,
      lastArrivalMonotonic: undefined,
      lastArrivalEpoch: undefined,
    });
    clock.advance(50);
    await until(() => server.requests.length === 1);
    expect(source.arrivals('trade', XRP)?.wantedSinceMonotonic).toBe(150);
    clock.advance(10);
    server.publish('trade', 'KRW-XRP');
    await until(() => source.arrivals('trade', XRP)?.lastArrivalMonotonic !== undefined);
    expect(source.arrivals('trade', XRP)).toMatchObject({ lastArrivalMonotonic: 160, lastArrivalEpoch: 1 });
    // Facts per kind: the ticker of XRP is not on the wire.
    expect(source.arrivals('ticker', XRP)).toBeUndefined();
    expect(source.latest('ticker', XRP)).toBeUndefined();
    expect(source.latest('trade', XRP)).toMatchObject({ symbol: 'KRW-XRP', receivedAtMonotonic: 160 });
  });

  it('observe: onArrival for every data record (SNAPSHOT, then REALTIME) before any listener sees it', async () => {
    const { source, server } = await start();
    const order: string[] = [];
    source.observe({
      onArrival: (kind, symbol, atMonotonic, streamType) =>
        order.push(`arrival ${kind} ${symbol} ${streamType} @${atMonotonic}`),
    });
    source.listen('ticker', [ETH], {
      onRecord: (ticker) => order.push(`record ${ticker.symbol} ${ticker.streamType}`),
    });
    await until(() => order.length === 2);
    harness?.clock.advance(40);
    server.publish('ticker', 'KRW-ETH');
    await until(() => order.length === 4);
    expect(order).toEqual([
      'arrival ticker KRW-ETH SNAPSHOT @0',
      'record KRW-ETH SNAPSHOT',
      'arrival ticker KRW-ETH REALTIME @40',
      'record KRW-ETH REALTIME',
    ]);
  });
});

describe('listen', () => {
  it('states replay the latest record at once; trades never replay', async () => {
    const { source, server } = await start();
    const first: Trade[] = [];
    source.listen('trade', [BTC], { onRecord: (trade) => first.push(trade) });
    source.subscribe('ticker', [BTC]);
    await until(() => first.length === 1 && source.latest('ticker', BTC) !== undefined);

    const tickers: ChannelTicker[] = [];
    source.listen('ticker', [BTC], { onRecord: (ticker) => tickers.push(ticker) });
    expect(tickers).toEqual([source.latest('ticker', BTC)]); // synchronously, before listen returned
    const trades: Trade[] = [];
    source.listen('trade', [BTC], { onRecord: (trade) => trades.push(trade) });
    expect(trades).toEqual([]);
    server.publish('trade', 'KRW-BTC');
    await until(() => trades.length === 1);
    expect(trades[0]?.streamType).toBe('REALTIME');
    expect(server.requests).toHaveLength(1); // trade + ticker in one tick; the later listens added nothing
  });

  it('a throwing listener is logged and does not stop the others', async () => {
    const { source, logger } = await start();
    const seen: string[] = [];
    source.listen('ticker', [BTC], {
      onRecord: () => {
        throw new Error('consumer bug');
      },
    });
    source.listen('ticker', [BTC], { onRecord: (ticker) => seen.push(ticker.symbol) });
    await until(() => seen.length === 1);
    expect(logger.find('error', 'listener threw')).toHaveLength(1);
  });

  it('release stops delivery at once', async () => {
    const { source, server } = await start();
    const seen: ChannelTicker[] = [];
    const keep = source.subscribe('ticker', [BTC]);
    const handle = source.listen('ticker', [BTC], { onRecord: (ticker) => seen.push(ticker) });
    await until(() => seen.length === 1);
    handle.release();
    handle.release(); // idempotent
    server.publish('ticker', 'KRW-BTC');
    await until(() => source.status().framesReceived === 2);
    expect(seen).toHaveLength(1);
    keep.release();
  });
});

describe('epochs and gaps', () => {
  it('the epoch counts sockets; a reopened socket that has not delivered keeps its gap open', async () => {
    const { source, server, clock } = await start();
    const events: ConnectionEvent[] = [];
    const gaps: StreamGap[] = [];
    source.observe({ onConnection: (event) => events.push(event), onGap: (gap) => gaps.push(gap) });
    source.subscribe('ticker', [BTC, ETH]);
    await until(() => source.status().framesReceived === 2);
    expect(source.status().epoch).toBe(1);
    clock.advance(1_000);
    server.stall(true); // the next socket opens but nothing arrives on it
    server.dropConnections();
    await until(() => source.state === 'reconnecting');
    expect(gaps).toEqual([
      {
        startedAt: clock.now(),
        endedAt: undefined,
        startedAtMonotonic: 1_000,
        endedAtMonotonic: undefined,
        reason: expect.stringContaining('1006'),
        symbols: ['KRW-BTC', 'KRW-ETH'],
      },
    ]);
    clock.advance(250);
    await until(() => source.state === 'open');
    expect(source.status().epoch).toBe(2);
    expect(source.status().gaps[0]?.endedAt).toBeUndefined();
    clock.advance(2_000);
    server.stall(false);
    server.publish('ticker', 'KRW-ETH');
    await until(() => gaps.length === 2);
    expect(gaps[1]).toMatchObject({ endedAt: clock.now(), endedAtMonotonic: clock.monotonic() });
    expect(source.arrivals('ticker', ETH)?.lastArrivalEpoch).toBe(2);
    expect(source.arrivals('ticker', BTC)?.lastArrivalEpoch).toBe(1); // nothing for BTC on socket 2 yet
    expect(events.map((event) => `${event.previous}>${event.state}@${event.epoch}`)).toEqual([
      'idle>connecting@0',
      'connecting>open@1',
      'open>reconnecting@1',
      'reconnecting>open@2',
    ]);
    expect(source.status().reconnects).toBe(1);
  });

  it('the trade SNAPSHOT after a reconnect repeats the last trade: an arrival, not delivered again', async () => {
    const { source, server, clock } = await start();
    const trades: Trade[] = [];
    const arrivals: string[] = [];
    source.observe({ onArrival: (_kind, _symbol, _at, streamType) => arrivals.push(String(streamType)) });
    source.listen('trade', [BTC], { onRecord: (trade) => trades.push(trade) });
    await until(() => trades.length === 1);
    server.dropConnections();
    await until(() => source.state === 'reconnecting');
    clock.advance(250);
    await until(() => source.status().duplicateTrades === 1);
    expect(trades).toHaveLength(1);
    expect(arrivals).toEqual(['SNAPSHOT', 'SNAPSHOT']);
    expect(source.status().gaps[0]?.endedAt).toBeDefined();
  });
});

describe('malformed frames', () => {
  it('are counted and reported to observers with what they claimed to be; the stream and other symbols go on', async () => {
    const { source, server, clock } = await start();
    const reports: { kind: string; path: string | undefined; sample: string; at: number }[] = [];
    source.observe({
      onMalformed: (report) =>
        reports.push({ kind: report.kind, path: report.error.path, sample: report.sample, at: report.atMonotonic }),
    });
    const seen: ChannelTicker[] = [];
    source.listen('ticker', [BTC, ETH], { onRecord: (ticker) => seen.push(ticker) });
    await until(() => seen.length === 2);
    clock.advance(5);
    server.sendRaw('{"type":"ticker","code":"KRW-BTC","trade_price":"not a number"}');
    server.sendRaw('not json at all');
    server.publish('ticker', 'KRW-ETH');
    await until(() => seen.length === 3 && reports.length === 2);
    expect(reports.map((report) => report.kind)).toEqual(['ticker', 'unknown']);
    expect(reports[0]?.sample).toContain('KRW-BTC');
    expect(reports.every((report) => report.at === 5)).toBe(true);
    expect(seen[2]?.symbol).toBe(ETH);
    expect(source.status().malformedFrames).toBe(2);
  });

  it('name the market when the frame still tells: its code, or for a trade without one, the only matching previous close', async () => {
    const { source, server } = await start();
    const reports: { kind: string; symbol: string | undefined }[] = [];
    source.observe({ onMalformed: (report) => reports.push({ kind: report.kind, symbol: report.symbol }) });
    const trades: Trade[] = [];
    source.listen('trade', [BTC], { onRecord: (trade) => trades.push(trade) });
    server.publish('trade', 'KRW-BTC');
    await until(() => trades.length === 1);
    const whole = frameText('trade', 'SIMPLE', 'KRW-BTC', { sequentialId: '17303368620470099' });
    // Cut in half (invalid JSON: type and code survive), then the code removed (the previous close survives).
    server.sendRaw(whole.slice(0, Math.floor(whole.length / 2)));
    server.sendRaw(whole.replace(/"cd":"[^"]*",?/, ''));
    await until(() => reports.length === 2);
    expect(reports).toEqual([
      { kind: 'trade', symbol: BTC },
      { kind: 'trade', symbol: BTC },
    ]);
    // Two wanted markets whose trades carry the same previous close: no guess.
    source.listen('trade', [ETH], { onRecord: (trade) => trades.push(trade) });
    server.publish('trade', 'KRW-ETH');
    await until(() => trades.length === 2);
    server.sendRaw(whole.replace(/"cd":"[^"]*",?/, ''));
    await until(() => reports.length === 3);
    expect(reports[2]).toEqual({ kind: 'trade', symbol: undefined });
  });
});
