import { isBlockedError, isRateLimitError, silentLogger } from '@marketdata/domain';
import { FakeClock, flushMicrotasks } from '@marketdata/domain/testing';
import { describe, expect, it } from 'vitest';
import { GroupPacer } from '../../src/rest/http/group-pacer.js';
import { MAX_TIMER_DELAY_MS } from '../../src/rest/http/timer-delay.js';
import { DEFAULT_REST_RATE_LIMIT } from '../../src/rest/options.js';

function pacer(overrides: Partial<typeof DEFAULT_REST_RATE_LIMIT> = {}) {
  const clock = new FakeClock();
  const limits = { ...DEFAULT_REST_RATE_LIMIT, ...overrides };
  return { clock, pacer: new GroupPacer('ticker', limits, clock, silentLogger) };
}

/** Acquires `count` slots and reports how many were granted without time moving. */
async function grantedNow(subject: GroupPacer, count: number): Promise<{ granted: number; all: Promise<number[]> }> {
  let granted = 0;
  const all = Promise.all(
    Array.from({ length: count }, () =>
      subject.acquire().then((ticket) => {
        granted++;
        return ticket;
      }),
    ),
  );
  await flushMicrotasks();
  return { granted, all };
}

describe('GroupPacer', () => {
  it('grants the window budget at once, the rest a window after the oldest answer', async () => {
    const { clock, pacer: subject } = pacer();
    const first = await grantedNow(subject, 12);
    expect(first.granted).toBe(10);
    for (let ticket = 1; ticket <= 10; ticket++) subject.release(ticket); // answered at once
    await clock.advanceAsync(1049);
    expect(subject.queueLength()).toBe(2);
    await clock.advanceAsync(1);
    expect(subject.queueLength()).toBe(0);
    expect(await first.all).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    subject.close();
  });

  it('a slot stays taken while its request is out, and for a window after the answer', async () => {
    const { clock, pacer: subject } = pacer();
    const first = await grantedNow(subject, 11);
    expect(first.granted).toBe(10);
    // Nothing came back: however long that takes, an 11th request could still meet all 10 at Upbit.
    await clock.advanceAsync(5000);
    expect(subject.queueLength()).toBe(1);
    expect(clock.pendingTimerCount()).toBe(0);
    subject.release(4); // answered at 5000: Upbit saw it at some time up to 5000
    await clock.advanceAsync(1049);
    expect(subject.queueLength()).toBe(1);
    await clock.advanceAsync(1);
    expect(subject.queueLength()).toBe(0);
    expect((await first.all)[10]).toBe(11);
    subject.close();
  });

  it('release is idempotent and ignores tickets it does not hold', async () => {
    const { clock, pacer: subject } = pacer({ requestsPerWindow: 1 });
    const first = await grantedNow(subject, 2);
    subject.release(1);
    await clock.advanceAsync(600);
    subject.release(1); // a second release must not restart the window
    subject.release(99);
    await clock.advanceAsync(450);
    expect(subject.queueLength()).toBe(0);
    expect(await first.all).toEqual([1, 2]);
    subject.close();
  });

  it('counts sends made after the answered request as already spent', async () => {
    const { clock, pacer: subject } = pacer();
    const first = await grantedNow(subject, 5);
    await first.all;
    // Upbit answered ticket 1 with sec=5, but tickets 2..5 went out after it: only 1 more may go now.
    subject.onRemaining(5, 1);
    const next = await grantedNow(subject, 3);
    expect(next.granted).toBe(1);
    await clock.advanceAsync(1050);
    expect(subject.queueLength()).toBe(0);
    subject.close();
  });

  it('ignores an answer older than the one it already synchronised from', async () => {
    const { pacer: subject } = pacer();
    await (await grantedNow(subject, 2)).all;
    subject.onRemaining(0, 2);
    subject.onRemaining(9, 1);
    const next = await grantedNow(subject, 1);
    expect(next.granted).toBe(0);
    subject.close();
    await expect(next.all).rejects.toMatchObject({ name: 'ClosedError' });
  });

  it('sec=0 holds the group for a window even when the local budget has room', async () => {
    const { clock, pacer: subject } = pacer();
    await (await grantedNow(subject, 1)).all;
    subject.onRemaining(0, 1);
    const next = await grantedNow(subject, 1);
    expect(next.granted).toBe(0);
    await clock.advanceAsync(1050);
    expect(await next.all).toEqual([2]);
    subject.close();
  });

  it('a 429 pauses the group: the wait doubles per consecutive 429 and resets after a success', () => {
    const { clock, pacer: subject } = pacer();
    expect(subject.onRateLimited(undefined, 0)).toBe(1050);
    // More 429s answering requests sent before the pause are the same episode: no further doubling.
    clock.advance(10);
    expect(subject.onRateLimited(undefined, 0)).toBe(1040);
    clock.advance(1040);
    expect(subject.onRateLimited(undefined, 0)).toBe(2100);
    clock.advance(2100);
    expect(subject.onRateLimited(undefined, 0.5)).toBe(4200 + 525);
    expect(subject.pausedForMs()).toBe(4725);
    clock.advance(4725);
    subject.onSuccess();
    expect(subject.onRateLimited(3000, 0)).toBe(3000);
    subject.close();
  });

  it('a 429 storm cannot pause a group for more than 16 windows', () => {
    const { clock, pacer: subject } = pacer();
    const waits: number[] = [];
    for (let i = 0; i < 10; i++) {
      const wait = subject.onRateLimited(undefined, 0);
      waits.push(wait);
      clock.advance(wait);
    }
    expect(waits).toEqual([1050, 2100, 4200, 8400, 16800, 16800, 16800, 16800, 16800, 16800]);
    subject.close();
  });

  it('a 418 blocks the group: callers fail fast, the cool-down doubles up to the maximum', async () => {
    const { clock, pacer: subject } = pacer({ blockCoolDownMs: 1000, maxBlockCoolDownMs: 3000 });
    expect(subject.onBlocked(undefined)).toBe(1000);
    await expect(subject.acquire()).rejects.toSatisfy(isBlockedError);
    await clock.advanceAsync(1000);
    expect(await subject.acquire()).toBe(1);
    expect(subject.onBlocked(undefined)).toBe(2000);
    expect(subject.onBlocked(undefined)).toBe(3000);
    expect(subject.onBlocked(2500)).toBe(3000);
    subject.close();
    expect(clock.pendingTimerCount()).toBe(0);
  });

  it("a 418's Retry-After longer than the doubled cool-down is honoured, but never past maxBlockCoolDownMs", () => {
    const { pacer: subject } = pacer({ blockCoolDownMs: 1000, maxBlockCoolDownMs: 3000 });
    expect(subject.onBlocked(2500)).toBe(2500);
    expect(subject.onBlocked(60_000)).toBe(3000);
    expect(subject.onBlocked(Number.POSITIVE_INFINITY)).toBe(3000);
    expect(subject.onBlocked(Number.NaN)).toBe(3000);
    expect(subject.blockedForMs()).toBe(3000);
    subject.close();
  });

  it('a 418 streak cannot overflow the cool-down (2^streak past any number)', () => {
    const { pacer: subject } = pacer({ blockCoolDownMs: 1000, maxBlockCoolDownMs: 3_600_000 });
    for (let i = 0; i < 1100; i++) subject.onBlocked(undefined);
    expect(subject.onBlocked(undefined)).toBe(3_600_000);
    subject.close();
  });

  it('fails a caller at once with RateLimitError when the pause is longer than maxPauseWaitMs, queued ones too', async () => {
    const { clock, pacer: subject } = pacer({ maxPauseWaitMs: 2_000 });
    // A short pause is waited out.
    subject.onRateLimited(1_500, 0);
    const short = subject.acquire();
    await clock.advanceAsync(1_600);
    subject.release(await short);
    // The budget is in use and one more caller waits for it, when Upbit answers 429 with a long Retry-After.
    const tickets = await Promise.all(Array.from({ length: 9 }, () => subject.acquire()));
    const queued = subject.acquire();
    queued.catch(() => undefined);
    await flushMicrotasks();
    subject.onRateLimited(30_000, 0);
    await expect(queued).rejects.toSatisfy(isRateLimitError);
    const error = await subject.acquire().then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toSatisfy(isRateLimitError);
    expect((error as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(2_000);
    for (const ticket of tickets) subject.release(ticket);
    subject.close();
  });

  it('a 429 pause never exceeds maxRateLimitPauseMs, whatever Retry-After says', () => {
    const { clock, pacer: subject } = pacer({ maxRateLimitPauseMs: 5000 });
    expect(subject.onRateLimited(3_000_000_000, 0)).toBe(5000);
    clock.advance(5000);
    expect(subject.onRateLimited(Number.POSITIVE_INFINITY, 0.99)).toBe(5000);
    clock.advance(5000);
    expect(subject.onRateLimited(-5, 0)).toBe(4200); // a negative value counts as none: the streak's window
    expect(subject.pausedForMs()).toBe(4200);
    subject.close();
  });

  it('a wait longer than a timer can hold is armed in steps a timer can hold', async () => {
    const clock = new FakeClock();
    const delays: number[] = [];
    const recording = {
      now: () => clock.now(),
      monotonic: () => clock.monotonic(),
      setTimeout: (callback: () => void, delayMs: number) => {
        delays.push(delayMs);
        return clock.setTimeout(callback, delayMs);
      },
      clearTimeout: (handle: Parameters<FakeClock['clearTimeout']>[0]) => clock.clearTimeout(handle),
    };
    const limits = {
      ...DEFAULT_REST_RATE_LIMIT,
      maxRateLimitPauseMs: 3 * MAX_TIMER_DELAY_MS,
      maxPauseWaitMs: 3 * MAX_TIMER_DELAY_MS,
    };
    const subject = new GroupPacer('ticker', limits, recording, silentLogger);
    expect(subject.onRateLimited(2 * MAX_TIMER_DELAY_MS + 1000, 0)).toBe(2 * MAX_TIMER_DELAY_MS + 1000);
    const granted = subject.acquire();
    await clock.advanceAsync(2 * MAX_TIMER_DELAY_MS + 1000);
    expect(await granted).toBe(1);
    expect(delays.length).toBeGreaterThanOrEqual(3);
    expect(Math.max(...delays)).toBeLessThanOrEqual(MAX_TIMER_DELAY_MS);
    subject.close();
  });
});
