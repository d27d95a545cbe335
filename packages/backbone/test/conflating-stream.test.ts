import { describe, expect, it } from 'vitest';
import { ConflatingStream } from '../src/index.js';

function stream() {
  const events = { conflated: 0, stopped: 0 };
  const queue = new ConflatingStream<{ key: string; value: number }, string>({
    keyOf: (item) => item.key,
    deliver: (item) => `${item.key}=${item.value}`,
    onConflated: () => events.conflated++,
    onStop: () => events.stopped++,
  });
  return { queue, events };
}

describe('ConflatingStream', () => {
  it('keeps one pending item per key, in first-arrival order, and counts replacements', async () => {
    const { queue, events } = stream();
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

  it('delivers pending items before the end or the failure, then reports it once', async () => {
    const { queue } = stream();
    queue.push({ key: 'A', value: 1 });
    queue.fail(new Error('upstream failed'));
    expect((await queue.next()).value).toBe('A=1');
    await expect(queue.next()).rejects.toThrow('upstream failed');
    expect(await queue.next()).toEqual({ done: true, value: undefined });
  });

  it('stops at once on return(), dropping what is pending and releasing the upstream', async () => {
    const { queue, events } = stream();
    const waiting = queue.next();
    await queue.return();
    expect(await waiting).toEqual({ done: true, value: undefined });
    queue.push({ key: 'A', value: 1 });
    expect(await queue.next()).toEqual({ done: true, value: undefined });
    expect(events.stopped).toBe(1);
  });

  it('holds memory to the number of keys however many items arrive', async () => {
    const { queue, events } = stream();
    for (let i = 0; i < 100_000; i++) queue.push({ key: `K${i % 10}`, value: i });
    expect(events.conflated).toBe(100_000 - 10);
    const received: string[] = [];
    for (let i = 0; i < 10; i++) received.push(String((await queue.next()).value));
    expect(received[0]).toBe('K0=99990');
    expect(received[9]).toBe('K9=99999');
  });
});
