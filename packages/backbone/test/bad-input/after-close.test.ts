import { isClosedError, isInvalidMarketCodeError } from '@marketdata/domain';
import { flushMicrotasks } from '@marketdata/domain/testing';
import { describe, expect, it, vi } from 'vitest';
import { createHarness } from '../support/harness.js';
import { failureOf, ioCount } from './helpers.js';

// Calls after `close()`, calls in flight during it, and close() itself called more than once.

describe('calls after close()', () => {
  it('answers every data method with ClosedError, whatever the input, without touching the sources', async () => {
    const harness = createHarness();
    const { md } = harness;
    await md.close();
    const callsBefore = ioCount(harness);
    const calls: [string, () => unknown][] = [
      ['getTicker', () => md.getTicker('KRW-BTC')],
      ['getTicker(source rest)', () => md.getTicker('KRW-BTC', { source: 'rest' })],
      ['getTicker(invalid)', () => md.getTicker('krw-btc')],
      ['getTickers', () => md.getTickers(['KRW-BTC', 'KRW-ETH'])],
      ['getTickers([])', () => md.getTickers([])],
      ['watchTickers', () => md.watchTickers(['KRW-BTC'])],
      ['watchTickers([])', () => md.watchTickers([])],
      ['watchOrderBooks', () => md.watchOrderBooks(['KRW-BTC'])],
      ['watchTrades', () => md.watchTrades(['KRW-BTC'])],
    ];
    for (const [name, call] of calls) {
      const error = await failureOf(call);
      expect({ name, closed: isClosedError(error) }).toEqual({ name, closed: true });
      expect(error).toMatchObject({ channel: 'api', retryable: false });
    }
    expect(ioCount(harness)).toBe(callsBefore);
    expect(harness.clock.pendingTimerCount()).toBe(0);
  });

  it('keeps stats(), toPrometheus() and health() readable after close, health saying "closed"', async () => {
    const harness = createHarness();
    const { md } = harness;
    await md.getTicker('KRW-BTC');
    await md.close();
    expect(md.health().status).toBe('closed');
    expect(md.stats().requests.rest).toBe(1);
    expect(md.toPrometheus()).toContain('rest');
    expect(md.stats().streams.active).toBe(0);
  });

  it('close() twice (also concurrently) is fine: one shutdown, each source closed once', async () => {
    const harness = createHarness();
    const { md, rest, websocket } = harness;
    const restClose = vi.spyOn(rest, 'close');
    const websocketClose = vi.spyOn(websocket, 'close');
    const first = md.close();
    const second = md.close();
    expect(second).toBe(first);
    await Promise.all([first, second]);
    await md.close();
    expect(restClose).toHaveBeenCalledTimes(1);
    expect(websocketClose).toHaveBeenCalledTimes(1);
    expect(harness.clock.pendingTimerCount()).toBe(0);
  });

  it('close() resolves even when a source fails to close, and says so in the log', async () => {
    const harness = createHarness();
    const { md, rest, logger } = harness;
    vi.spyOn(rest, 'close').mockRejectedValue(new Error('socket already gone'));
    await expect(md.close()).resolves.toBeUndefined();
    expect(logger.find('warn', 'failed to close')).toHaveLength(1);
    expect(md.health().status).toBe('closed');
  });

  it('ends open watch iterators: a waiting for-await loop finishes, later next() calls are done', async () => {
    const harness = createHarness();
    const { md, clock } = harness;
    const tickers = md.watchTickers(['KRW-BTC', 'KRW-ETH']);
    const books = md.watchOrderBooks(['KRW-BTC']);
    const trades = md.watchTrades(['KRW-BTC']);
    const received: string[] = [];
    const consumer = (async () => {
      for await (const ticker of tickers) received.push(ticker.symbol);
      return 'ended';
    })();
    harness.push('KRW-BTC');
    await flushMicrotasks();
    expect(received).toEqual(['KRW-BTC']);
    const pendingBook = books.next();
    const pendingTrade = trades.next();

    await md.close();
    expect(await consumer).toBe('ended');
    expect(await pendingBook).toEqual({ done: true, value: undefined });
    expect(await pendingTrade).toEqual({ done: true, value: undefined });
    for (const iterator of [tickers, books, trades]) {
      expect(await iterator.next()).toEqual({ done: true, value: undefined });
    }
    // A tick arriving after close is not delivered anywhere.
    harness.push('KRW-ETH');
    await flushMicrotasks();
    expect(received).toEqual(['KRW-BTC']);
    expect(md.stats().streams.active).toBe(0);
    expect(clock.pendingTimerCount()).toBe(0);
  });

  it('answers a 1,000-entry getTickers in flight with ClosedError per symbol and leaves no timer', async () => {
    const harness = createHarness();
    const { md, rest, websocket, clock } = harness;
    // Hot symbols hold WebSocket subscriptions and the maintenance timer.
    await harness.requestEvery('KRW-BTC', 100, 6);
    expect(websocket.subscribed.size).toBe(1);
    rest.hangNext(1);
    const input = Array.from({ length: 1_000 }, (_, index) => (index % 100 === 99 ? 'krw-xrp' : `KRW-${base(index)}`));
    const pending = md.getTickers(input);
    // And a WebSocket call waiting for a snapshot that never comes.
    const waiting = failureOf(() => md.getTicker('KRW-SOL', { source: 'websocket' }));
    await flushMicrotasks();
    expect(clock.pendingTimerCount()).toBeGreaterThan(0);

    await md.close();
    const results = await pending;
    expect(results).toHaveLength(input.length);
    results.forEach((result, index) => {
      expect(result.symbol).toBe(input[index]);
      const expected = input[index] === 'krw-xrp' ? isInvalidMarketCodeError : isClosedError;
      expect(!result.ok && expected(result.error)).toBe(true);
    });
    expect(await waiting).toSatisfy(isClosedError);
    expect(websocket.subscribed.size).toBe(0);
    expect(clock.pendingTimerCount()).toBe(0);
    // Shutting down is not the channel's fault.
    expect(md.health().channels.rest.consecutiveFailures).toBe(0);
  });
});

/** A distinct, well-formed base for each index (A, B, ..., Z, BA, BB, ...). */
function base(index: number): string {
  let text = '';
  let rest = index;
  do {
    text = String.fromCharCode(65 + (rest % 26)) + text;
    rest = Math.floor(rest / 26);
  } while (rest > 0);
  return `X${text}`;
}
