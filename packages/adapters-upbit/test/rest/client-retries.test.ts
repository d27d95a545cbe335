import {
  isBlockedError,
  isDataValidationError,
  isNetworkError,
  isRateLimitError,
  isTimeoutError,
  isUpstreamError,
} from '@marketdata/domain';
import { fixtureText } from '@marketdata/fixtures';
import { afterEach, describe, expect, it } from 'vitest';
import { type ClientHarness, clientHarness } from './support/client-harness.js';
import { callerDeadline, errorOf, ioTurn, settleWithClock, successOf } from './support/drive-clock.js';
import { type FakeReply, remainingReq } from './support/fake-upbit-fetch.js';

const TICKER = fixtureText('rest-ticker-krw-btc.json');
const ok: FakeReply = { body: TICKER, headers: remainingReq('ticker', 9) };
const tooMany: FakeReply = { status: 429, body: 'Too many API requests.', headers: { 'content-type': 'text/plain' } };
const tooManyJson: FakeReply = { status: 429, body: fixtureText('rest-error-429-unverified.json') };
const WINDOW = 1050; // windowMs 1000 + safetyMarginMs 50 (defaults)

let harness: ClientHarness | undefined;
afterEach(() => {
  harness?.client.close();
  expect(harness?.clock.pendingTimerCount() ?? 0).toBe(0);
  harness = undefined;
});

function sequence(...replies: FakeReply[]) {
  return (_url: URL, index: number): FakeReply => replies[Math.min(index, replies.length - 1)] ?? ok;
}

describe('429', () => {
  it('waits at least the window (plain-text body), then succeeds', async () => {
    harness = clientHarness(sequence(tooMany, ok));
    const result = successOf(await settleWithClock(harness.client.getTickers(['KRW-BTC']), harness.clock));
    expect(result.data[0]?.trade_price).toBe(103493000);
    expect(result.attempts).toBe(2);
    const [first, second] = harness.fetch.calls;
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(WINDOW);
    expect(harness.logger.find('warn', '429')).toHaveLength(1);
  });

  it('gives RateLimitError with retryAfterMs after maxRetries, doubling the wait (JSON body)', async () => {
    harness = clientHarness(sequence(tooManyJson), { maxRetries: 3 });
    const error = errorOf(await settleWithClock(harness.client.getTickers(['KRW-BTC']), harness.clock));
    expect(isRateLimitError(error)).toBe(true);
    expect(error).toMatchObject({ group: 'ticker', channel: 'rest', operation: 'getTickers' });
    expect((error as { retryAfterMs: number }).retryAfterMs).toBeGreaterThanOrEqual(8 * WINDOW);
    expect((error as Error).message).toContain('Too many API requests.');
    const times = harness.fetch.calls.map((call) => call.at);
    expect(times).toHaveLength(4);
    const gaps = times.slice(1).map((at, index) => at - (times[index] ?? 0));
    gaps.forEach((gap, index) => {
      expect(gap).toBeGreaterThanOrEqual(WINDOW * 2 ** index);
      expect(gap).toBeLessThanOrEqual(WINDOW * 2 ** index + WINDOW + 20);
    });
  });

  it('pauses the whole group: another caller waits too', async () => {
    harness = clientHarness(sequence(tooMany, ok, ok));
    const first = harness.client.getTickers(['KRW-BTC']);
    const { clock } = harness;
    await settleWithClock(Promise.resolve(), clock);
    const second = harness.client.getTickers(['KRW-ETH']);
    successOf(await settleWithClock(Promise.all([first, second]), clock));
    const [a, b, c] = harness.fetch.calls.map((call) => call.at);
    expect((b ?? 0) - (a ?? 0)).toBeGreaterThanOrEqual(WINDOW);
    expect((c ?? 0) - (a ?? 0)).toBeGreaterThanOrEqual(WINDOW);
  });
});

describe('418', () => {
  it('gives BlockedError at once, sends nothing to the group for the cool-down, doubles it on repeat', async () => {
    const book: FakeReply = { body: fixtureText('rest-orderbook-krw-btc.json'), headers: remainingReq('orderbook', 9) };
    harness = clientHarness((url) => (url.pathname === '/v1/orderbook' ? book : { status: 418, body: '' }), {
      rateLimit: { blockCoolDownMs: 10_000 },
    });
    const { client, clock, fetch } = harness;
    const first = errorOf(await settleWithClock(client.getTickers(['KRW-BTC']), clock));
    expect(isBlockedError(first)).toBe(true);
    expect(first).toMatchObject({ coolDownMs: 10_000, group: 'ticker', retryable: false });
    expect(fetch.calls).toHaveLength(1);

    const during = errorOf(await settleWithClock(client.getTickers(['KRW-BTC']), clock));
    expect(isBlockedError(during)).toBe(true);
    expect(fetch.calls).toHaveLength(1);

    // Another group is not blocked.
    successOf(await settleWithClock(client.getOrderBooks(['KRW-BTC']), clock));
    expect(fetch.calls).toHaveLength(2);

    await clock.advanceAsync(10_000);
    const second = errorOf(await settleWithClock(client.getTickers(['KRW-BTC']), clock));
    expect(second).toMatchObject({ coolDownMs: 20_000 });
    expect(fetch.calls).toHaveLength(3);
    expect(client.pacer('ticker').blockedForMs()).toBeGreaterThan(19_000);
  });

  it('fails queued callers of the group with BlockedError', async () => {
    harness = clientHarness(sequence({ status: 418, body: 'blocked' }), { rateLimit: { requestsPerWindow: 1 } });
    const calls = [harness.client.getTickers(['KRW-BTC']), harness.client.getTickers(['KRW-ETH'])];
    const outcomes = await Promise.all(calls.map((call) => settleWithClock(call, harness?.clock as never)));
    expect(outcomes.every((outcome) => !outcome.ok && isBlockedError(outcome.error))).toBe(true);
    expect(harness.fetch.calls).toHaveLength(1);
  });
});

describe('5xx, network errors and timeouts', () => {
  it('retries a 5xx burst with exponential backoff and full jitter', async () => {
    harness = clientHarness(sequence({ status: 503, body: 'unavailable' }, { status: 500, body: '' }, ok), {
      backoff: { baseDelayMs: 200, maxDelayMs: 5000 },
    });
    const result = successOf(
      await settleWithClock(harness.client.getTickers(['KRW-BTC']), harness.clock, { stepMs: 1 }),
    );
    expect(result.attempts).toBe(3);
    const [a, b, c] = harness.fetch.calls.map((call) => call.at);
    expect((b ?? 0) - (a ?? 0)).toBeLessThanOrEqual(200 + 1);
    expect((c ?? 0) - (b ?? 0)).toBeLessThanOrEqual(400 + 1);
    expect(harness.logger.find('warn', 'backoff')).toHaveLength(2);
  });

  it('gives the last UpstreamError after maxRetries of 5xx (maxRetries + 1 requests, no more)', async () => {
    harness = clientHarness(sequence({ status: 502, body: '<html>bad gateway</html>' }), { maxRetries: 2 });
    const error = errorOf(await settleWithClock(harness.client.getTickers(['KRW-BTC']), harness.clock));
    expect(isUpstreamError(error)).toBe(true);
    expect(error).toMatchObject({ status: 502, retryable: true, upstreamMessage: '<html>bad gateway</html>' });
    expect(harness.fetch.calls).toHaveLength(3);
  });

  it('retries network errors, then NetworkError', async () => {
    harness = clientHarness(sequence({ networkError: 'ECONNRESET' }), { maxRetries: 1 });
    const error = errorOf(await settleWithClock(harness.client.getTickers(['KRW-BTC']), harness.clock));
    expect(isNetworkError(error)).toBe(true);
    expect(harness.fetch.calls).toHaveLength(2);
  });

  it('times out each attempt after attemptTimeoutMs on the injected clock, then retries', async () => {
    harness = clientHarness(sequence({ hang: true }, ok), { attemptTimeoutMs: 500 });
    const result = successOf(await settleWithClock(harness.client.getTickers(['KRW-BTC']), harness.clock));
    expect(result.attempts).toBe(2);
    const [a, b] = harness.fetch.calls.map((call) => call.at);
    expect((b ?? 0) - (a ?? 0)).toBeGreaterThanOrEqual(500);
  });

  it('gives TimeoutError when every attempt hangs', async () => {
    harness = clientHarness(sequence({ hang: true }), { attemptTimeoutMs: 500, maxRetries: 1 });
    const error = errorOf(await settleWithClock(harness.client.getTickers(['KRW-BTC']), harness.clock));
    expect(isTimeoutError(error)).toBe(true);
    expect(error).toMatchObject({ timeoutMs: 500 });
    expect(harness.fetch.calls).toHaveLength(2);
  });

  it('retries a truncated 200 body, then succeeds', async () => {
    harness = clientHarness(sequence({ body: TICKER.slice(0, 100) }, ok));
    const result = successOf(await settleWithClock(harness.client.getTickers(['KRW-BTC']), harness.clock));
    expect(result.attempts).toBe(2);
  });

  it('a mistyped field gives DataValidationError at once, no retry', async () => {
    harness = clientHarness(sequence({ body: TICKER.replace('"trade_price": 103493000.0', '"trade_price": null') }));
    const error = errorOf(await settleWithClock(harness.client.getTickers(['KRW-BTC']), harness.clock));
    expect(isDataValidationError(error)).toBe(true);
    expect(error).toMatchObject({ path: '$[0].trade_price', value: null });
    expect(harness.fetch.calls).toHaveLength(1);
  });

  it('does not retry a 400 and keeps Upbit name and message', async () => {
    harness = clientHarness(sequence({ status: 400, body: fixtureText('rest-error-400-type-mismatch.json') }));
    const error = errorOf(
      await settleWithClock(harness.client.getOrderBooks(['KRW-BTC'], { count: 5 }), harness.clock),
    );
    expect(error).toMatchObject({
      name: 'UpstreamError',
      status: 400,
      upstreamName: 400,
      upstreamMessage: 'Type mismatch error. Check the parameters type!',
      retryable: false,
    });
    expect(harness.fetch.calls).toHaveLength(1);
  });
});

describe("the caller's signal is the one deadline", () => {
  it('the default attempt timeout is 3,000 ms: a hung first attempt is retried inside a 10 s caller deadline', async () => {
    harness = clientHarness(sequence({ hang: true }, ok));
    const deadline = callerDeadline(harness.clock, 10_000);
    const result = successOf(
      await settleWithClock(harness.client.getTickers(['KRW-BTC'], { signal: deadline.signal }), harness.clock),
    );
    deadline.dispose();
    expect(result.attempts).toBe(2);
    const [a, b] = harness.fetch.calls.map((call) => call.at);
    expect((b ?? 0) - (a ?? 0)).toBeGreaterThanOrEqual(3000);
    expect((b ?? 0) - (a ?? 0)).toBeLessThan(10_000);
  });

  it('an abort mid-backoff rejects at once with its reason, and nothing more is sent', async () => {
    harness = clientHarness(sequence({ status: 503, body: 'unavailable' }), {
      maxRetries: 3,
      backoff: { baseDelayMs: 5000, maxDelayMs: 5000 },
      random: { next: () => 0.99 },
    });
    const { client, clock, fetch } = harness;
    const controller = new AbortController();
    const call = client.getTickers(['KRW-BTC'], { signal: controller.signal });
    let outcome: unknown;
    call.then(
      () => {
        outcome = 'answered';
      },
      (error: unknown) => {
        outcome = error;
      },
    );
    for (let turn = 0; turn < 5; turn++) await ioTurn();
    expect(fetch.calls).toHaveLength(1); // the 503 came back; a backoff of about 5 s has begun
    expect(harness.logger.find('warn', 'backoff')).toHaveLength(1);
    const reason = new Error('the caller gave up');
    controller.abort(reason);
    await ioTurn();
    expect(outcome).toBe(reason); // without the clock moving
    await clock.advanceAsync(60_000);
    for (let turn = 0; turn < 5; turn++) await ioTurn();
    expect(fetch.calls).toHaveLength(1);
  });

  it('an abort while an attempt is out rejects at once with its reason and aborts the request', async () => {
    harness = clientHarness(sequence({ hang: true }));
    const { client, fetch } = harness;
    const controller = new AbortController();
    const call = client.getOrderBooks(['KRW-BTC'], {}, { signal: controller.signal });
    for (let turn = 0; turn < 3; turn++) await ioTurn();
    expect(fetch.calls).toHaveLength(1);
    const reason = new Error('deadline of the caller');
    controller.abort(reason);
    await expect(call).rejects.toBe(reason);
    expect(harness.fetch.calls).toHaveLength(1);
  });

  it('a signal aborted before the call rejects with its reason and sends nothing', async () => {
    harness = clientHarness(sequence(ok));
    const reason = new Error('already over');
    await expect(harness.client.getTickers(['KRW-BTC'], { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(harness.fetch.calls).toHaveLength(0);
  });

  it('exactly one timer per attempt: nothing else is pending while an attempt is out', async () => {
    harness = clientHarness(sequence({ hang: true }, ok));
    const controller = new AbortController();
    const call = harness.client.getTickers(['KRW-BTC'], { signal: controller.signal });
    for (let turn = 0; turn < 3; turn++) await ioTurn();
    expect(harness.fetch.calls).toHaveLength(1);
    expect(harness.clock.pendingTimerCount()).toBe(1);
    successOf(await settleWithClock(call, harness.clock));
  });
});
