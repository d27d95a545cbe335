import { afterEach, describe, expect, it } from 'vitest';
import { closeAll, httpGet, startFakeSim, subscribe, WsProbe } from './helpers.js';

afterEach(closeAll);

async function post(url: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, { method: 'POST' });
  return { status: response.status, body: await response.json() };
}

describe('lifecycle', () => {
  it('close() stops every timer and connection (nothing left pending on the clock)', async () => {
    const { sim, clock } = await startFakeSim({ adminPort: 0 });
    const probe = await WsProbe.connect(sim.wsUrl);
    probe.send('PING');
    await subscribe(
      probe,
      [{ ticket: 't' }, { type: 'trade', codes: ['KRW-BTC'] }, { type: 'candle.1s', codes: ['KRW-BTC'] }],
      2,
    );
    sim.control.setRestLatency('all', 5_000);
    const held = httpGet(`${sim.restUrl}/v1/ticker?markets=KRW-BTC`).catch((error: unknown) => error);
    // An upgrade left hanging by the TCP fault is cut when the simulator closes.
    sim.control.breakWsConnects('hang', 1);
    const hanging = WsProbe.connect(sim.wsUrl).catch((error: unknown) => error);
    await clock.advanceAsync(100);
    expect(clock.pendingTimerCount()).toBeGreaterThan(0);
    await sim.close();
    expect(clock.pendingTimerCount()).toBe(0);
    expect(await probe.waitForClose()).toBe(1006);
    expect(await held).toBeInstanceOf(Error);
    expect(await hanging).toBeInstanceOf(Error);
    await sim.close();
  });
});

describe('admin endpoint', () => {
  it('drives faults and reports state over HTTP', async () => {
    const { sim } = await startFakeSim({ adminPort: 0 });
    const admin = sim.adminUrl ?? '';
    expect(admin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const probe = await WsProbe.connect(sim.wsUrl);
    await subscribe(probe, [{ ticket: 't' }, { type: 'ticker', codes: ['KRW-ETH'] }], 1);
    expect(JSON.parse((await httpGet(`${admin}/subscriptions`)).text)).toEqual([
      { connectionId: 1, type: 'ticker', codes: ['KRW-ETH'], format: 'DEFAULT' },
    ]);
    const market = JSON.parse((await httpGet(`${admin}/markets/KRW-ETH`)).text) as { code: string; tradePrice: number };
    expect(market.code).toBe('KRW-ETH');
    expect(market.tradePrice).toBe(sim.control.market('KRW-ETH')?.tradePrice);
    expect((await httpGet(`${admin}/markets/KRW-NOPE`)).status).toBe(404);
    expect(JSON.parse((await httpGet(`${admin}/markets`)).text)).toEqual(sim.control.marketCodes());

    expect((await post(`${admin}/faults/malformed?ratio=0.5`)).status).toBe(200);
    expect((await post(`${admin}/faults/malformed?ratio=5`)).status).toBe(400);
    expect((await post(`${admin}/faults/latency?group=orderbook&ms=0`)).status).toBe(200);
    expect((await post(`${admin}/faults/truncate?count=1`)).status).toBe(200);
    const cut = await httpGet(`${sim.restUrl}/v1/market/all`);
    expect(() => JSON.parse(cut.text)).toThrow();
    expect((await post(`${admin}/faults/freeze?code=KRW-ETH&on=1`)).status).toBe(200);
    expect(sim.control.market('KRW-ETH')?.frozen).toBe(true);
    expect((await post(`${admin}/faults/jump?code=KRW-BTC&ratio=0.9`)).status).toBe(200);
    expect((await post(`${admin}/faults/stall?on=1`)).status).toBe(200);
    expect((await post(`${admin}/faults/stall?on=0`)).status).toBe(200);
    expect((await post(`${admin}/faults/drop`)).status).toBe(200);
    expect(await probe.waitForClose()).toBe(1006);
    expect((await post(`${admin}/counters/reset`)).status).toBe(200);
    expect(JSON.parse((await httpGet(`${admin}/counters`)).text)).toMatchObject({ framesSent: 0, sent429: 0 });
    expect((await httpGet(`${admin}/nope`)).status).toBe(404);
  });

  it('drives the hostile faults and reads candles over HTTP', async () => {
    const { sim, clock } = await startFakeSim({ adminPort: 0 });
    const admin = sim.adminUrl ?? '';
    await clock.advanceAsync(3_000);
    expect((await post(`${admin}/faults/fail?group=ticker&status=429&count=1&retryAfter=3000000`)).status).toBe(200);
    expect((await httpGet(`${sim.restUrl}/v1/ticker?markets=KRW-BTC`)).headers['retry-after']).toBe('3000000');
    expect((await post(`${admin}/faults/huge-bodies?bytes=300000&count=1&group=orderbook`)).status).toBe(200);
    expect((await httpGet(`${sim.restUrl}/v1/orderbook?markets=KRW-BTC`)).text).toHaveLength(300_000);
    expect((await post(`${admin}/faults/huge-bodies?bytes=1`)).status).toBe(400);
    expect((await post(`${admin}/faults/ws-upgrades?status=418&count=inf&retryAfter=60`)).status).toBe(200);
    await expect(WsProbe.connect(sim.wsUrl)).rejects.toThrow('upgrade refused: 418');
    await expect(WsProbe.connect(sim.wsUrl)).rejects.toThrow('upgrade refused: 418');
    expect((await post(`${admin}/faults/ws-upgrades?status=418&count=0`)).status).toBe(200);
    expect((await post(`${admin}/faults/ws-connect-break?mode=reset&count=1`)).status).toBe(200);
    await expect(WsProbe.connect(sim.wsUrl)).rejects.toThrow();
    expect((await post(`${admin}/faults/ws-connect-break?mode=sideways`)).status).toBe(400);
    expect((await post(`${admin}/faults/reject-subscriptions?name=NO_CODES&message=nope`)).status).toBe(200);
    const rejected = await WsProbe.connect(sim.wsUrl);
    rejected.send([{ ticket: 't' }, { type: 'trade', codes: ['KRW-BTC'] }]);
    expect(await rejected.waitForClose()).toBe(1000);
    expect((await post(`${admin}/faults/reject-subscriptions?on=0`)).status).toBe(200);
    const probe = await WsProbe.connect(sim.wsUrl);
    await subscribe(probe, [{ ticket: 't' }, { type: 'trade', codes: ['KRW-BTC'] }], 1);
    expect((await post(`${admin}/faults/stall-data?on=1`)).status).toBe(200);
    expect((await post(`${admin}/faults/stall-data?on=0`)).status).toBe(200);
    expect((await post(`${admin}/faults/reset-connections`)).status).toBe(200);
    expect(await probe.waitForClose()).toBe(1006);
    const counters = JSON.parse((await httpGet(`${admin}/counters`)).text) as Record<string, unknown>;
    expect(counters).toMatchObject({
      refusals: { restInjected429: 1, wsUpgradeInjected418: 2 },
      wsUpgradesBroken: 1,
      wsSubscriptionsRejected: 1,
      hugeBodiesSent: 1,
    });
    const to = clock.now();
    const from = to - 120_000;
    const candles = JSON.parse(
      (await httpGet(`${admin}/candles?code=KRW-BTC&unit=minutes&size=1&from=${from}&to=${to}`)).text,
    ) as unknown[];
    expect(candles).toEqual(sim.control.candles('KRW-BTC', { unit: 'minutes', size: 1 }, from, to));
    expect(candles.length).toBeGreaterThan(0);
    expect((await httpGet(`${admin}/candles?code=KRW-BTC&unit=hours&from=0&to=1`)).status).toBe(400);
    expect((await httpGet(`${admin}/candles?code=KRW-NOPE&unit=days&from=0&to=1`)).status).toBe(400);
  });
});
