import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { CounterBook } from '../src/control/counters.js';
import { streamHugeBody } from '../src/rest/reply-writer.js';

/** A response that records its writes and applies backpressure every `every` writes. */
class RecordingResponse extends EventEmitter {
  readonly writes: number[] = [];
  ended = false;
  destroyed = false;
  pendingDrain = false;
  private head = '';
  private tail = '';
  constructor(private readonly every: number) {
    super();
  }
  write(chunk: Buffer): boolean {
    if (this.pendingDrain) throw new Error('wrote while waiting for drain');
    this.writes.push(chunk.length);
    if (this.head.length < 64) this.head += chunk.toString();
    this.tail = (this.tail + chunk.toString()).slice(-64);
    if (this.writes.length % this.every === 0) {
      this.pendingDrain = true;
      return false;
    }
    return true;
  }
  end(chunk: string): void {
    this.writes.push(Buffer.byteLength(chunk));
    this.tail = (this.tail + chunk).slice(-64);
    this.ended = true;
  }
  drain(): void {
    this.pendingDrain = false;
    this.emit('drain');
  }
  text(): { head: string; tail: string } {
    return { head: this.head, tail: this.tail };
  }
}

function run(body: string, bytes: number, every = 7): RecordingResponse {
  const res = new RecordingResponse(every);
  streamHugeBody(res as unknown as ServerResponse, body, bytes, new CounterBook());
  for (let guard = 0; !res.ended && guard < 1_000_000; guard++) res.drain();
  return res;
}

describe('huge REST bodies are streamed in bounded chunks', () => {
  it('writes exactly `bytes`, in chunks of at most 64 KiB plus one element, waiting for drain', () => {
    const body = `[${'{"market":"KRW-BTC","trade_price":103460000.00000000}'},{"market":"KRW-ETH"}]`;
    for (const bytes of [body.length, body.length + 1, 70_000, 5 * 1024 * 1024 + 3]) {
      const res = run(body, bytes);
      expect(res.ended, String(bytes)).toBe(true);
      expect(
        res.writes.reduce((sum, n) => sum + n, 0),
        String(bytes),
      ).toBe(bytes);
      expect(Math.max(...res.writes), String(bytes)).toBeLessThanOrEqual(64 * 1024 + body.length);
      expect(res.text().head.startsWith('[{"market":"KRW-BTC"')).toBe(true);
      expect(res.text().tail.endsWith(']')).toBe(true);
    }
  });

  it('an empty list is padded with spaces and stays valid JSON', () => {
    const res = run('[]', 100_000);
    expect(res.writes.reduce((sum, n) => sum + n, 0)).toBe(100_000);
    expect(res.text().head.startsWith('[   ')).toBe(true);
  });

  it('stops writing once the client is gone', () => {
    const res = new RecordingResponse(3);
    streamHugeBody(res as unknown as ServerResponse, '[1]', 10_000_000, new CounterBook());
    res.destroyed = true;
    res.drain();
    const count = res.writes.length;
    res.drain();
    expect(res.writes.length).toBe(count);
    expect(res.ended).toBe(false);
  });
});
