import { isBlockedError, type MarketCode } from '@marketdata/domain';
import { fixtureText } from '@marketdata/fixtures';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRestBudgets } from '../../src/rest/http/rest-budgets.js';
import { parseRetryAfterMs } from '../../src/rest/http/retry-after.js';
import { MAX_TIMER_DELAY_MS } from '../../src/rest/http/timer-delay.js';
import { createUpbitRestSource, type UpbitRestSource } from '../../src/rest/index.js';
import { type LoopbackServer, startLoopbackServer } from './support/loopback-server.js';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const FOUR_HUNDRED_DIGITS = '9'.repeat(400);
const IN_ONE_HOUR = new Date(NOW + 3_600_000).toUTCString();
const FIVE_SECONDS_AGO = new Date(NOW - 5000).toUTCString();

describe('parseRetryAfterMs: seconds or an HTTP date, clamped to [0, max], never past a timer', () => {
  it.each([
    ['2', 2000],
    ['0', 0],
    ['1.5', 1500],
    [' 3 ', 3000],
    ['3000000', 60_000],
    [FOUR_HUNDRED_DIGITS, 60_000],
    [`${FOUR_HUNDRED_DIGITS}.5`, 60_000],
    [IN_ONE_HOUR, 60_000],
    [new Date(NOW + 30_000).toUTCString(), 30_000],
    [FIVE_SECONDS_AGO, 0],
  ])('%s → %i ms (max 60,000)', (header, expected) => {
    expect(parseRetryAfterMs(header, NOW, 60_000)).toBe(expected);
  });

  it.each([['-5'], ['abc'], [''], ['NaN'], ['Infinity'], ['-Infinity'], ['1e9'], ['0x10'], ['-1.5']])(
    '%j is ignored',
    (header) => {
      expect(parseRetryAfterMs(header, NOW, 60_000)).toBeUndefined();
    },
  );

  it('absent is undefined; no maximum lets a value past what a timer holds through', () => {
    expect(parseRetryAfterMs(null, NOW, 60_000)).toBeUndefined();
    expect(parseRetryAfterMs(undefined, NOW, 60_000)).toBeUndefined();
    expect(parseRetryAfterMs(FOUR_HUNDRED_DIGITS, NOW, MAX_TIMER_DELAY_MS)).toBe(MAX_TIMER_DELAY_MS);
  });
});

describe('hostile Retry-After against the real clock (loopback HTTP): bounded pauses, no process warning', () => {
  const warnings: string[] = [];
  const onWarning = (warning: Error): void => {
    warnings.push(`${warning.name}: ${warning.message}`);
  };
  let server: LoopbackServer | undefined;
  let source: UpbitRestSource | undefined;
  beforeEach(() => {
    warnings.length = 0;
    process.on('warning', onWarning);
  });
  afterEach(async () => {
    await source?.close();
    await server?.close();
    source = undefined;
    server = undefined;
    // Warnings are emitted on the next tick.
    await new Promise((resolve) => setImmediate(resolve));
    process.off('warning', onWarning);
  });

  const PAUSE_CAP_MS = 300;

  it.each([['3000000'], [FOUR_HUNDRED_DIGITS], ['-5'], ['abc'], [new Date(Date.now() + 86_400_000).toUTCString()]])(
    '429 with Retry-After %s: the group pauses at most maxRateLimitPauseMs, then the retry succeeds',
    async (value) => {
      server = await startLoopbackServer((_request, response, index) => {
        if (index === 0) {
          response.writeHead(429, { 'content-type': 'text/plain', 'retry-after': value }).end('Too many API requests.');
          return;
        }
        response.writeHead(200, { 'content-type': 'application/json' }).end(fixtureText('rest-ticker-krw-btc.json'));
      });
      source = createUpbitRestSource({
        url: server.url,
        budgets: createRestBudgets(),
        rateLimit: { maxRateLimitPauseMs: PAUSE_CAP_MS },
      });
      const startedAt = performance.now();
      const ticker = await source.getTicker('KRW-BTC' as MarketCode, { signal: AbortSignal.timeout(5000) });
      const elapsedMs = performance.now() - startedAt;
      expect(ticker.symbol).toBe('KRW-BTC');
      expect(server.requests).toHaveLength(2);
      expect(elapsedMs).toBeLessThan(5000);
      expect(source.client.pacer('ticker').pausedForMs()).toBeLessThanOrEqual(PAUSE_CAP_MS);
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings).toEqual([]);
    },
  );

  it('418 with Retry-After 3000000: the cool-down is capped at maxBlockCoolDownMs, not 35 days', async () => {
    server = await startLoopbackServer((_request, response) => {
      response.writeHead(418, { 'retry-after': '3000000' }).end();
    });
    source = createUpbitRestSource({
      url: server.url,
      budgets: createRestBudgets(),
      rateLimit: { blockCoolDownMs: 100, maxBlockCoolDownMs: 400 },
    });
    const error = await source.getTicker('KRW-BTC' as MarketCode).catch((caught: unknown) => caught);
    expect(isBlockedError(error)).toBe(true);
    expect(error).toMatchObject({ coolDownMs: 400 });
    expect(source.client.pacer('ticker').blockedForMs()).toBeLessThanOrEqual(400);
    await new Promise((resolve) => setTimeout(resolve, 450));
    expect(source.client.pacer('ticker').blockedForMs()).toBe(0);
    expect(warnings).toEqual([]);
  });
});
