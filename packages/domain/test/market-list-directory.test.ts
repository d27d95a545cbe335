import { describe, expect, it } from 'vitest';
import { type Market, type MarketCode, MarketListDirectory } from '../src/index.js';
import { FakeClock, MemoryLogger } from '../src/testing.js';

const market = (symbol: string): Market => ({
  symbol: symbol as MarketCode,
  quote: 'KRW',
  base: symbol.slice(4),
  koreanName: symbol,
  englishName: symbol,
  warning: false,
  cautions: [],
  eventSource: 'none',
});

function directory(answers: (readonly Market[] | Error)[]) {
  const clock = new FakeClock();
  const logger = new MemoryLogger();
  const lifetime = new AbortController();
  let loads = 0;
  const list = new MarketListDirectory({
    refreshMs: 60_000,
    retryAfterFailureMs: 10_000,
    clock,
    logger,
    lifetime: lifetime.signal,
    failureMessage: 'no list today',
    load: async () => {
      const answer = answers[Math.min(loads++, answers.length - 1)];
      if (answer instanceof Error) throw answer;
      return answer ?? [];
    },
  });
  return { list, clock, logger, lifetime, loads: () => loads };
}

describe('a market list directory', () => {
  it('loads on demand, once for callers who wait together, and again only once the list is old', async () => {
    const { list, clock, loads } = directory([[market('KRW-BTC')], [market('KRW-ETH')]]);
    expect(list.isListed('KRW-BTC' as MarketCode)).toBeUndefined();
    expect(loads()).toBe(0);
    await Promise.all([list.ready(), list.ready()]);
    expect(loads()).toBe(1);
    expect(list.isListed('KRW-BTC' as MarketCode)).toBe(true);
    expect(list.freshList()).toEqual({ markets: [market('KRW-BTC')] });
    clock.advance(60_000);
    expect(list.isFresh()).toBe(false);
    expect(list.freshList()).toEqual({ error: undefined });
    expect(list.lastList()).toEqual({ markets: [market('KRW-BTC')] });
    await list.ready();
    expect(loads()).toBe(2);
    expect(list.isListed('KRW-BTC' as MarketCode)).toBe(false);
  });

  it('keeps the old list after a failed refresh, says why, logs it and backs off', async () => {
    const { list, clock, logger, loads } = directory([[market('KRW-BTC')], new Error('boom')]);
    await list.ready();
    clock.advance(60_000);
    await list.ready();
    expect(loads()).toBe(2);
    expect(list.isListed('KRW-BTC' as MarketCode)).toBe(true);
    expect(list.view().lastError?.message).toContain('boom');
    expect(list.view().listed).toBe(1);
    expect(logger.find('warn', 'no list today')).toHaveLength(1);
    expect(list.isFresh()).toBe(true);
    clock.advance(10_000);
    expect(list.isFresh()).toBe(false);
  });

  it('rejects a caller whose signal aborts, and the load goes on for the next one', async () => {
    const { list, loads } = directory([[market('KRW-BTC')]]);
    const leaving = new AbortController();
    const waiting = list.ready({ signal: leaving.signal });
    leaving.abort(new Error('left'));
    await expect(waiting).rejects.toThrow('left');
    await list.ready();
    expect(loads()).toBe(1);
    expect(list.isListed('KRW-BTC' as MarketCode)).toBe(true);
  });
});
