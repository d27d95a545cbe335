import { MarketDataError, NetworkError } from '@marketdata/domain';
import { describe, expect, it } from 'vitest';
import { SharedStreams, type StreamSubscriber } from '../../src/server/shared-streams.js';

interface FakeUpstream {
  readonly opened: string[];
  readonly stopped: string[];
  emit(key: string, value: number): void;
  fail(key: string, error: MarketDataError): void;
}

function fakeUpstream(): { upstream: FakeUpstream; streams: (replayLatest: boolean) => SharedStreams<number> } {
  const emitters = new Map<string, { emit: (v: number) => void; fail: (e: MarketDataError) => void }>();
  const upstream: FakeUpstream = {
    opened: [],
    stopped: [],
    emit: (key, value) => emitters.get(key)?.emit(value),
    fail: (key, error) => emitters.get(key)?.fail(error),
  };
  const streams = (replayLatest: boolean) =>
    new SharedStreams<number>({
      replayLatest,
      open: (key, emit, fail) => {
        upstream.opened.push(key);
        emitters.set(key, { emit, fail });
        return () => upstream.stopped.push(key);
      },
    });
  return { upstream, streams };
}

function recorder(): StreamSubscriber<number> & { values: number[]; errors: string[] } {
  const values: number[] = [];
  const errors: string[] = [];
  return { values, errors, onValue: (v) => values.push(v), onError: (e) => errors.push(e.message) };
}

describe('SharedStreams', () => {
  it('opens one upstream stream per key however many subscribers, and stops it when the last one leaves', () => {
    const { upstream, streams } = fakeUpstream();
    const shared = streams(false);
    const tabs = Array.from({ length: 20 }, () => recorder());
    const leaves = tabs.map((tab) => shared.join('KRW-BTC', tab));
    const other = recorder();
    const leaveOther = shared.join('KRW-ETH', other);
    expect(upstream.opened).toEqual(['KRW-BTC', 'KRW-ETH']);
    upstream.emit('KRW-BTC', 1);
    expect(tabs.every((tab) => tab.values.join() === '1')).toBe(true);
    expect(other.values).toEqual([]);
    for (const leave of leaves.slice(1)) leave();
    expect(upstream.stopped).toEqual([]);
    leaves[0]?.();
    leaves[0]?.();
    expect(upstream.stopped).toEqual(['KRW-BTC']);
    expect(shared.openKeys).toEqual(['KRW-ETH']);
    leaveOther();
    expect(shared.openedCount).toBe(2);
  });

  it('replays the latest value to a late subscriber when asked to (states), not otherwise (events)', () => {
    const stateSide = fakeUpstream();
    const eventSide = fakeUpstream();
    const states = stateSide.streams(true);
    const events = eventSide.streams(false);
    states.join('A', recorder());
    events.join('A', recorder());
    stateSide.upstream.emit('A', 7);
    eventSide.upstream.emit('A', 7);
    const lateState = recorder();
    const lateEvent = recorder();
    states.join('A', lateState);
    events.join('A', lateEvent);
    expect(lateState.values).toEqual([7]);
    expect(lateEvent.values).toEqual([]);
  });

  it('a failed stream tells every subscriber, is stopped, and the next join opens it again', () => {
    const { upstream, streams } = fakeUpstream();
    const shared = streams(true);
    const a = recorder();
    const b = recorder();
    shared.join('A', a);
    const leaveB = shared.join('A', b);
    upstream.fail('A', new NetworkError('connection refused'));
    expect([a.errors, b.errors]).toEqual([['connection refused'], ['connection refused']]);
    expect(upstream.stopped).toEqual(['A']);
    leaveB(); // leaving a failed stream stops nothing more
    expect(upstream.stopped).toEqual(['A']);
    const c = recorder();
    shared.join('A', c);
    expect(upstream.opened).toEqual(['A', 'A']);
    expect(c.values).toEqual([]);
  });

  it('a stream that fails while it is being opened is still stopped', () => {
    const stopped: string[] = [];
    const shared = new SharedStreams<number>({
      replayLatest: false,
      open: (key, _emit, fail) => {
        fail(new MarketDataError('refused at once'));
        return () => stopped.push(key);
      },
    });
    const tab = recorder();
    shared.join('A', tab);
    expect(tab.errors).toEqual(['refused at once']);
    expect(stopped).toEqual(['A']);
    expect(shared.openKeys).toEqual([]);
  });

  it('inject hands a value to the subscribers of an open stream only', () => {
    const { streams } = fakeUpstream();
    const shared = streams(true);
    const tab = recorder();
    shared.join('A', tab);
    shared.inject('A', 5);
    shared.inject('B', 6);
    expect(tab.values).toEqual([5]);
    expect(shared.latest('A')).toBe(5);
  });
});
