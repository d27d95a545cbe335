import { type MarketDataError, type StreamRefusal, systemClock } from '@marketdata/domain';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createConnectionGovernor } from '../../src/ws/connection-governor.js';
import { createUpbitWebSocketSource, type UpbitWebSocketSource } from '../../src/ws/index.js';
import { MAX_TIMER_MS } from '../../src/ws/upgrade-refusal.js';
import { captureProcessFailures } from '../support/process-failures.js';
import { BTC, ETH, type Harness, ioPause, startHarness, until, XRP } from './support/harness.js';
import { LocalUpbitServer } from './support/local-upbit-server.js';

// Every refusal is reported four ways: observe().onRefusal, status().refusal, each listener's onError, and the
// rejection of pending get…() calls. Nothing is attempted before the hold is over. Default settings throughout.

let harness: Harness | undefined;
const cleanups: (() => Promise<void>)[] = [];
const failures = captureProcessFailures();
afterAll(() => failures.dispose());

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await harness?.close();
  harness = undefined;
  expect(failures.seen).toEqual([]);
});

interface Reported {
  readonly refusals: StreamRefusal[];
  readonly errors: MarketDataError[];
  readonly ended: (MarketDataError | undefined)[];
}

/** A listener and an observer that record what they are told. */
function watch(source: UpbitWebSocketSource, symbols = [BTC]): Reported {
  const reported: Reported = { refusals: [], errors: [], ended: [] };
  source.observe({ onRefusal: (refusal) => reported.refusals.push(refusal) });
  source.listen('ticker', symbols, {
    onRecord: () => {},
    onError: (error) => reported.errors.push(error),
    onEnd: (reason) => reported.ended.push(reason),
  });
  return reported;
}

describe('the upgrade is refused', () => {
  it('connection refused: NetworkError everywhere; retried with backoff, never in a loop', async () => {
    harness = await startHarness();
    const { source, server, clock } = harness;
    await server.stop();
    const reported = watch(source);
    const pending = source.getTicker(ETH).catch((error: unknown) => error);
    await until(() => reported.refusals.length === 1);
    const refusal = reported.refusals[0];
    expect(refusal).toMatchObject({ kind: 'unreachable', repeats: 1, atMonotonic: 0 });
    expect(refusal?.error).toMatchObject({ name: 'NetworkError', channel: 'websocket', operation: 'connect' });
    expect(refusal?.error.message).toContain('ECONNREFUSED');
    expect(refusal?.retryAtMonotonic).toBeGreaterThanOrEqual(200); // backoff.minMs
    expect(source.status().refusal).toEqual(refusal);
    expect(reported.errors).toEqual([refusal?.error]);
    expect(await pending).toBe(refusal?.error);
    clock.advance(refusal?.retryAtMonotonic ?? 0);
    await until(() => reported.refusals.length === 2);
    expect(reported.refusals[1]).toMatchObject({ kind: 'unreachable', repeats: 2 });
    expect(reported.ended).toEqual([]); // refused connects never end a listener
  });

  it('429: RateLimitError everywhere; nothing attempted for at least 1 s, longer after each 429', async () => {
    harness = await startHarness();
    const { source, server, clock } = harness;
    server.refusal = { status: 429 };
    const reported = watch(source);
    const pending = source.getOrderBook(ETH).catch((error: unknown) => error);
    await until(() => reported.refusals.length === 1);
    expect(reported.refusals[0]).toMatchObject({
      kind: 'rate-limited',
      atMonotonic: 0,
      retryAtMonotonic: 1_000,
      repeats: 1,
      error: { name: 'RateLimitError', retryAfterMs: 1_000, retryable: true },
    });
    expect(await pending).toMatchObject({ name: 'RateLimitError' });
    expect(reported.errors).toHaveLength(1);
    // While it holds, a new caller is told at once instead of waiting.
    await expect(source.getTicker(XRP)).rejects.toMatchObject({ name: 'RateLimitError' });
    clock.advance(999);
    await ioPause(20);
    expect(server.upgradeTimes).toHaveLength(1);
    clock.advance(1);
    await until(() => reported.refusals.length === 2);
    expect(server.upgradeTimes).toEqual([0, 1_000]);
    expect(reported.refusals[1]).toMatchObject({ retryAtMonotonic: 3_000, repeats: 2 }); // 2 s after the second
    server.refusal = undefined;
    clock.advance(2_000);
    await until(() => source.state === 'open');
    await until(() => source.status().refusal === undefined); // data flowed
  });

  it('418: BlockedError everywhere; nothing attempted for the cool-down (60 s), doubled after another 418', async () => {
    harness = await startHarness();
    const { source, server, pump } = harness;
    server.refusal = { status: 418 };
    const reported = watch(source);
    await until(() => reported.refusals.length === 1);
    expect(reported.refusals[0]).toMatchObject({
      kind: 'blocked',
      retryAtMonotonic: 60_000,
      error: { name: 'BlockedError', coolDownMs: 60_000, retryable: false },
    });
    // A listener that comes during the block hears of it at once.
    const late: MarketDataError[] = [];
    source.listen('trade', [XRP], { onRecord: () => {}, onError: (error) => late.push(error) });
    expect(late).toEqual([reported.refusals[0]?.error]);
    await pump(59_999, 1_000);
    expect(server.upgradeTimes).toHaveLength(1);
    await pump(1, 1);
    await until(() => reported.refusals.length === 2);
    expect(server.upgradeTimes).toEqual([0, 60_000]);
    expect(reported.refusals[1]).toMatchObject({ retryAtMonotonic: 180_000, error: { coolDownMs: 120_000 } });
    expect(reported.errors).toHaveLength(2);
    expect(reported.ended).toEqual([]);
  });

  it('418 with an absurd Retry-After: the hold is capped at maxBlockCoolDownMs (default 1 h)', async () => {
    harness = await startHarness();
    const { source, server } = harness;
    server.refusal = { status: 418, headers: { 'Retry-After': '3000000' } };
    const reported = watch(source);
    await until(() => reported.refusals.length === 1);
    expect(reported.refusals[0]).toMatchObject({ retryAtMonotonic: 3_600_000, error: { coolDownMs: 3_600_000 } });
  });

  it('on the real clock: a 400-digit Retry-After, or one past what a timer holds, is safe (no TimeoutOverflowWarning)', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error): void => {
      warnings.push(`${warning.name}: ${warning.message}`);
    };
    process.on('warning', onWarning);
    cleanups.push(async () => {
      process.off('warning', onWarning);
    });
    for (const [retryAfter, maxBlockCoolDownMs, expected] of [
      ['9'.repeat(400), undefined, 3_600_000],
      ['3000000', MAX_TIMER_MS, MAX_TIMER_MS], // 3e9 ms asked, 2^31 - 1 held
    ] as const) {
      const server = await LocalUpbitServer.start();
      cleanups.push(() => server.close());
      server.refusal = { status: 418, headers: { 'Retry-After': retryAfter } };
      const source = createUpbitWebSocketSource({
        url: server.url,
        connectionGovernor: createConnectionGovernor(), // its own, so no other test inherits the block
        ...(maxBlockCoolDownMs === undefined ? {} : { maxBlockCoolDownMs }),
      });
      cleanups.push(() => source.close());
      const reported = watch(source);
      await until(() => reported.refusals.length === 1);
      const refusal = reported.refusals[0];
      expect((refusal?.retryAtMonotonic ?? 0) - (refusal?.atMonotonic ?? 0)).toBeCloseTo(expected, -1);
      expect(source.status().nextAttemptAtMonotonic).toBe(refusal?.retryAtMonotonic);
      await ioPause(50);
      expect(server.upgradeTimes).toHaveLength(1);
      expect(systemClock.monotonic()).toBeLessThan(refusal?.retryAtMonotonic ?? 0);
    }
    await new Promise((resolve) => setImmediate(resolve));
    expect(warnings).toEqual([]);
  });
});

describe('Upbit error frames', () => {
  it('the same refusal 3 times (error frame + close 1000): held longer each time, then never re-sent', async () => {
    harness = await startHarness();
    const { source, server, pump } = harness;
    server.refuseRequests = { name: 'INVALID_PARAM', message: 'nope 은 지원하지 않는 타입입니다.' };
    const reported = watch(source, [BTC, ETH]);
    const stream = source.watchTrades([XRP]);
    const consumer = (async () => {
      for await (const _trade of stream) {
        // nothing arrives: every request is refused
      }
    })().then(
      () => 'done',
      (error: unknown) => error,
    );
    await until(() => reported.refusals.length === 1);
    expect(reported.refusals[0]).toMatchObject({ kind: 'error-frame', repeats: 1, retryAtMonotonic: 1_000 });
    await pump(10 * 60_000, 1_000); // ten minutes
    expect(server.requests).toHaveLength(3);
    expect(server.requestTimes[1]).toBeGreaterThanOrEqual(1_000);
    expect((server.requestTimes[2] ?? 0) - (server.requestTimes[1] ?? 0)).toBeGreaterThanOrEqual(2_000);
    expect(reported.refusals.map((refusal) => [refusal.repeats, refusal.retryAtMonotonic])).toEqual([
      [1, 1_000],
      [2, expect.any(Number)],
      [3, undefined],
    ]);
    const error = reported.refusals[2]?.error;
    expect(error).toMatchObject({
      name: 'UpstreamError',
      upstreamName: 'INVALID_PARAM',
      upstreamMessage: 'nope 은 지원하지 않는 타입입니다.',
    });
    expect(source.status().refusal).toEqual(reported.refusals[2]);
    // The listener heard each refusal and was ended with the last; the stream ends with it too.
    expect(reported.errors).toHaveLength(3);
    expect(reported.ended).toEqual([error]);
    expect(await consumer).toBe(error);
    expect(source.diagnostics().listeners).toBe(0);
    expect(server.totalConnections).toBe(3);
    // Asking for the same set again changes nothing: told at once, nothing sent.
    const again: (MarketDataError | undefined)[] = [];
    const requestsBefore = server.requests.length;
    source.listen('ticker', [BTC], { onRecord: () => {}, onEnd: (reason) => again.push(reason) });
    expect(again).toEqual([error]);
    await expect(source.getTicker(ETH)).rejects.toBe(error);
    await pump(5_000, 250);
    expect(server.requests).toHaveLength(requestsBefore);
  });

  it('several error frames for one request are one refusal, not several in a row', async () => {
    harness = await startHarness();
    const { source, server } = harness;
    const reported = watch(source);
    await until(() => source.latest('ticker', BTC) !== undefined);
    server.sendError('INVALID_PARAM', 'twice', false);
    server.sendError('INVALID_PARAM', 'twice', false);
    server.sendError('INVALID_PARAM', 'twice', false);
    await until(() => reported.refusals.length === 3);
    expect(reported.refusals.map((refusal) => refusal.repeats)).toEqual([1, 1, 1]);
    expect(reported.ended).toEqual([]);
    expect(source.diagnostics().listeners).toBe(1);
  });

  it('a different set starts over', async () => {
    harness = await startHarness({ lingerMs: 0 });
    const { source, server, pump } = harness;
    server.refuseRequests = { name: 'INVALID_PARAM', message: 'bad' };
    const reported = watch(source, [BTC]);
    await pump(30_000, 250);
    expect(reported.refusals).toHaveLength(3);
    expect(server.requests).toHaveLength(3);
    server.refuseRequests = undefined;
    const tickers: string[] = [];
    source.listen('ticker', [ETH], { onRecord: (ticker) => tickers.push(ticker.symbol) });
    await pump(2_000, 100);
    await until(() => tickers.length === 1);
    expect(server.parsedRequests().at(-1)?.codes.ticker).toEqual(['KRW-ETH']);
    expect(source.status().refusal).toBeUndefined();
  });
});
