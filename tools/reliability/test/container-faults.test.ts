import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { containerGate } from './support/container-gate.js';
import { probeHttp } from './support/http-probe.js';
import { type SimContainer, startSimContainer } from './support/sim-container.js';
import { openTickerProbe, type TickerProbe } from './support/ws-probe.js';

// The simulator as a container (image built by scripts/containers/setup.sh), faulted the way only a container can be:
// frozen (pause), killed and brought back (stop/start), restarted. These tests check that the faults are real as
// seen from a client on 127.0.0.1; the adapters' behaviour under them is tested on top of startSimContainer().

const gate = await containerGate();

const TICKER_PATH = '/v1/ticker?markets=KRW-BTC';
const SERVED_MS = 5_000; // a request to a running simulator gets its answer well within this
const STALLED_MS = 1_000; // how long a request to a paused container is given before it counts as hung
const FRAMES_MS = 10_000;

describe.skipIf(gate.skip)('simulator container under faults', () => {
  let sim: SimContainer | undefined;
  // Kept rather than thrown from beforeAll, so that every test fails with it (vitest would mark them skipped).
  let unavailable: string | undefined = gate.unavailable;
  const probes: TickerProbe[] = [];

  beforeAll(async () => {
    if (unavailable !== undefined) return;
    try {
      sim = await startSimContainer();
    } catch (error) {
      unavailable = `the simulator container did not start: ${String(error)}`;
    }
  });

  afterEach(() => {
    for (const probe of probes.splice(0)) probe.close();
  });

  afterAll(async () => {
    await sim?.close();
  });

  function running(): SimContainer {
    if (sim === undefined) throw new Error(unavailable ?? 'the simulator container did not start');
    return sim;
  }

  async function tickerProbe(): Promise<TickerProbe> {
    const probe = await openTickerProbe(running().wsUrl, ['KRW-BTC'], SERVED_MS);
    probes.push(probe);
    return probe;
  }

  it('serves REST and the admin endpoint on their mapped loopback ports', async () => {
    const outcome = await probeHttp(`${running().restUrl}${TICKER_PATH}`, SERVED_MS);
    expect(outcome).toMatchObject({ kind: 'response', status: 200 });
    const body = outcome.kind === 'response' ? (JSON.parse(outcome.body) as { market: string }[]) : [];
    expect(body.map((ticker) => ticker.market)).toEqual(['KRW-BTC']);

    const health = await probeHttp(`${running().adminUrl}/health`, SERVED_MS);
    expect(health).toMatchObject({ kind: 'response', status: 200 });
    expect(health.kind === 'response' ? JSON.parse(health.body) : undefined).toEqual({ status: 'ok', listening: true });
  });

  it('passes extra CLI options to the simulator in the container', async () => {
    const restricted = await startSimContainer({ extraArgs: ['--markets', 'KRW-ETH,KRW-XRP'] });
    try {
      const markets = await probeHttp(`${restricted.adminUrl}/markets`, SERVED_MS);
      // The simulator keeps its universe's order (by turnover); only the set matters here.
      const codes = markets.kind === 'response' ? (JSON.parse(markets.body) as string[]) : [];
      expect([...codes].sort()).toEqual(['KRW-ETH', 'KRW-XRP']);
    } finally {
      await restricted.close();
    }
  });

  it('pause: requests hang (not refused) while paused; the held request and new ones are served after unpause', async () => {
    const container = running();
    await container.pause();
    try {
      expect(await probeHttp(`${container.restUrl}${TICKER_PATH}`, STALLED_MS)).toEqual({ kind: 'timeout' });
      const held = probeHttp(`${container.restUrl}${TICKER_PATH}`, SERVED_MS + STALLED_MS);
      // Still nothing after a while: the stall is not a slow answer.
      expect(await Promise.race([held, delay(STALLED_MS).then(() => 'still waiting')])).toBe('still waiting');
      await container.unpause();
      expect(await held).toMatchObject({ kind: 'response', status: 200 });
    } finally {
      await container.unpause().catch(() => undefined);
    }
    expect(await probeHttp(`${container.restUrl}${TICKER_PATH}`, SERVED_MS)).toMatchObject({ status: 200 });
  });

  it('stop/start: connections are refused while stopped, and served again after start', async () => {
    const container = running();
    await container.stop();
    expect(await probeHttp(`${container.restUrl}${TICKER_PATH}`, SERVED_MS)).toEqual({ kind: 'refused' });
    await container.start();
    expect(await probeHttp(`${container.restUrl}${TICKER_PATH}`, SERVED_MS)).toMatchObject({ status: 200 });
  });

  it('restart: a subscribed socket gets ticker frames, loses its feed across the restart, a fresh one gets frames', async () => {
    const container = running();
    const before = await tickerProbe();
    expect(await before.waitForFrames(1, FRAMES_MS)).toBe(true);
    expect(before.frames[0]).toMatchObject({ type: 'ticker', code: 'KRW-BTC' });

    await container.restart();
    const receivedBeforeRestart = before.frames.length;
    const after = await tickerProbe();
    expect(await after.waitForFrames(2, FRAMES_MS)).toBe(true);
    expect(after.frames[0]).toMatchObject({ type: 'ticker', code: 'KRW-BTC' });

    // The old socket's server is gone: it is closed, or open but dead (no frames, no pong) — either way the client
    // must notice by itself (heartbeat / idle timeout), which is what the adapter tests build on.
    expect(before.frames.length).toBe(receivedBeforeRestart);
    if (before.closeCode === undefined) expect(await before.pingAnswered(STALLED_MS)).toBe(false);
    expect(before.frames.length).toBe(receivedBeforeRestart);
  });
});

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
