import { request } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  advanceUntil,
  closeAll,
  type Harness,
  httpGet,
  objectOf,
  settle,
  startFakeSim,
  subscribe,
  WsProbe,
} from './helpers.js';

let harness: Harness;
afterEach(closeAll);

function tickerUrl(): string {
  return `${harness.sim.restUrl}/v1/ticker?markets=KRW-BTC`;
}

/** Resolves when the response headers arrive; the body is collected separately. */
function headersThenBody(url: string): Promise<{ status: number; body: Promise<string> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false }, (res) => {
      const chunks: Buffer[] = [];
      const body = new Promise<string>((done, fail) => {
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
        res.on('error', fail);
      });
      resolve({ status: res.statusCode ?? 0, body });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('WebSocket faults', () => {
  it('dropConnections closes every socket abruptly (1006)', async () => {
    harness = await startFakeSim();
    const a = await WsProbe.connect(harness.sim.wsUrl);
    const b = await WsProbe.connect(harness.sim.wsUrl);
    harness.sim.control.dropConnections();
    expect(await a.waitForClose()).toBe(1006);
    expect(await b.waitForClose()).toBe(1006);
    expect(harness.sim.control.connectionCount()).toBe(0);
  });

  it('stall keeps sockets open but sends nothing (no data, no UP, no pong), then resumes', async () => {
    harness = await startFakeSim({ idleTimeoutMs: 5_000 });
    const probe = await WsProbe.connect(harness.sim.wsUrl);
    await subscribe(probe, [{ ticket: 't' }, { type: 'trade', codes: ['KRW-XRP'] }], 1);
    probe.send('PING');
    await advanceUntil(harness.clock, () => probe.messages.some((m) => m.text.includes('"status"')), 1_000);
    harness.sim.control.stall(true);
    await settle();
    const mark = probe.messages.length;
    const seqAtStall = harness.sim.control.market('KRW-XRP')?.lastTradeSeq ?? 0;
    probe.socket.ping();
    await harness.clock.advanceAsync(30_000);
    await settle(100);
    expect(probe.messages.length).toBe(mark);
    expect(probe.pongs).toBe(0);
    expect(probe.closeCode).toBeUndefined();
    harness.sim.control.stall(false);
    await harness.clock.advanceAsync(1_000);
    await probe.waitForCount(mark + 5);
    // Trades made during the stall were never sent: the first one after it skips hundreds of sequence numbers.
    const first = /"sequential_id":(\d+)/.exec(probe.messages[mark]?.text ?? '')?.[1] ?? '0';
    const seqAfter = Number(BigInt(first) % 10000n);
    expect((seqAfter - (seqAtStall % 10000) + 10000) % 10000).toBeGreaterThan(100);
    probe.socket.ping();
    await vi.waitFor(() => expect(probe.pongs).toBe(1));
  });

  it('malformed frames at a ratio: broken JSON, wrong types or missing fields, counted', async () => {
    harness = await startFakeSim();
    harness.sim.control.setMalformedRatio(1);
    const probe = await WsProbe.connect(harness.sim.wsUrl);
    probe.send([{ ticket: 't' }, { type: 'trade', codes: ['KRW-XRP'] }]);
    await advanceUntil(harness.clock, () => probe.messages.length >= 30, 500);
    // Frames already sent may still be on their way: compare once everything sent has arrived.
    await vi.waitFor(() => expect(probe.messages.length).toBe(harness.sim.control.counters().malformedFramesSent));
    const kinds = new Set<string>();
    for (const message of probe.messages) {
      let parsed: Record<string, unknown>;
      try {
        parsed = objectOf(JSON.parse(message.text));
      } catch {
        kinds.add('truncated');
        continue;
      }
      if (parsed.code === undefined) kinds.add('missing-field');
      else if (typeof parsed.timestamp === 'string') kinds.add('wrong-type');
      else kinds.add('intact');
    }
    expect(kinds).toEqual(new Set(['truncated', 'missing-field', 'wrong-type']));
    expect(harness.sim.control.counters().malformedFramesSent).toBe(probe.messages.length);
    harness.sim.control.setMalformedRatio(0);
    const mark = probe.messages.length;
    await harness.clock.advanceAsync(1_000);
    await probe.waitForCount(mark + 5);
    expect(
      probe
        .json()
        .slice(mark)
        .every((f) => f !== undefined && objectOf(f).code === 'KRW-XRP'),
    ).toBe(true);
  });

  it('sendWsError sends an error frame to every client and closes with 1000', async () => {
    harness = await startFakeSim();
    const probe = await WsProbe.connect(harness.sim.wsUrl);
    harness.sim.control.sendWsError('INVALID_AUTH', 'test');
    expect(await probe.waitForClose()).toBe(1000);
    expect(probe.json()[0]).toEqual({ error: { name: 'INVALID_AUTH', message: 'test' } });
  });
});

describe('REST faults (fake clock)', () => {
  it('latency per group holds the reply until the clock moves', async () => {
    harness = await startFakeSim();
    harness.sim.control.setRestLatency('ticker', 2_000);
    let done = false;
    const pending = httpGet(tickerUrl()).then((reply) => {
      done = true;
      return reply;
    });
    // The request must have reached the simulator before the fake clock moves (its delay starts on arrival).
    await vi.waitFor(() => expect(harness.sim.control.counters().requestsByGroup.ticker).toBe(1));
    await harness.clock.advanceAsync(1_999);
    await settle();
    expect(done).toBe(false);
    await harness.clock.advanceAsync(1);
    expect((await pending).status).toBe(200);
    // Other groups are not delayed.
    expect((await httpGet(`${harness.sim.restUrl}/v1/orderbook?markets=KRW-BTC`)).status).toBe(200);
  });

  it('failRest answers the next N requests with the status, then recovers', async () => {
    harness = await startFakeSim();
    harness.sim.control.failRest('ticker', 503, 2);
    expect((await httpGet(tickerUrl())).status).toBe(503);
    expect((await httpGet(`${harness.sim.restUrl}/v1/orderbook?markets=KRW-BTC`)).status).toBe(200);
    expect((await httpGet(tickerUrl())).status).toBe(503);
    expect((await httpGet(tickerUrl())).status).toBe(200);
    harness.sim.control.failRest('all', 429, 1);
    const limited = await httpGet(`${harness.sim.restUrl}/v1/candles/days?market=KRW-BTC`);
    expect(limited.status).toBe(429);
    expect(limited.text).toBe('Too many API requests.');
    harness.sim.control.failRest('all', 418, 1);
    expect((await httpGet(tickerUrl())).status).toBe(418);
    const counters = harness.sim.control.counters();
    expect(counters.sent429).toBe(1);
    expect(counters.sent418).toBe(1);
    expect(counters.responsesByStatus['503']).toBe(2);
  });

  it('slow bodies: headers first, the body only after the delay', async () => {
    harness = await startFakeSim();
    harness.sim.control.slowBodies(5_000);
    const reply = await headersThenBody(tickerUrl());
    expect(reply.status).toBe(200);
    let body: string | undefined;
    void reply.body.then((text) => {
      body = text;
    });
    await settle();
    expect(body).toBeUndefined();
    await harness.clock.advanceAsync(5_000);
    await settle();
    expect(JSON.parse(body ?? 'null')).toHaveLength(1);
  });

  it('truncated bodies: the next N replies are cut short (invalid JSON)', async () => {
    harness = await startFakeSim();
    harness.sim.control.truncateBodies(1);
    const cut = await httpGet(tickerUrl());
    expect(cut.status).toBe(200);
    expect(() => JSON.parse(cut.text)).toThrow();
    expect(JSON.parse((await httpGet(tickerUrl())).text)).toHaveLength(1);
  });

  it('rejects fault settings that make no sense', async () => {
    harness = await startFakeSim();
    expect(() => harness.sim.control.setMalformedRatio(2)).toThrow(/malformedRatio/);
    expect(() => harness.sim.control.failRest('ticker', 200, 1)).toThrow(/status/);
    expect(() => harness.sim.control.freezeMarket('KRW-NOPE', true)).toThrow(/Unknown simulator market/);
  });
});

describe('market faults (fake clock)', () => {
  it('a frozen market stops trading while the others go on', async () => {
    harness = await startFakeSim();
    harness.sim.control.freezeMarket('KRW-XRP', true);
    const frozenBefore = harness.sim.control.market('KRW-XRP')?.lastTradeSeq;
    const otherBefore = harness.sim.control.market('KRW-BTC')?.lastTradeSeq ?? 0;
    await harness.clock.advanceAsync(10_000);
    expect(harness.sim.control.market('KRW-XRP')?.lastTradeSeq).toBe(frozenBefore);
    expect(harness.sim.control.market('KRW-BTC')?.lastTradeSeq ?? 0).toBeGreaterThan(otherBefore + 50);
    harness.sim.control.freezeMarket('KRW-XRP', false);
    await harness.clock.advanceAsync(2_000);
    expect(harness.sim.control.market('KRW-XRP')?.lastTradeSeq ?? 0).toBeGreaterThan(frozenBefore ?? 0);
  });

  it('jumpPrice trades now at the new level, on the tick grid, and streams it', async () => {
    harness = await startFakeSim();
    const probe = await WsProbe.connect(harness.sim.wsUrl);
    await subscribe(probe, [{ ticket: 't' }, { type: 'trade', codes: ['KRW-USDE'] }], 1);
    const before = harness.sim.control.market('KRW-USDE')?.tradePrice ?? 0;
    harness.sim.control.jumpPrice('KRW-USDE', 1.05);
    await probe.waitForCount(2);
    const trade = objectOf(probe.json()[1]);
    expect(trade.trade_price).toBe(Math.round(before * 1.05));
    expect(harness.sim.control.market('KRW-USDE')?.tradePrice).toBe(trade.trade_price);
  });
});

describe('server stop and restart', () => {
  it('stop refuses connections; start listens again on the same port; restart drops clients', async () => {
    harness = await startFakeSim();
    const probe = await WsProbe.connect(harness.sim.wsUrl);
    await harness.sim.control.stop();
    expect(await probe.waitForClose()).toBe(1006);
    await expect(httpGet(tickerUrl())).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(harness.sim.control.isListening()).toBe(false);
    await harness.sim.control.start();
    expect((await httpGet(tickerUrl())).status).toBe(200);
    const again = await WsProbe.connect(harness.sim.wsUrl);
    await harness.sim.control.restart();
    expect(await again.waitForClose()).toBe(1006);
    expect((await httpGet(tickerUrl())).status).toBe(200);
  });
});

describe('counters', () => {
  it('count requests per group, frames per code and per connection', async () => {
    harness = await startFakeSim();
    await httpGet(tickerUrl());
    await httpGet(`${harness.sim.restUrl}/v1/trades/ticks?market=KRW-BTC`);
    await httpGet(`${harness.sim.restUrl}/v1/nope`);
    const probe = await WsProbe.connect(harness.sim.wsUrl);
    await subscribe(probe, [{ ticket: 't' }, { type: 'ticker', codes: ['KRW-BTC', 'KRW-ETH'] }], 2);
    await harness.clock.advanceAsync(1_000);
    await settle(100);
    const counters = harness.sim.control.counters();
    expect(counters.requestsByGroup).toEqual({ ticker: 1, 'crix-trades': 1, none: 1 });
    expect(counters.responsesByStatus).toEqual({ '200': 2, '404': 1 });
    expect(counters.wsConnections).toBe(1);
    const perCode = (counters.framesPerCode['KRW-BTC'] ?? 0) + (counters.framesPerCode['KRW-ETH'] ?? 0);
    expect(perCode).toBe(probe.messages.length);
    expect(counters.framesSent).toBe(probe.messages.length);
    expect(Object.values(counters.framesPerConnection)).toEqual([probe.messages.length]);
    harness.sim.control.resetCounters();
    expect(harness.sim.control.counters().framesSent).toBe(0);
  });
});
