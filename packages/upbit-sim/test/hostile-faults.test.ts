import { get, type IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
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

type UpgradeOutcome =
  | { readonly kind: 'upgraded'; readonly headers: IncomingHttpHeaders }
  | { readonly kind: 'refused'; readonly status: number; readonly headers: IncomingHttpHeaders; readonly body: string }
  | { readonly kind: 'error'; readonly code: string }
  | { readonly kind: 'timeout' };

/** One raw WebSocket upgrade request: what came back (a 101, an HTTP refusal, a socket error, or nothing). */
function upgrade(url: string, timeoutMs = 5_000): Promise<UpgradeOutcome> {
  return new Promise((resolve) => {
    const req = get(url.replace('ws://', 'http://'), {
      agent: false,
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
        'Sec-WebSocket-Version': '13',
      },
    });
    const timer = setTimeout(() => {
      req.destroy();
      resolve({ kind: 'timeout' });
    }, timeoutMs);
    req.on('upgrade', (res, socket) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ kind: 'upgraded', headers: res.headers });
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        clearTimeout(timer);
        resolve({
          kind: 'refused',
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString(),
        });
      });
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve({ kind: 'error', code: error.code ?? error.message });
    });
  });
}

const LONG_RETRY_AFTER = '9'.repeat(400);

describe('hostile WebSocket upgrade faults', () => {
  it('418 / 429 on upgrade with any Retry-After, counted as injected (not caused by the client)', async () => {
    harness = await startFakeSim({ rateLimits: { wsConnectsPerWindow: 100 } });
    const { control } = harness.sim;
    control.failWsUpgrades(418, 2, { retryAfter: 3_000_000 });
    for (let i = 0; i < 2; i++) {
      const refused = await upgrade(harness.sim.wsUrl);
      expect(refused).toMatchObject({ kind: 'refused', status: 418, headers: { 'retry-after': '3000000' } });
    }
    expect((await upgrade(harness.sim.wsUrl)).kind).toBe('upgraded');
    control.failWsUpgrades(429, Number.POSITIVE_INFINITY, { retryAfter: LONG_RETRY_AFTER });
    for (let i = 0; i < 3; i++) {
      const refused = await upgrade(harness.sim.wsUrl);
      expect(refused).toMatchObject({ kind: 'refused', status: 429, body: 'Too many API requests.' });
      expect(refused.kind === 'refused' ? refused.headers['retry-after'] : '').toBe(LONG_RETRY_AFTER);
    }
    control.failWsUpgrades(429, 0);
    expect((await upgrade(harness.sim.wsUrl)).kind).toBe('upgraded');
    // REST on the same port never noticed.
    expect((await httpGet(`${harness.sim.restUrl}/v1/ticker?markets=KRW-BTC`)).status).toBe(200);
    const counters = control.counters();
    expect(counters.refusals).toMatchObject({
      wsUpgradeInjected418: 2,
      wsUpgradeInjected429: 3,
      wsUpgradeLimit429: 0,
      wsUpgradeLimit418: 0,
      restInjected429: 0,
    });
    expect(counters.sent418).toBe(2);
    expect(counters.sent429).toBe(3);
    expect(counters.wsConnectAttempts).toBe(7);
    expect(() => control.failWsUpgrades(200, 1)).toThrow(/status/);
    expect(() => control.failWsUpgrades(429, 1, { retryAfter: 'a\r\nSet-Cookie: x' })).toThrow(/retryAfter/);
    expect(() => control.failWsUpgrades(429, -1)).toThrow(/count/);
  });

  it('TCP-level faults on upgrades (reset, close, hang) while REST stays healthy', async () => {
    harness = await startFakeSim({ rateLimits: false });
    const { control } = harness.sim;
    control.breakWsConnects('reset', 1);
    expect(await upgrade(harness.sim.wsUrl)).toEqual({ kind: 'error', code: 'ECONNRESET' });
    expect((await httpGet(`${harness.sim.restUrl}/v1/ticker?markets=KRW-BTC`)).status).toBe(200);
    expect((await upgrade(harness.sim.wsUrl)).kind).toBe('upgraded');
    control.breakWsConnects('close');
    for (let i = 0; i < 2; i++) expect(await upgrade(harness.sim.wsUrl)).toEqual({ kind: 'error', code: 'ECONNRESET' });
    control.breakWsConnects('hang');
    expect(await upgrade(harness.sim.wsUrl, 300)).toEqual({ kind: 'timeout' });
    expect((await httpGet(`${harness.sim.restUrl}/v1/orderbook?markets=KRW-BTC`)).status).toBe(200);
    control.breakWsConnects('off');
    expect((await upgrade(harness.sim.wsUrl)).kind).toBe('upgraded');
    expect(control.counters().wsUpgradesBroken).toBe(4);
    expect(() => control.breakWsConnects('explode' as never)).toThrow(/mode/);
  });

  it('resetConnections: open sockets are reset at the TCP level (ECONNRESET; a WebSocket client sees 1006)', async () => {
    harness = await startFakeSim();
    const probe = await WsProbe.connect(harness.sim.wsUrl);
    // A raw upgraded socket shows the RST itself (the ws client reports only the 1006).
    const raw = await new Promise<Socket>((resolve, reject) => {
      const req = get(harness.sim.wsUrl.replace('ws://', 'http://'), {
        agent: false,
        headers: {
          Connection: 'Upgrade',
          Upgrade: 'websocket',
          'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
          'Sec-WebSocket-Version': '13',
        },
      });
      req.on('upgrade', (_res, socket) => resolve(socket as Socket));
      req.on('error', reject);
    });
    const rawError = new Promise<string>((resolve) =>
      raw.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message)),
    );
    await vi.waitFor(() => expect(harness.sim.control.connectionCount()).toBe(2));
    harness.sim.control.resetConnections();
    expect(await probe.waitForClose()).toBe(1006);
    expect(await rawError).toBe('ECONNRESET');
    expect(harness.sim.control.connectionCount()).toBe(0);
    raw.destroy();
  });

  it('counts the most connects in any rolling second (refused ones too)', async () => {
    harness = await startFakeSim();
    const { control } = harness.sim;
    for (let i = 0; i < 5; i++) await WsProbe.connect(harness.sim.wsUrl);
    await harness.clock.advanceAsync(1_000);
    for (let i = 0; i < 5; i++) await WsProbe.connect(harness.sim.wsUrl);
    expect(control.counters().maxWsConnectsPerSecond).toBe(5);
    expect(control.counters().refusals.wsUpgradeLimit429).toBe(0);
    await harness.clock.advanceAsync(400);
    expect((await upgrade(harness.sim.wsUrl)).kind).toBe('refused');
    expect(control.counters()).toMatchObject({
      maxWsConnectsPerSecond: 6,
      wsConnectAttempts: 11,
      refusals: { wsUpgradeLimit429: 1, wsUpgradeInjected429: 0 },
    });
    control.resetCounters();
    expect(control.counters().maxWsConnectsPerSecond).toBe(0);
  });
});

describe('hostile WebSocket data faults', () => {
  it('stallData: no data frames, but PING still gets {"status":"UP"} and pings get pongs; then it resumes', async () => {
    harness = await startFakeSim({ idleTimeoutMs: 30_000 });
    const probe = await WsProbe.connect(harness.sim.wsUrl);
    await subscribe(probe, [{ ticket: 't' }, { type: 'trade', codes: ['KRW-XRP'] }], 1);
    harness.sim.control.stallData(true);
    await settle();
    const mark = probe.messages.length;
    probe.send('PING');
    await advanceUntil(harness.clock, () => probe.messages.length > mark + 2, 1_000);
    expect(probe.messages.slice(mark).every((m) => m.text === '{"status":"UP"}')).toBe(true);
    probe.socket.ping();
    await vi.waitFor(() => expect(probe.pongs).toBe(1));
    // Keeping the socket alive with PINGs keeps it open for longer than the idle timeout.
    await harness.clock.advanceAsync(60_000);
    await settle();
    expect(probe.closeCode).toBeUndefined();
    // A new subscription gets no snapshot either.
    const later = probe.messages.length;
    probe.send([{ ticket: 't' }, { type: 'ticker', codes: ['KRW-BTC'] }]);
    await settle(100);
    expect(probe.messages.slice(later).every((m) => m.text === '{"status":"UP"}')).toBe(true);
    harness.sim.control.stallData(false);
    await harness.clock.advanceAsync(1_000);
    await vi.waitFor(() => expect(probe.json().some((f) => objectOf(f).type === 'ticker')).toBe(true));
  });

  it('rejectSubscriptions: every subscription gets the error frame and a close with 1000; off again', async () => {
    harness = await startFakeSim();
    const { control } = harness.sim;
    control.rejectSubscriptions({ name: 'INVALID_PARAM', message: 'chaos' });
    for (let i = 0; i < 2; i++) {
      const probe = await WsProbe.connect(harness.sim.wsUrl);
      probe.send([{ ticket: 't' }, { type: 'ticker', codes: ['KRW-BTC'] }]);
      expect(await probe.waitForClose()).toBe(1000);
      expect(probe.json()).toEqual([{ error: { name: 'INVALID_PARAM', message: 'chaos' } }]);
    }
    control.rejectSubscriptions({ name: 'NO_CODES', message: 'stay', close: false });
    const open = await WsProbe.connect(harness.sim.wsUrl);
    open.send([{ ticket: 't' }, { type: 'ticker', codes: ['KRW-BTC'] }]);
    await open.waitForCount(1);
    await settle();
    expect(open.closeCode).toBeUndefined();
    expect(control.subscriptions()).toEqual([]);
    control.rejectSubscriptions(false);
    await subscribe(open, [{ ticket: 't' }, { type: 'ticker', codes: ['KRW-BTC'] }], 1);
    expect(objectOf(open.json().at(-1)).code).toBe('KRW-BTC');
    expect(control.counters().wsSubscriptionsRejected).toBe(3);
    expect(() => control.rejectSubscriptions({ name: '', message: 'x' })).toThrow(/name/);
  });
});

describe('hostile REST faults', () => {
  it('429 with a settable Retry-After (3000000, a 400-digit value), counted apart from the rate limiter', async () => {
    harness = await startFakeSim();
    const { control } = harness.sim;
    const ticker = `${harness.sim.restUrl}/v1/ticker?markets=KRW-BTC`;
    control.failRest('ticker', 429, 1, { retryAfter: '3000000' });
    const first = await httpGet(ticker);
    expect(first.status).toBe(429);
    expect(first.text).toBe('Too many API requests.');
    expect(first.headers['retry-after']).toBe('3000000');
    control.failRest('all', 429, 1, { retryAfter: LONG_RETRY_AFTER });
    expect((await httpGet(ticker)).headers['retry-after']).toBe(LONG_RETRY_AFTER);
    control.failRest('all', 418, 1, { retryAfter: 'Wed, 21 Oct 2015 07:28:00 GMT' });
    const blocked = await httpGet(`${harness.sim.restUrl}/v1/orderbook?markets=KRW-BTC`);
    expect([blocked.status, blocked.headers['retry-after']]).toEqual([418, 'Wed, 21 Oct 2015 07:28:00 GMT']);
    // Without a Retry-After option there is no header (Upbit's own 429s carry none on record).
    control.failRest('ticker', 429, 1);
    expect((await httpGet(ticker)).headers['retry-after']).toBeUndefined();
    expect(control.counters().refusals).toMatchObject({ restInjected429: 3, restInjected418: 1, restLimit429: 0 });
    // The rate limiter's own 429s count as caused by the client.
    for (let i = 0; i < 12; i++) await httpGet(ticker);
    expect(control.counters().refusals).toMatchObject({ restInjected429: 3, restLimit429: 2, restLimit418: 0 });
    expect(control.counters().sent429).toBe(5);
  });

  it('a huge body: 120 MiB of valid JSON streamed with a Content-Length, then normal replies again', async () => {
    harness = await startFakeSim({ rateLimits: false });
    const bytes = 120 * 1024 * 1024;
    harness.sim.control.hugeBodies(bytes, 1, 'ticker');
    // Other groups are not inflated.
    expect(JSON.parse((await httpGet(`${harness.sim.restUrl}/v1/market/all`)).text)).toHaveLength(6);
    const received = await new Promise<{ length: number; declared: string | undefined; head: string; tail: string }>(
      (resolve, reject) => {
        get(`${harness.sim.restUrl}/v1/ticker?markets=KRW-BTC`, { agent: false }, (res) => {
          let length = 0;
          let head = '';
          let tail = '';
          res.on('data', (chunk: Buffer) => {
            if (head.length < 40) head += chunk.subarray(0, 40).toString();
            length += chunk.length;
            tail = chunk.subarray(-3).toString();
          });
          res.on('end', () => resolve({ length, declared: res.headers['content-length'], head, tail }));
          res.on('error', reject);
        }).on('error', reject);
      },
    );
    expect(received.length).toBe(bytes);
    expect(received.declared).toBe(String(bytes));
    expect(received.head.startsWith('[{"market":"KRW-BTC","trade_date":')).toBe(true);
    expect(received.tail.endsWith(']')).toBe(true);
    const counters = harness.sim.control.counters();
    expect([counters.hugeBodiesSent, counters.hugeBodyBytesSent]).toEqual([1, bytes]);
    const normal = await httpGet(`${harness.sim.restUrl}/v1/ticker?markets=KRW-BTC`);
    expect(JSON.parse(normal.text)).toHaveLength(1);
  });

  it('a huge body parses as JSON: the real elements repeated', async () => {
    harness = await startFakeSim({ rateLimits: false });
    harness.sim.control.hugeBodies(200_000, 2);
    const parsed = JSON.parse((await httpGet(`${harness.sim.restUrl}/v1/ticker?markets=KRW-BTC,KRW-ETH`)).text) as {
      market: string;
    }[];
    expect(parsed.length).toBeGreaterThan(200);
    expect(new Set(parsed.map((row) => row.market))).toEqual(new Set(['KRW-BTC', 'KRW-ETH']));
    const empty = await httpGet(`${harness.sim.restUrl}/v1/orderbook?markets=BTC-ETH&level=100`);
    expect(empty.text).toHaveLength(200_000);
    expect(JSON.parse(empty.text)).toEqual([]);
    expect(() => harness.sim.control.hugeBodies(1, 1)).toThrow(/bytes/);
    expect(() => harness.sim.control.hugeBodies(2 ** 40, 1)).toThrow(/bytes/);
  });
});
