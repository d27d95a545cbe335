import { isTimeoutError, type RequestOptions } from '@marketdata/domain';
import { flushMicrotasks } from '@marketdata/domain/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHarness, type Harness } from '../support/harness.js';

// One deadline per facade call: one `createDeadline` on the injected clock (restTimeoutMs, the facade's lifetime and
// the caller's signal), handed to the source as its only option. No second timer around the adapter's own.

let harness: Harness | undefined;

afterEach(async () => {
  if (harness === undefined) return;
  await harness.md.close();
  expect(harness.clock.pendingTimerCount()).toBe(0);
  harness = undefined;
});

function optionsOf(call: { readonly options?: unknown } | undefined): RequestOptions {
  return (call?.options ?? {}) as RequestOptions;
}

async function failureOf(call: () => Promise<unknown>): Promise<unknown> {
  try {
    await call();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('one deadline per call', () => {
  it('hands each source exactly one option: the signal', async () => {
    harness = createHarness();
    const { md, rest, websocket } = harness;
    const caller = new AbortController();
    await md.getTickers(['KRW-BTC', 'KRW-ETH'], { signal: caller.signal });
    expect(rest.calls).toHaveLength(1);
    expect(Object.keys(optionsOf(rest.calls[0]))).toEqual(['signal']);
    // Not the caller's own signal: the call's, which also carries its deadline and the facade's lifetime.
    expect(optionsOf(rest.calls[0]).signal).toBeInstanceOf(AbortSignal);
    expect(optionsOf(rest.calls[0]).signal).not.toBe(caller.signal);

    const waiting = md.getTicker('KRW-SOL', { source: 'websocket' });
    await flushMicrotasks();
    expect(Object.keys(optionsOf(websocket.calls.at(-1)))).toEqual(['signal']);
    harness.push('KRW-SOL');
    expect((await waiting).source).toBe('websocket');
  });

  it('fails a call to a hanging REST source with TimeoutError at restTimeoutMs, aborting the signal the source saw', async () => {
    harness = createHarness({}, false);
    const { md, rest, clock } = harness;
    expect(md.config.restTimeoutMs).toBe(10_000);
    rest.hangNext(1);
    const pending = failureOf(() => md.getTicker('KRW-BTC'));
    await flushMicrotasks();
    const seen = optionsOf(rest.calls[0]).signal;
    expect(clock.pendingTimerCount()).toBe(1);
    await clock.advanceAsync(9_999);
    expect(seen?.aborted).toBe(false);
    await clock.advanceAsync(1);
    const error = await pending;
    expect(error).toSatisfy(isTimeoutError);
    expect(error).toMatchObject({ timeoutMs: 10_000, operation: 'getTicker' });
    expect(seen?.aborted).toBe(true);
    expect(seen?.reason).toBe(error);
    expect(clock.pendingTimerCount()).toBe(0);
    // A timeout says something about the channel.
    expect(md.health().channels.rest.consecutiveFailures).toBe(1);
  });

  it('never lets a WebSocket wait outlive the call: webSocketTimeoutMs is bounded by restTimeoutMs', async () => {
    harness = createHarness({ restTimeoutMs: 2_000, webSocketTimeoutMs: 5_000 });
    const { md, websocket, clock } = harness;
    const pending = failureOf(() => md.getTicker('KRW-BTC', { source: 'websocket' }));
    await flushMicrotasks();
    const seen = optionsOf(websocket.calls[0]).signal;
    await clock.advanceAsync(1_999);
    expect(seen?.aborted).toBe(false);
    await clock.advanceAsync(1);
    const error = await pending;
    expect(error).toSatisfy(isTimeoutError);
    expect(error).toMatchObject({ timeoutMs: 2_000 });
    expect(seen?.aborted).toBe(true);
    expect(clock.pendingTimerCount()).toBe(0);
  });

  it('sets no timer at all for a call answered from what is at hand (the stream, the cache)', async () => {
    harness = createHarness();
    const { md, clock } = harness;
    harness.push('KRW-BTC');
    await md.getTicker('KRW-ETH');
    const setTimeout = vi.spyOn(clock, 'setTimeout');
    expect((await md.getTicker('KRW-BTC', { source: 'websocket' })).source).toBe('websocket');
    expect((await md.getTicker('KRW-ETH')).source).toBe('cache');
    expect(setTimeout).not.toHaveBeenCalled();
  });

  it('ends a call the caller aborts with the caller reason, leaving no timer and no verdict on the channel', async () => {
    harness = createHarness({}, false);
    const { md, rest, clock } = harness;
    rest.hangNext(1);
    const controller = new AbortController();
    const pending = failureOf(() => md.getTicker('KRW-BTC', { signal: controller.signal }));
    await flushMicrotasks();
    controller.abort(new Error('caller gave up'));
    expect(await pending).toMatchObject({ message: expect.stringContaining('caller gave up') });
    expect(optionsOf(rest.calls[0]).signal?.aborted).toBe(true);
    expect(clock.pendingTimerCount()).toBe(0);
    expect(md.health().channels.rest.consecutiveFailures).toBe(0);
  });
});
