import type { MarketCode } from '@marketdata/domain';
import { describe, expect, it } from 'vitest';
import { Board } from '../src/app/board.js';
import { createPainter, visibleLength } from '../src/view/ansi.js';
import { formatChangeRate, formatDuration, formatPrice } from '../src/view/format.js';
import { renderBoard } from '../src/view/render-board.js';
import { gradedTicker, recordedRestTickers } from './support/fixture-tickers.js';

const recorded = recordedRestTickers('rest-ticker-krw-btc-eth.json');
const btc = recorded.find((raw) => raw.market === 'KRW-BTC') ?? expect.unreachable('KRW-BTC in the fixture');
const eth = recorded.find((raw) => raw.market === 'KRW-ETH') ?? expect.unreachable('KRW-ETH in the fixture');

function board() {
  const state = new Board(3);
  state.setSymbols(['KRW-BTC', 'KRW-ETH', 'KRW-XRP'] as MarketCode[]);
  state.setRouted('KRW-BTC' as MarketCode, { demand: '1/s', source: 'websocket' });
  state.setRouted('KRW-XRP' as MarketCode, { demand: '0.13/s', source: 'error' });
  state.applyTicker(gradedTicker(btc, { source: 'websocket', quality: 'high', confidence: 0.95 }));
  state.applyTicker(gradedTicker(btc, { source: 'websocket', quality: 'high', confidence: 0.95 }));
  state.applyTicker(
    gradedTicker(eth, { source: 'cache', quality: 'medium', confidence: 0.6, qualityNotes: ['served from cache'] }),
  );
  state.setChannels([
    { name: 'rest', level: 'ok', summary: '3 requests · p50 12ms' },
    { name: 'websocket', level: 'down', summary: 'reconnecting (2 reconnects)' },
  ]);
  for (let i = 1; i <= 4; i++) state.addEvent({ at: btc.timestamp + i, kind: 'route', text: `decision ${i}` });
  return state;
}

function plain(width = 120) {
  return renderBoard(board().view(), {
    title: 'SIMULATOR 127.0.0.1:1234 (not live data)',
    now: btc.timestamp + 1500,
    uptimeMs: 65_000,
    width,
    painter: createPainter(false),
  });
}

describe('renderBoard', () => {
  it('shows symbol, price, change, source, age and quality per row, in watch order', () => {
    const lines = plain();
    const btcLine = lines.find((line) => line.includes('KRW-BTC')) ?? '';
    expect(btcLine).toContain(formatPrice(btc.trade_price));
    expect(btcLine).toContain(formatChangeRate(btc.signed_change_rate));
    expect(btcLine).toMatch(/websocket\s+1\.5s\s+high\s+0\.95\s+2 1\/s → ws$/);
    const ethLine = lines.find((line) => line.includes('KRW-ETH')) ?? '';
    expect(ethLine).toMatch(/cache\s+\S+\s+medium\s+0\.60\s+1\s+served from cache$/);
    const xrpLine = lines.find((line) => line.includes('KRW-XRP')) ?? '';
    expect(xrpLine).toMatch(/waiting\s+0 0\.13\/s → error$/);
    const order = ['KRW-BTC', 'KRW-ETH', 'KRW-XRP'].map((symbol) => lines.findIndex((line) => line.includes(symbol)));
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it('shows the title, channel health and only the newest events', () => {
    const text = plain().join('\n');
    expect(text).toContain('Upbit market data · SIMULATOR 127.0.0.1:1234 (not live data)');
    expect(text).toContain('3 markets · 3 updates · up 1m05s');
    expect(text).toMatch(/● rest\s+ok\s+3 requests · p50 12ms/);
    expect(text).toMatch(/● websocket\s+down\s+reconnecting/);
    expect(text).not.toContain('decision 1');
    expect(text).toContain('decision 4');
  });

  it('never writes a line wider than the terminal, colours included', () => {
    for (const width of [40, 80, 200]) {
      for (const line of plain(width)) expect(line.length).toBeLessThanOrEqual(width);
      const colored = renderBoard(board().view(), {
        title: 'LIVE api.upbit.com',
        now: btc.timestamp,
        uptimeMs: 0,
        width,
        painter: createPainter(true),
      });
      for (const line of colored) expect(visibleLength(line)).toBeLessThanOrEqual(width);
    }
    expect(plain(40).some((line) => line.length === 40)).toBe(true);
  });

  it('colours only when asked to', () => {
    const colored = renderBoard(board().view(), {
      title: 'LIVE api.upbit.com',
      now: btc.timestamp,
      uptimeMs: 0,
      width: 120,
      painter: createPainter(true),
    });
    // Upbit's convention: a falling price (KRW-BTC in this capture) is blue.
    expect(colored.join('\n')).toContain(`\u001b[34m${formatChangeRate(btc.signed_change_rate).padStart(8)}\u001b[39m`);
    expect(plain().join('\n')).not.toContain('\u001b[');
  });
});

describe('format', () => {
  it('formats durations across units', () => {
    expect([850, 3400, 125_000, 7_500_000, -250].map(formatDuration)).toEqual([
      '850ms',
      '3.4s',
      '2m05s',
      '2h05m',
      '-250ms',
    ]);
  });

  it('keeps small prices exact to 8 decimals and groups big ones', () => {
    expect(formatPrice(162_876_000)).toBe('162,876,000');
    expect(formatPrice(0.00012345)).toBe('0.00012345');
    expect(formatChangeRate(-0.001728386)).toBe('-0.17%');
    expect(formatChangeRate(0)).toBe(' 0.00%');
  });
});
