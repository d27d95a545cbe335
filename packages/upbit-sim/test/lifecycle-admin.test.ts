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
    await subscribe(probe, [{ ticket: 't' }, { type: 'trade', codes: ['KRW-BTC'] }], 1);
    sim.control.setRestLatency('all', 5_000);
    const held = httpGet(`${sim.restUrl}/v1/ticker?markets=KRW-BTC`).catch((error: unknown) => error);
    await clock.advanceAsync(10);
    expect(clock.pendingTimerCount()).toBeGreaterThan(0);
    await sim.close();
    expect(clock.pendingTimerCount()).toBe(0);
    expect(await probe.waitForClose()).toBe(1006);
    expect(await held).toBeInstanceOf(Error);
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
});
