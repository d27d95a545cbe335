import { FakeClock } from '@marketdata/domain/testing';
import { describe, expect, it } from 'vitest';
import type { ServerMessage, WireTicker, WireTrade } from '../../src/protocol/messages.js';
import { TabSender } from '../../src/server/tab-sender.js';

function socket() {
  const sent: ServerMessage[] = [];
  return {
    sent,
    bufferedAmount: 0,
    send(text: string) {
      sent.push(JSON.parse(text) as ServerMessage);
    },
  };
}

const ticker = (price: number): WireTicker => ({
  symbol: 'KRW-BTC',
  price,
  change: 'RISE',
  changeRate: 0.01,
  source: 'websocket',
  quality: 'high',
  confidence: 1,
  ageMs: 5,
  qualityNotes: [],
  exchangeTimestamp: 1,
});
const trade = (id: number): WireTrade => ({
  price: 100,
  volume: 1,
  side: 'BID',
  tradeTimestamp: id,
  sequentialId: String(id),
});

describe('TabSender', () => {
  it('sends answers at once and conflates live updates into one flush: latest ticker, last-wins candles, every trade', () => {
    const clock = new FakeClock();
    const tab = socket();
    const sender = new TabSender(tab, clock, { flushMs: 50 });
    sender.select(1);
    sender.send({ t: 'history', selection: 1, symbol: 'KRW-BTC', interval: '1m', candles: [] });
    expect(tab.sent.map((m) => m.t)).toEqual(['history']);
    sender.setTicker(ticker(1));
    sender.setTicker(ticker(2));
    sender.addCandles([{ time: 60_000, open: 1, high: 1, low: 1, close: 1, volume: 1 }]);
    sender.addCandles([
      { time: 0, open: 1, high: 1, low: 1, close: 1, volume: 1 },
      { time: 60_000, open: 1, high: 2, low: 1, close: 2, volume: 2 },
    ]);
    sender.addTrades([trade(1), trade(2)]);
    sender.addTrades([trade(3)]);
    clock.advance(49);
    expect(tab.sent).toHaveLength(1);
    clock.advance(1);
    expect(tab.sent.slice(1)).toEqual([
      { t: 'ticker', selection: 1, ticker: ticker(2) },
      {
        t: 'candles',
        selection: 1,
        candles: [
          { time: 0, open: 1, high: 1, low: 1, close: 1, volume: 1 },
          { time: 60_000, open: 1, high: 2, low: 1, close: 2, volume: 2 },
        ],
      },
      { t: 'trades', selection: 1, trades: [trade(1), trade(2), trade(3)], skipped: 0 },
    ]);
    clock.advance(1_000);
    expect(tab.sent).toHaveLength(4);
  });

  it('keeps the newest trades of a tab that falls behind and counts the dropped ones', () => {
    const clock = new FakeClock();
    const tab = socket();
    const sender = new TabSender(tab, clock, { maxPendingTrades: 3, flushMs: 10 });
    sender.select(4);
    sender.addTrades([1, 2, 3, 4, 5].map(trade));
    clock.advance(10);
    expect(tab.sent).toEqual([{ t: 'trades', selection: 4, trades: [3, 4, 5].map(trade), skipped: 2 }]);
  });

  it('holds live updates while the socket is still busy, then sends only the latest', () => {
    const clock = new FakeClock();
    const tab = socket();
    const sender = new TabSender(tab, clock, { maxBufferedBytes: 100, flushMs: 10 });
    sender.select(1);
    tab.bufferedAmount = 1_000;
    for (let price = 1; price <= 100; price++) {
      sender.setTicker(ticker(price));
      clock.advance(10);
    }
    expect(tab.sent).toEqual([]);
    tab.bufferedAmount = 0;
    clock.advance(10);
    expect(tab.sent).toEqual([{ t: 'ticker', selection: 1, ticker: ticker(100) }]);
  });

  it('a new selection drops what was pending for the previous one', () => {
    const clock = new FakeClock();
    const tab = socket();
    const sender = new TabSender(tab, clock, { flushMs: 10 });
    sender.select(1);
    sender.setTicker(ticker(1));
    sender.addTrades([trade(1)]);
    sender.select(2);
    sender.setStatus({ stale: true, fallback: false, reasons: ['x'] });
    clock.advance(10);
    expect(tab.sent).toEqual([{ t: 'status', selection: 2, status: { stale: true, fallback: false, reasons: ['x'] } }]);
  });

  it('sends nothing after close', () => {
    const clock = new FakeClock();
    const tab = socket();
    const sender = new TabSender(tab, clock, { flushMs: 10 });
    sender.select(1);
    sender.setTicker(ticker(1));
    sender.close();
    sender.send({ t: 'error', selection: undefined, message: 'x', hint: undefined });
    clock.advance(100);
    expect(tab.sent).toEqual([]);
    expect(clock.pendingTimerCount()).toBe(0);
  });
});
