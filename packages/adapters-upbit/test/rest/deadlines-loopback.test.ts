import { createSeededRandom, isTimeoutError, type MarketCode } from '@marketdata/domain';
import { FakeClock, MemoryLogger } from '@marketdata/domain/testing';
import { fixtureText } from '@marketdata/fixtures';
import { afterEach, describe, expect, it } from 'vitest';
import { createRestBudgets } from '../../src/rest/http/rest-budgets.js';
import { createUpbitRestSource, type UpbitRestSource, type UpbitRestSourceOptions } from '../../src/rest/index.js';
import { callerDeadline, errorOf, ioTurn, settleWithClock, successOf } from './support/drive-clock.js';
import { type LoopbackHandler, type LoopbackServer, startLoopbackServer } from './support/loopback-server.js';

const BTC = 'KRW-BTC' as MarketCode;
const TICKER = fixtureText('rest-ticker-krw-btc.json');
const HEADERS = { 'content-type': 'application/json', 'remaining-req': 'group=ticker; min=600; sec=9' };

let server: LoopbackServer | undefined;
let source: UpbitRestSource | undefined;
afterEach(async () => {
  await source?.close();
  await server?.close();
  source = undefined;
  server = undefined;
});

/** A loopback server that never answers its first ticker request and answers the others with a real ticker. */
const hangFirst: LoopbackHandler = (_request, response, index) => {
  if (index === 0) return; // hangs until the client gives up on it
  response.writeHead(200, HEADERS).end(TICKER);
};

async function setup(handler: LoopbackHandler, options: UpbitRestSourceOptions = {}) {
  server = await startLoopbackServer(handler);
  const clock = new FakeClock();
  source = createUpbitRestSource({
    url: server.url,
    clock,
    random: createSeededRandom(1),
    budgets: createRestBudgets(),
    ...options,
  });
  return { server, clock, source };
}

const drive = <T>(promise: Promise<T>, clock: FakeClock) =>
  settleWithClock(promise, clock, { stepMs: 25, ioTurns: 3, maxSteps: 2000 });

describe('one deadline (the caller signal), real retries (loopback HTTP, fake clock)', () => {
  it('a hung first ticker request is retried after attemptTimeoutMs (default 3,000) inside a 10 s deadline', async () => {
    const { server, clock, source } = await setup(hangFirst);
    const deadline = callerDeadline(clock, 10_000);
    const ticker = successOf(await drive(source.getTicker(BTC, { signal: deadline.signal }), clock));
    deadline.dispose();
    expect(ticker).toMatchObject({ symbol: BTC, price: 103493000, source: 'rest' });
    expect(server.requests).toEqual(['/v1/ticker?markets=KRW-BTC', '/v1/ticker?markets=KRW-BTC']);
    expect(clock.monotonic()).toBeGreaterThanOrEqual(3000);
    expect(clock.monotonic()).toBeLessThan(10_000);
  });

  it('with maxRetries 0 the call fails with TimeoutError at attemptTimeoutMs, one request sent', async () => {
    const { server, clock, source } = await setup(hangFirst, { maxRetries: 0 });
    const deadline = callerDeadline(clock, 10_000);
    const error = errorOf(await drive(source.getTicker(BTC, { signal: deadline.signal }), clock));
    deadline.dispose();
    expect(isTimeoutError(error)).toBe(true);
    expect(error).not.toBe(deadline.signal.reason);
    expect(error).toMatchObject({ timeoutMs: 3000, operation: 'getTickers', channel: 'rest' });
    expect(clock.monotonic()).toBeGreaterThanOrEqual(3000);
    expect(clock.monotonic()).toBeLessThan(3000 + 25);
    expect(server.requests).toHaveLength(1);
  });

  it('a caller deadline shorter than the attempt timeout ends the call with its own reason at its own time', async () => {
    const { server, clock, source } = await setup(hangFirst);
    const deadline = callerDeadline(clock, 1000);
    const error = errorOf(await drive(source.getTicker(BTC, { signal: deadline.signal }), clock));
    expect(error).toBe(deadline.signal.reason);
    expect(clock.monotonic()).toBeLessThan(1000 + 25);
    await clock.advanceAsync(20_000);
    for (let turn = 0; turn < 5; turn++) await ioTurn();
    expect(server.requests).toHaveLength(1); // nothing more went out for a caller that left
  });

  it("the caller's abort mid-backoff rejects at once with its reason; nothing more is sent", async () => {
    const unavailable: LoopbackHandler = (_request, response) => {
      response.writeHead(503, { 'content-type': 'text/plain' }).end('unavailable');
    };
    const logger = new MemoryLogger();
    const { server, clock, source } = await setup(unavailable, {
      backoff: { baseDelayMs: 5000, maxDelayMs: 5000 },
      random: { next: () => 0.99 },
      logger,
    });
    const controller = new AbortController();
    let outcome: unknown;
    void source.getTicker(BTC, { signal: controller.signal }).then(
      () => {
        outcome = 'answered';
      },
      (error: unknown) => {
        outcome = error;
      },
    );
    for (let turn = 0; turn < 200 && logger.find('warn', 'backoff').length === 0; turn++) await ioTurn();
    expect(logger.find('warn', 'backoff')).toHaveLength(1); // the 503 is in: a backoff of about 5 s has begun
    await clock.advanceAsync(100);
    expect(server.requests).toHaveLength(1);
    expect(outcome).toBeUndefined();
    const reason = new Error('the caller is done waiting');
    controller.abort(reason);
    await ioTurn();
    expect(outcome).toBe(reason);
    await clock.advanceAsync(60_000);
    for (let turn = 0; turn < 5; turn++) await ioTurn();
    expect(server.requests).toHaveLength(1);
  });
});
