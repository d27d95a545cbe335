import { parseMarketCode } from '@marketdata/domain';
import { describe, expect, it } from 'vitest';
import { ConflatingQueue } from '../../src/ws/watch/conflating-queue.js';
import { DroppingQueue } from '../../src/ws/watch/dropping-queue.js';
import { StreamWatcher } from '../../src/ws/watch/stream-watcher.js';

const A = parseMarketCode('KRW-AAA');
const B = parseMarketCode('KRW-BBB');

describe('ConflatingQueue', () => {
  it('keeps the latest value per symbol in first-pending order and counts overwrites', () => {
    let conflated = 0;
    const queue = new ConflatingQueue<{ symbol: typeof A; n: number }>(() => conflated++);
    for (let n = 1; n <= 1000; n++) queue.push({ symbol: n % 2 === 0 ? A : B, n });
    expect(queue.size).toBe(2);
    expect(conflated).toBe(998);
    expect(queue.take()).toEqual({ symbol: B, n: 999 });
    expect(queue.take()).toEqual({ symbol: A, n: 1000 });
    expect(queue.take()).toBeUndefined();
  });
});

describe('DroppingQueue', () => {
  it('is FIFO, drops the oldest when full and flags the first drop of each overflow', () => {
    const drops: [number, boolean][] = [];
    const queue = new DroppingQueue<number>(3, (value, first) => drops.push([value, first]));
    for (const n of [1, 2, 3, 4, 5]) queue.push(n);
    expect(drops).toEqual([
      [1, true],
      [2, false],
    ]);
    expect([queue.take(), queue.take(), queue.take(), queue.take()]).toEqual([3, 4, 5, undefined]);
    for (const n of [6, 7, 8, 9]) queue.push(n);
    expect(drops.at(-1)).toEqual([6, true]);
  });
});

describe('StreamWatcher', () => {
  it('hands values to a waiting next(), buffers otherwise, ends once', async () => {
    let ended = 0;
    const watcher = new StreamWatcher<number>(new DroppingQueue(10, () => {}), () => ended++);
    const pending = watcher.next();
    watcher.push(1);
    watcher.push(2);
    expect(await pending).toEqual({ value: 1, done: false });
    expect(await watcher.next()).toEqual({ value: 2, done: false });
    const waiting = watcher.next();
    await watcher.return();
    await watcher.return();
    expect(await waiting).toEqual({ value: undefined, done: true });
    expect(await watcher.next()).toEqual({ value: undefined, done: true });
    expect(ended).toBe(1);
  });

  it('ends on abort and removes its abort listener', async () => {
    const controller = new AbortController();
    let ended = 0;
    const watcher = new StreamWatcher<number>(new DroppingQueue(10, () => {}), () => ended++);
    watcher.bindSignal(controller.signal);
    const waiting = watcher.next();
    controller.abort();
    expect(await waiting).toEqual({ value: undefined, done: true });
    expect(ended).toBe(1);
    const already = new AbortController();
    already.abort();
    const second = new StreamWatcher<number>(new DroppingQueue(10, () => {}), () => ended++);
    second.bindSignal(already.signal);
    expect(second.isEnded).toBe(true);
  });
});

describe('StreamWatcher with several pending next() calls', () => {
  it('serves them in order and ends all of them', async () => {
    const watcher = new StreamWatcher<number>(new DroppingQueue(10, () => {}), () => {});
    const [a, b, c] = [watcher.next(), watcher.next(), watcher.next()];
    watcher.push(1);
    watcher.push(2);
    watcher.end();
    expect(await Promise.all([a, b, c])).toEqual([
      { value: 1, done: false },
      { value: 2, done: false },
      { value: undefined, done: true },
    ]);
  });
});

describe('StreamWatcher ended with an error', () => {
  it('hands out what is queued, then rejects once with the error, then is done', async () => {
    let ended = 0;
    const watcher = new StreamWatcher<number>(new DroppingQueue(10, () => {}), () => ended++);
    watcher.push(1);
    watcher.push(2);
    const refused = new Error('refused for good');
    watcher.end(refused);
    watcher.push(3); // nothing after the end
    expect(await watcher.next()).toEqual({ value: 1, done: false });
    expect(await watcher.next()).toEqual({ value: 2, done: false });
    await expect(watcher.next()).rejects.toBe(refused);
    expect(await watcher.next()).toEqual({ value: undefined, done: true });
    expect(ended).toBe(1);
  });

  it('a consumer already waiting gets the error at once', async () => {
    const watcher = new StreamWatcher<number>(new DroppingQueue(10, () => {}), () => {});
    const waiting = watcher.next();
    const refused = new Error('refused for good');
    watcher.end(refused);
    await expect(waiting).rejects.toBe(refused);
    expect(await watcher.next()).toEqual({ value: undefined, done: true });
  });
});
