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

type Frame = Record<string, unknown>;

function frames(probe: WsProbe): Frame[] {
  return probe.json().map(objectOf);
}

describe('WebSocket subscriptions', () => {
  it('sends one SNAPSHOT per code and type, then REALTIME frames, all binary', async () => {
    harness = await startFakeSim();
    const probe = await WsProbe.connect(harness.sim.wsUrl);
    await subscribe(
      probe,
      [
        { ticket: 't' },
        { type: 'ticker', codes: ['KRW-BTC', 'KRW-ETH'] },
        { type: 'trade', codes: ['KRW-BTC'] },
        { type: 'orderbook', codes: ['KRW-BTC'] },
      ],
      4,
    );
    const snapshots = frames(probe);
    expect(snapshots.map((f) => `${f.type}:${f.code}:${f.stream_type}`).sort()).toEqual([
      'orderbook:KRW-BTC:SNAPSHOT',
      'ticker:KRW-BTC:SNAPSHOT',
      'ticker:KRW-ETH:SNAPSHOT',
      'trade:KRW-BTC:SNAPSHOT',
    ]);
    await harness.clock.advanceAsync(2_000);
    await probe.waitForCount(20);
    const later = frames(probe).slice(4);
    expect(later.every((f) => f.stream_type === 'REALTIME')).toBe(true);
    expect(new Set(later.map((f) => f.type))).toEqual(new Set(['ticker', 'trade', 'orderbook']));
    expect(probe.messages.every((m) => m.binary)).toBe(true);
  });

  it('a new request replaces the previous subscription', async () => {
    harness = await startFakeSim();
    const probe = await WsProbe.connect(harness.sim.wsUrl);
    await subscribe(probe, [{ ticket: 't' }, { type: 'trade', codes: ['KRW-BTC'] }], 1);
    await subscribe(probe, [{ ticket: 't' }, { type: 'trade', codes: ['KRW-ETH'] }], 1);
    expect(harness.sim.control.subscriptions()).toEqual([
      { connectionId: expect.any(Number), type: 'trade', codes: ['KRW-ETH'], format: 'DEFAULT' },
    ]);
    const mark = probe.messages.length;
    await harness.clock.advanceAsync(3_000);
    await probe.waitForCount(mark + 3);
    await settle();
    expect(
      new Set(
        frames(probe)
          .slice(mark)
          .map((f) => f.code),
      ),
    ).toEqual(new Set(['KRW-ETH']));
  });

  it('unknown and lower-case codes are ignored silently; the connection stays open', async () => {
    harness = await startFakeSim();
    const probe = await WsProbe.connect(harness.sim.wsUrl);
    probe.send([{ ticket: 't' }, { type: 'ticker', codes: ['KRW-NOPE', 'krw-btc', 'KRW-ETH'] }]);
    await probe.waitForCount(1);
    await settle();
    expect(frames(probe).map((f) => f.code)).toEqual(['KRW-ETH']);
    await harness.clock.advanceAsync(2_000);
    await settle();
    expect(frames(probe).every((f) => f.code === 'KRW-ETH' && f.error === undefined)).toBe(true);
    expect(probe.closeCode).toBeUndefined();
  });

  it('isOnlySnapshot sends the snapshot only; isOnlyRealtime skips it', async () => {
    harness = await startFakeSim();
    const snap = await WsProbe.connect(harness.sim.wsUrl);
    await subscribe(snap, [{ ticket: 't' }, { type: 'ticker', codes: ['KRW-BTC'], isOnlySnapshot: true }], 1);
    const real = await WsProbe.connect(harness.sim.wsUrl);
    real.send([{ ticket: 't' }, { type: 'ticker', codes: ['KRW-BTC'], is_only_realtime: true }]);
    await advanceUntil(harness.clock, () => real.messages.length >= 2, 500);
    await settle();
    expect(snap.messages).toHaveLength(1);
    expect(frames(real).every((f) => f.stream_type === 'REALTIME')).toBe(true);
  });

  it('orderbook codes take a unit suffix: 1/5/15/30 are served, other counts widen to 30; code has no suffix', async () => {
    harness = await startFakeSim();
    const probe = await WsProbe.connect(harness.sim.wsUrl);
    await subscribe(
      probe,
      [{ ticket: 't' }, { type: 'orderbook', codes: ['KRW-BTC.5', 'KRW-ETH.20', 'KRW-XRP.1'] }],
      3,
    );
    const byCode = new Map(frames(probe).map((f) => [f.code, (f.orderbook_units as unknown[]).length]));
    expect(byCode).toEqual(
      new Map([
        ['KRW-BTC', 5],
        ['KRW-ETH', 30],
        ['KRW-XRP', 1],
      ]),
    );
  });

  it('orderbook level groups KRW books; a level on a BTC market sends nothing', async () => {
    harness = await startFakeSim();
    const probe = await WsProbe.connect(harness.sim.wsUrl);
    await subscribe(
      probe,
      [{ ticket: 't' }, { type: 'orderbook', codes: ['KRW-BTC', 'BTC-ETH'], level: 1_000_000 }],
      1,
    );
    await settle();
    const [book] = frames(probe);
    expect(book?.code).toBe('KRW-BTC');
    expect(book?.level).toBe(1_000_000);
    for (const unit of (book?.orderbook_units ?? []) as { ask_price: number }[]) {
      expect(unit.ask_price % 1_000_000).toBe(0);
    }
    expect(probe.messages).toHaveLength(1);
  });

  it('trade sequential_id: exact digits beyond 2^53, and a gap-free per-market sequence in the last four digits', async () => {
    harness = await startFakeSim();
    const probe = await WsProbe.connect(harness.sim.wsUrl);
    await subscribe(probe, [{ ticket: 't' }, { type: 'trade', codes: ['KRW-XRP'] }], 1);
    await harness.clock.advanceAsync(3_000);
    await probe.waitForCount(50);
    // The clock is fake and stopped: once the frame of the market's last trade is in, nothing more is coming.
    const state = harness.sim.control.market('KRW-XRP');
    const idOf = (text: string | undefined): string | undefined => /"sequential_id":(\d+)/.exec(text ?? '')?.[1];
    await vi.waitFor(
      () => {
        if (idOf(probe.messages.at(-1)?.text) !== state?.lastSequentialId) throw new Error('last trade not in yet');
      },
      { timeout: 5000, interval: 5 },
    );
    const ids = probe.messages.map((m) => idOf(m.text) as string);
    for (let i = 0; i < ids.length; i++) {
      const id = BigInt(ids[i] as string);
      expect(id > 2n ** 53n).toBe(true);
      const timestamp = JSON.parse(probe.messages[i]?.text ?? '{}').trade_timestamp as number;
      expect(id / 10000n).toBe(BigInt(timestamp));
      if (i > 0) expect(Number(id % 10000n)).toBe((Number(BigInt(ids[i - 1] as string) % 10000n) + 1) % 10000);
    }
    expect(ids[ids.length - 1]).toBe(state?.lastSequentialId);
  });

  it('the REST ticker equals the latest WebSocket ticker at the same instant', async () => {
    harness = await startFakeSim();
    const probe = await WsProbe.connect(harness.sim.wsUrl);
    await subscribe(probe, [{ ticket: 't' }, { type: 'ticker', codes: ['KRW-BTC'] }], 1);
    await harness.clock.advanceAsync(1_500);
    await settle(100);
    const ws = frames(probe).at(-1) as Frame;
    expect(ws.stream_type).toBe('REALTIME');
    const rest = objectOf(
      (JSON.parse((await httpGet(`${harness.sim.restUrl}/v1/ticker?markets=KRW-BTC`)).text) as unknown[])[0],
    );
    const shared = Object.keys(rest).filter((key) => key in ws);
    expect(shared.length).toBeGreaterThanOrEqual(20);
    for (const key of shared) expect(ws[key], key).toEqual(rest[key]);
    // The raw number texts agree too.
    const restText = (await httpGet(`${harness.sim.restUrl}/v1/ticker?markets=KRW-BTC`)).text;
    for (const key of ['trade_price', 'acc_trade_price', 'acc_trade_volume_24h', 'signed_change_rate']) {
      const pattern = new RegExp(`"${key}":([^,}]+)`);
      expect(pattern.exec(probe.messages.at(-1)?.text ?? '')?.[1], key).toBe(pattern.exec(restText)?.[1]);
    }
  });

  it('the REST orderbook is the last published WebSocket book, level for level, with the same timestamp', async () => {
    harness = await startFakeSim();
    const probe = await WsProbe.connect(harness.sim.wsUrl);
    await subscribe(probe, [{ ticket: 't' }, { type: 'orderbook', codes: ['KRW-BTC'] }], 1);
    // Stop between two grid points: trades have moved the live top, but nothing newer was published.
    await harness.clock.advanceAsync(1_250);
    await settle(100);
    const ws = frames(probe).at(-1) as { timestamp: number; orderbook_units: Record<string, number>[] };
    const [rest] = JSON.parse((await httpGet(`${harness.sim.restUrl}/v1/orderbook?markets=KRW-BTC`)).text) as {
      timestamp: number;
      orderbook_units: Record<string, number>[];
    }[];
    expect(rest?.timestamp).toBe(ws.timestamp);
    expect(rest?.orderbook_units).toEqual(ws.orderbook_units);
  });

  it('malformed requests get the error frame, then a close with 1000', async () => {
    harness = await startFakeSim({ rateLimits: false });
    const cases: [unknown, string][] = [
      ['hello', 'WRONG_FORMAT'],
      [{ ticket: 't' }, 'WRONG_FORMAT'],
      [[{ type: 'ticker', codes: ['KRW-BTC'] }], 'NO_TICKET'],
      [[{ ticket: 't' }], 'NO_TYPE'],
      [[{ ticket: 't' }, { type: 'ticker' }], 'NO_CODES'],
      [[{ ticket: 't' }, { type: 'ticker', codes: [] }], 'NO_CODES'],
      [[{ ticket: 't' }, { type: 'nope', codes: ['KRW-BTC'] }], 'INVALID_PARAM'],
    ];
    for (const [request, name] of cases) {
      const probe = await WsProbe.connect(harness.sim.wsUrl);
      probe.send(request);
      expect(await probe.waitForClose()).toBe(1000);
      expect(probe.messages).toHaveLength(1);
      expect(objectOf(objectOf(probe.json()[0]).error).name).toBe(name);
    }
  });
});

describe('WebSocket keep-alive and idle close (fake clock)', () => {
  it('text PING starts {"status":"UP"} every 10 s', async () => {
    harness = await startFakeSim();
    const probe = await WsProbe.connect(harness.sim.wsUrl);
    probe.send('PING');
    await advanceUntil(harness.clock, () => probe.messages.length >= 1, 1_000);
    await harness.clock.advanceAsync(10_000);
    await probe.waitForCount(2);
    await harness.clock.advanceAsync(10_000);
    await probe.waitForCount(3);
    expect(probe.messages.map((m) => m.text)).toEqual(['{"status":"UP"}', '{"status":"UP"}', '{"status":"UP"}']);
  });

  it('a WebSocket ping gets a pong', async () => {
    harness = await startFakeSim();
    const probe = await WsProbe.connect(harness.sim.wsUrl);
    probe.socket.ping();
    await advanceUntil(harness.clock, () => probe.pongs >= 1, 10);
  });

  it('closes an idle connection after the timeout, abruptly (1006, no close frame)', async () => {
    harness = await startFakeSim({ idleTimeoutMs: 60_000 });
    const probe = await WsProbe.connect(harness.sim.wsUrl);
    await harness.clock.advanceAsync(59_000);
    await settle();
    expect(probe.closeCode).toBeUndefined();
    await harness.clock.advanceAsync(1_001);
    expect(await probe.waitForClose()).toBe(1006);
  });

  it('traffic in either direction keeps a connection alive', async () => {
    harness = await startFakeSim({ idleTimeoutMs: 5_000 });
    const pinging = await WsProbe.connect(harness.sim.wsUrl);
    const subscribed = await WsProbe.connect(harness.sim.wsUrl);
    await subscribe(subscribed, [{ ticket: 't' }, { type: 'trade', codes: ['KRW-XRP'] }], 1);
    for (let i = 0; i < 6; i++) {
      pinging.socket.ping();
      await advanceUntil(harness.clock, () => pinging.pongs >= i + 1, 10);
      await harness.clock.advanceAsync(3_000);
    }
    expect(pinging.closeCode).toBeUndefined();
    expect(subscribed.closeCode).toBeUndefined();
    const silent = await WsProbe.connect(harness.sim.wsUrl);
    await harness.clock.advanceAsync(5_001);
    expect(await silent.waitForClose()).toBe(1006);
  });
});
