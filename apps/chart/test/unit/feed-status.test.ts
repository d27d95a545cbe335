import type { HealthReport, MarketData } from '@marketdata/backbone';
import type { MarketCode, OrderBook, Trade } from '@marketdata/domain';
import { FakeClock, MemoryLogger } from '@marketdata/domain/testing';
import { describe, expect, it } from 'vitest';
import type { ChartFeed } from '../../src/feed/chart-feed.js';
import type { WireFeedStatus } from '../../src/protocol/messages.js';
import { FeedStatusMonitor, statusFor } from '../../src/server/feed-status.js';
import { Upstream } from '../../src/server/upstream.js';

type Channel = HealthReport['channels']['rest'];
type WebSocketView = NonNullable<HealthReport['channels']['websocket']>;

const channel = (kind: 'rest' | 'websocket', patch: Partial<Channel> = {}): Channel => ({
  channel: kind,
  configured: true,
  state: 'enabled',
  consecutiveFailures: 0,
  errorRate: undefined,
  latencyEwmaMs: undefined,
  nextProbeAt: undefined,
  currentBackoffMs: undefined,
  timesDisabled: 0,
  timesRecovered: 0,
  lastError: undefined,
  ...patch,
});

function health(websocket: Partial<WebSocketView> = {}, rest: Partial<Channel> = {}): HealthReport {
  return {
    status: 'ok',
    reasons: [],
    channels: {
      rest: channel('rest', rest),
      websocket: {
        ...channel('websocket'),
        connection: 'open',
        epoch: 1,
        openGaps: 0,
        reconnects: 0,
        refusal: undefined,
        watchedFeeds: 3,
        staleFeeds: [],
        ...websocket,
      },
    },
    fallbacks: [],
    hotSubscriptions: 0,
    markets: undefined,
    checkedAt: 0,
  };
}

const btc = 'KRW-BTC' as MarketCode;
const eth = 'KRW-ETH' as MarketCode;

describe('statusFor', () => {
  it('is fresh when the facade reports nothing wrong and the ticker comes from the stream', () => {
    expect(statusFor(btc, health(), 'websocket')).toEqual({ stale: false, fallback: false, reasons: [] });
  });

  it("names this market's stale feeds only", () => {
    const report = health({
      staleFeeds: [
        { kind: 'orderbook', symbol: btc, note: 'no update for 1.2 s (expected every 100 ms)' },
        { kind: 'ticker', symbol: eth, note: 'no update for 9 s' },
      ],
    });
    expect(statusFor(btc, report, 'websocket')).toEqual({
      stale: true,
      fallback: false,
      reasons: ['orderbook stale: no update for 1.2 s (expected every 100 ms)'],
    });
    expect(statusFor('KRW-XRP', report, 'websocket').stale).toBe(false);
  });

  it('calls every market stale while the stream cannot deliver', () => {
    expect(statusFor(btc, health({ connection: 'reconnecting' }), 'websocket')).toEqual({
      stale: true,
      fallback: false,
      reasons: ['WebSocket reconnecting'],
    });
    expect(statusFor(btc, health({ refusal: 'message: too many requests' }), 'websocket').reasons).toEqual([
      'WebSocket refused: message: too many requests',
    ]);
    expect(statusFor(btc, health({ openGaps: 2 }), 'websocket').reasons).toEqual(['2 open WebSocket gap(s)']);
  });

  it('says fallback when the ticker comes by REST, or the stream is disabled', () => {
    expect(statusFor(btc, health(), 'rest')).toEqual({
      stale: false,
      fallback: true,
      reasons: ['ticker from rest, not the stream (fallback)'],
    });
    const disabled = statusFor(btc, health({ state: 'disabled', lastError: 'refused' }), 'rest');
    expect(disabled.fallback).toBe(true);
    expect(disabled.reasons).toContain('WebSocket disabled (refused)');
  });
});

function fakeMarketData(read: () => HealthReport): MarketData {
  const never = (): AsyncIterableIterator<never> => {
    throw new Error('not used');
  };
  return {
    health: read,
    watchTickers: never as unknown as MarketData['watchTickers'],
    watchOrderBooks: never as unknown as () => AsyncIterableIterator<OrderBook>,
    watchTrades: never as unknown as () => AsyncIterableIterator<Trade>,
  } as unknown as MarketData;
}

const noFeed: ChartFeed = {
  markets: async () => [],
  history: async () => [],
  watch: () => ({ stop: () => {} }),
};

describe('FeedStatusMonitor', () => {
  it('tells a market listener at once and then only on changes, every poll', () => {
    const clock = new FakeClock();
    let report = health();
    const marketData = fakeMarketData(() => report);
    const recovered: string[] = [];
    const monitor = new FeedStatusMonitor({
      marketData,
      upstream: new Upstream(marketData, noFeed),
      clock,
      logger: new MemoryLogger(),
      onRecovered: (why) => recovered.push(why),
      pollMs: 500,
    });
    monitor.start();
    const heard: WireFeedStatus[] = [];
    const stop = monitor.listen(btc, (status) => heard.push(status));
    expect(heard).toEqual([{ stale: false, fallback: false, reasons: [] }]);
    clock.advance(2_000);
    expect(heard).toHaveLength(1);
    report = health({ staleFeeds: [{ kind: 'ticker', symbol: btc, note: 'silent' }] });
    clock.advance(499);
    expect(heard).toHaveLength(1);
    clock.advance(1);
    expect(heard[1]).toEqual({ stale: true, fallback: false, reasons: ['ticker stale: silent'] });
    report = health();
    clock.advance(500);
    expect(heard[2]).toEqual({ stale: false, fallback: false, reasons: [] });
    stop();
    report = health({ connection: 'reconnecting' });
    clock.advance(500);
    expect(heard).toHaveLength(3);
    monitor.stop();
    expect(clock.pendingTimerCount()).toBe(0);
    expect(recovered).toEqual([]);
  });

  it('asks for a reconcile after a new connection or a closed gap, not on the first connection', () => {
    const clock = new FakeClock();
    let report = health({ epoch: 0, connection: 'connecting' });
    const marketData = fakeMarketData(() => report);
    const recovered: string[] = [];
    const monitor = new FeedStatusMonitor({
      marketData,
      upstream: new Upstream(marketData, noFeed),
      clock,
      logger: new MemoryLogger(),
      onRecovered: (why) => recovered.push(why),
      pollMs: 500,
    });
    monitor.start();
    clock.advance(500);
    report = health({ epoch: 1 });
    clock.advance(500);
    expect(recovered).toEqual([]);
    report = health({ epoch: 1, openGaps: 1, connection: 'reconnecting' });
    clock.advance(500);
    report = health({ epoch: 2 });
    clock.advance(500);
    expect(recovered).toEqual(['new WebSocket connection (epoch 2)']);
    report = health({ epoch: 2, openGaps: 1 });
    clock.advance(500);
    report = health({ epoch: 2, openGaps: 0 });
    clock.advance(500);
    expect(recovered).toEqual(['new WebSocket connection (epoch 2)', 'WebSocket gap closed']);
    monitor.stop();
  });
});
