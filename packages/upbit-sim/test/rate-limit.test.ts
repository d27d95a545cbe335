import { afterEach, describe, expect, it } from 'vitest';
import { closeAll, type Harness, httpGet, startFakeSim, WsProbe } from './helpers.js';

let harness: Harness;
afterEach(closeAll);

async function ticker(headers: Record<string, string> = {}) {
  return httpGet(`${harness.sim.restUrl}/v1/ticker?markets=KRW-BTC`, headers);
}

describe('REST rate limits (fake clock)', () => {
  it('10 requests per second per group: sec counts down 9..0, the 11th gets 429 plain text', async () => {
    harness = await startFakeSim();
    const secs: string[] = [];
    for (let i = 0; i < 10; i++) {
      const reply = await ticker();
      expect(reply.status).toBe(200);
      secs.push(String(reply.headers['remaining-req']));
    }
    expect(secs).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0].map((n) => `group=ticker; min=600; sec=${n}`));
    const limited = await ticker();
    expect(limited.status).toBe(429);
    expect(limited.text).toBe('Too many API requests.');
    expect(limited.headers['content-type']).toMatch(/^text\/plain/);
    expect(harness.sim.control.counters().sent429).toBe(1);
  });

  it('the window slides: budget returns one request at a time as old ones leave the second', async () => {
    harness = await startFakeSim();
    for (let i = 0; i < 5; i++) expect((await ticker()).status).toBe(200);
    await harness.clock.advanceAsync(500);
    for (let i = 0; i < 5; i++) expect((await ticker()).status).toBe(200);
    expect((await ticker()).status).toBe(429);
    // 1000 ms after the first five, those five have left the window; the last five still count.
    await harness.clock.advanceAsync(500);
    const next = await ticker();
    expect(next.status).toBe(200);
    expect(next.headers['remaining-req']).toBe('group=ticker; min=600; sec=4');
  });

  it('groups are limited separately', async () => {
    harness = await startFakeSim();
    for (let i = 0; i < 10; i++) expect((await ticker()).status).toBe(200);
    expect((await ticker()).status).toBe(429);
    const book = await httpGet(`${harness.sim.restUrl}/v1/orderbook?markets=KRW-BTC`);
    expect(book.status).toBe(200);
    expect(book.headers['remaining-req']).toBe('group=orderbook; min=600; sec=9');
    const candles = await httpGet(`${harness.sim.restUrl}/v1/candles/days?market=KRW-BTC`);
    expect(candles.headers['remaining-req']).toBe('group=candles; min=600; sec=9');
  });

  it('requests with an Origin header: one per 10 seconds, in the origin group', async () => {
    harness = await startFakeSim();
    const origin = { Origin: 'https://example.com' };
    const first = await ticker(origin);
    expect(first.status).toBe(200);
    expect(first.headers['remaining-req']).toBe('group=origin; min=6; sec=0');
    expect((await ticker(origin)).status).toBe(429);
    await harness.clock.advanceAsync(9_999);
    expect((await ticker(origin)).status).toBe(429);
    await harness.clock.advanceAsync(2);
    expect((await ticker(origin)).status).toBe(200);
  });

  it('hammering through 429s leads to 418 and a block that grows with each repeat', async () => {
    harness = await startFakeSim({ rateLimits: { abuseThreshold: 5, abuseWindowMs: 10_000, blockBaseMs: 4_000 } });
    for (let i = 0; i < 10; i++) await ticker();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await ticker()).status);
    expect(statuses).toEqual([429, 429, 429, 429, 418, 418]);
    const blocked = await ticker();
    expect(blocked.status).toBe(418);
    expect(blocked.text).toMatch(/^Too many API requests\. Blocked for \d+ seconds\.$/);
    // The block covers the whole IP, every group.
    expect((await httpGet(`${harness.sim.restUrl}/v1/orderbook?markets=KRW-BTC`)).status).toBe(418);
    await harness.clock.advanceAsync(3_999);
    expect((await ticker()).status).toBe(418);
    await harness.clock.advanceAsync(2);
    expect((await ticker()).status).toBe(200);
    // Abuse again: the second block lasts twice as long (8 s).
    for (let i = 0; i < 9; i++) await ticker();
    for (let i = 0; i < 5; i++) await ticker();
    expect((await ticker()).status).toBe(418);
    await harness.clock.advanceAsync(7_000);
    expect((await ticker()).status).toBe(418);
    await harness.clock.advanceAsync(1_001);
    expect((await ticker()).status).toBe(200);
    const counters = harness.sim.control.counters();
    expect(counters.sent418).toBeGreaterThanOrEqual(5);
    expect(counters.sent429).toBe(8);
  });

  it('limits are configurable and can be switched off', async () => {
    harness = await startFakeSim({ rateLimits: { perGroup: 3 } });
    for (let i = 0; i < 3; i++) expect((await ticker()).status).toBe(200);
    expect((await ticker()).status).toBe(429);
    await closeAll();
    harness = await startFakeSim({ rateLimits: false });
    for (let i = 0; i < 40; i++) expect((await ticker()).status).toBe(200);
    expect(harness.sim.control.counters().sent429).toBe(0);
  });
});

describe('WebSocket connection rate limit (fake clock)', () => {
  it('5 connects per second per IP; the 6th is refused with 429; the upgrade reply carries Remaining-Req', async () => {
    harness = await startFakeSim();
    const probes: WsProbe[] = [];
    for (let i = 0; i < 5; i++) probes.push(await WsProbe.connect(harness.sim.wsUrl));
    await expect(WsProbe.connect(harness.sim.wsUrl)).rejects.toThrow('upgrade refused: 429');
    expect(harness.sim.control.counters().wsConnectionsRefused).toBe(1);
    await harness.clock.advanceAsync(1_001);
    const upgraded = await new Promise<string | undefined>((resolve, reject) => {
      const probe = new WsProbe(harness.sim.wsUrl);
      probe.socket.once('upgrade', (res) => resolve(res.headers['remaining-req'] as string | undefined));
      probe.socket.once('error', reject);
    });
    expect(upgraded).toBe('group=websocket; min=300; sec=4');
    expect(harness.sim.control.connectionCount()).toBe(6);
  });
});
