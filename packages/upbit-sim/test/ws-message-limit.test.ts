import { afterEach, describe, expect, it, vi } from 'vitest';
import { closeAll, type Harness, objectOf, settle, startFakeSim, WsProbe } from './helpers.js';

let harness: Harness;
afterEach(closeAll);

const request = (code: string): unknown[] => [{ ticket: 't' }, { type: 'ticker', codes: [code], isOnlySnapshot: true }];

/** Sends one subscription and waits for its snapshot. */
async function accepted(probe: WsProbe, code = 'KRW-BTC'): Promise<void> {
  const before = probe.messages.length;
  probe.send(request(code));
  await probe.waitForCount(before + 1);
  expect(objectOf(probe.json().at(-1)).code).toBe(code);
}

describe('per-connection request limit (documented: 5 per second, 100 per minute)', () => {
  it('the 6th request within a second gets an error frame and a close with 1000 (chosen reply)', async () => {
    harness = await startFakeSim();
    const probe = await WsProbe.connect(harness.sim.wsUrl);
    for (let i = 0; i < 5; i++) await accepted(probe);
    probe.send(request('KRW-ETH'));
    expect(await probe.waitForClose()).toBe(1000);
    expect(probe.messages.at(-1)?.text).toBe(
      '{"error":{"name":"TOO_MANY_REQUESTS","message":"Too many API requests."}}',
    );
    const counters = harness.sim.control.counters();
    expect(counters.wsMessagesRefused).toBe(1);
    expect(counters.wsMessagesReceived).toBe(6);
    // The limit is per connection: another one is not affected.
    const other = await WsProbe.connect(harness.sim.wsUrl);
    await accepted(other);
  });

  it('the window rolls: 5 per second for 20 seconds is fine, the 101st within the minute is refused', async () => {
    harness = await startFakeSim();
    const probe = await WsProbe.connect(harness.sim.wsUrl);
    for (let second = 0; second < 20; second++) {
      for (let i = 0; i < 5; i++) await accepted(probe);
      await harness.clock.advanceAsync(1_000);
    }
    expect(harness.sim.control.counters().wsMessagesRefused).toBe(0);
    // 20 s into the minute: the second window is empty, the minute window is full.
    probe.send(request('KRW-ETH'));
    expect(await probe.waitForClose()).toBe(1000);
    expect(harness.sim.control.counters().wsMessagesRefused).toBe(1);
    // A new connection has a budget of its own.
    const again = await WsProbe.connect(harness.sim.wsUrl);
    for (let i = 0; i < 5; i++) await accepted(again);
  });

  it('name, message and close are configurable; a refused request changes nothing', async () => {
    harness = await startFakeSim({
      rateLimits: {
        wsMessagesPerSecond: 2,
        wsMessageLimitName: 'SLOW_DOWN',
        wsMessageLimitMessage: 'later',
        wsMessageLimitClose: false,
      },
    });
    const probe = await WsProbe.connect(harness.sim.wsUrl);
    await accepted(probe, 'KRW-BTC');
    probe.send([{ ticket: 't' }, { type: 'trade', codes: ['KRW-XRP'] }]);
    await probe.waitForCount(2);
    probe.send(request('KRW-ETH'));
    await probe.waitForCount(3);
    expect(JSON.parse(probe.messages[2]?.text ?? '')).toEqual({ error: { name: 'SLOW_DOWN', message: 'later' } });
    await settle();
    expect(probe.closeCode).toBeUndefined();
    expect(harness.sim.control.subscriptions()).toEqual([
      { connectionId: expect.any(Number), type: 'trade', codes: ['KRW-XRP'], format: 'DEFAULT' },
    ]);
    await harness.clock.advanceAsync(1_000);
    const mark = probe.messages.length;
    probe.send(request('KRW-ETH'));
    // Frames of the XRP trades the clock just made may still be arriving: wait for the ETH snapshot itself.
    await vi.waitFor(() =>
      expect(
        probe
          .json()
          .slice(mark)
          .some((f) => objectOf(f).code === 'KRW-ETH'),
      ).toBe(true),
    );
  });

  it('text PINGs are not data requests; with rate limits off there is no limit', async () => {
    harness = await startFakeSim();
    const probe = await WsProbe.connect(harness.sim.wsUrl);
    for (let i = 0; i < 20; i++) probe.send('PING');
    await accepted(probe);
    expect(harness.sim.control.counters().wsMessagesRefused).toBe(0);
    await closeAll();
    harness = await startFakeSim({ rateLimits: false });
    const free = await WsProbe.connect(harness.sim.wsUrl);
    for (let i = 0; i < 30; i++) await accepted(free);
    expect(harness.sim.control.counters().wsMessagesRefused).toBe(0);
  });

  it('rejects nonsensical limits with a ConfigError naming each one', async () => {
    await expect(startFakeSim({ rateLimits: { wsMessagesPerSecond: 0, perGroup: -1 } })).rejects.toThrow(
      /wsMessagesPerSecond[\s\S]*perGroup|perGroup[\s\S]*wsMessagesPerSecond/,
    );
    await expect(startFakeSim({ rateLimits: { perSecond: 5 } as never })).rejects.toThrow(/rateLimits.perSecond/);
    await expect(startFakeSim({ rateLimits: { wsMessageLimitClose: 'yes' } as never })).rejects.toMatchObject({
      code: 'CONFIG',
    });
  });
});
