import { isQueueFullError } from '@marketdata/domain';
import { describe, expect, it } from 'vitest';
import { BoundedQueue, ConflatingQueue } from '../src/facade/consumer-queue.js';

interface Item {
  readonly key: string;
  readonly value: number;
}

function conflating() {
  const events = { conflated: 0, closed: 0 };
  const queue = new ConflatingQueue<Item, string>({
    keyOf: (item) => item.key,
    deliver: (item) => `${item.key}=${item.value}`,
    onConflated: () => events.conflated++,
    onClose: () => events.closed++,
  });
  return { queue, events };
}

function bounded(capacity: number) {
  const events = { closed: 0 };
  const queue = new BoundedQueue<Item, string>({
    capacity,
    operation: 'watchTrades',
    deliver: (item) => `${item.key}=${item.value}`,
    onClose: () => events.closed++,
  });
  return { queue, events };
}

describe('ConflatingQueue (states)', () => {
  it('keeps one pending item per key, in first-arrival order, and counts replacements', async () => {
    const { queue, events } = conflating();
    queue.push({ key: 'A', value: 1 });
    queue.push({ key: 'B', value: 1 });
    queue.push({ key: 'A', value: 2 });
    queue.push({ key: 'A', value: 3 });
    expect(events.conflated).toBe(2);
    expect((await queue.next()).value).toBe('A=3');
    queue.push({ key: 'A', value: 4 });
    expect((await queue.next()).value).toBe('B=1');
    expect((await queue.next()).value).toBe('A=4');
  });

  it('hands an item straight to a waiting consumer, without keeping or counting it', async () => {
    const { queue, events } = conflating();
    const waiting = queue.next();
    queue.push({ key: 'A', value: 1 });
    expect((await waiting).value).toBe('A=1');
    expect(events.conflated).toBe(0);
  });

  it('delivers pending items before the end or the failure, then reports it once, and closes once', async () => {
    const { queue, events } = conflating();
    queue.push({ key: 'A', value: 1 });
    queue.fail(new Error('upstream failed'));
    expect(events.closed).toBe(1);
    expect((await queue.next()).value).toBe('A=1');
    await expect(queue.next()).rejects.toThrow('upstream failed');
    expect(await queue.next()).toEqual({ done: true, value: undefined });
    queue.end();
    expect(events.closed).toBe(1);
  });

  it('stops at once on return(), dropping what is pending and releasing the upstream', async () => {
    const { queue, events } = conflating();
    const waiting = queue.next();
    await queue.return();
    expect(await waiting).toEqual({ done: true, value: undefined });
    queue.push({ key: 'A', value: 1 });
    expect(await queue.next()).toEqual({ done: true, value: undefined });
    expect(events.closed).toBe(1);
  });

  it('holds memory to the number of keys however many items arrive', async () => {
    const { queue, events } = conflating();
    for (let i = 0; i < 100_000; i++) queue.push({ key: `K${i % 10}`, value: i });
    expect(events.conflated).toBe(100_000 - 10);
    const received: string[] = [];
    for (let i = 0; i < 10; i++) received.push(String((await queue.next()).value));
    expect(received[0]).toBe('K0=99990');
    expect(received[9]).toBe('K9=99999');
  });
});

describe('BoundedQueue (events)', () => {
  it('keeps every item in order, never conflating, up to its capacity', async () => {
    const { queue } = bounded(5);
    for (let i = 0; i < 5; i++) queue.push({ key: 'A', value: i });
    const received: string[] = [];
    for (let i = 0; i < 5; i++) received.push(String((await queue.next()).value));
    expect(received).toEqual(['A=0', 'A=1', 'A=2', 'A=3', 'A=4']);
  });

  it('ends with a QueueFullError after what it kept, when the consumer falls capacity items behind', async () => {
    const { queue, events } = bounded(3);
    for (let i = 0; i < 4; i++) queue.push({ key: 'A', value: i });
    expect(events.closed).toBe(1);
    const received: string[] = [];
    for (let i = 0; i < 3; i++) received.push(String((await queue.next()).value));
    expect(received).toEqual(['A=0', 'A=1', 'A=2']);
    const error = await queue.next().then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(error).toSatisfy(isQueueFullError);
    expect(error).toMatchObject({ capacity: 3, operation: 'watchTrades' });
    // Nothing is accepted after the overflow: the consumer knows trades were lost from there on.
    queue.push({ key: 'A', value: 9 });
    expect(await queue.next()).toEqual({ done: true, value: undefined });
  });

  it('counts only the items outstanding against the capacity, not every item ever queued', async () => {
    const { queue } = bounded(10);
    for (let i = 0; i < 5_000; i++) {
      queue.push({ key: 'A', value: i });
      expect((await queue.next()).value).toBe(`A=${i}`);
    }
    queue.end();
    expect(await queue.next()).toEqual({ done: true, value: undefined });
  });
});
