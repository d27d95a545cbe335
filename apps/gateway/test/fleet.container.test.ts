import type { MarketCode } from '@marketdata/domain';
import { createFleetSources, type FleetSources } from '@marketdata/nats';
import { containerGate, NATS_IMAGE, type NatsContainer, startNatsContainer } from '@marketdata/nats-testing';
import { startUpbitSim, type UpbitSim } from '@marketdata/upbit-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsumerReport } from '../src/consumer/run-consumer.js';
import { ConsumerProgram, GATEWAY_ENTRY, Program, until } from './support/processes.js';

/**
 * The fleet as deployed: a simulator with Upbit's limits (this process, so its counters are the truth), nats-server in
 * a container (so it can be restarted under the fleet), the gateway program, and eight consumer programs, each asking
 * tickers of 50 markets five times a second and watching 20. Upbit sees one connection set and no 429; the fleet
 * rides out a NATS restart and a gateway crash; a late joiner gets 250 markets' latest values.
 */
const gate = await containerGate(NATS_IMAGE);

const CONSUMERS = 8;
const STEP = 30;

let sim: UpbitSim;
let nats: NatsContainer;
let gateway: Program;
const consumers: ConsumerProgram[] = [];
const late: FleetSources[] = [];

function startGateway(): Program {
  return Program.start('gateway', GATEWAY_ENTRY, [
    '--nats',
    nats.url,
    '--upbit-rest',
    sim.restUrl,
    '--upbit-ws',
    sim.wsUrl,
    '--log-level',
    'warn',
  ]);
}

function lastReports(): (ConsumerReport | undefined)[] {
  return consumers.map((consumer) => consumer.last());
}

function describeConsumers(): string {
  return JSON.stringify(
    lastReports().map(
      (r) =>
        r && {
          state: r.state,
          epoch: r.epoch,
          gaps: r.gaps,
          open: r.openGaps,
          reasons: r.reasons.slice(0, 2),
          delivered: r.delivered,
          ok: r.tickersOk,
          failed: r.tickersFailed,
          error: r.lastError,
        },
    ),
  );
}

/** Every consumer's latest report satisfies `check`. */
function all(check: (report: ConsumerReport, index: number) => boolean): () => boolean {
  return () => lastReports().every((report, index) => report !== undefined && check(report, index));
}

function refusalsCausedByUs(): number {
  const refusals = sim.control.counters().refusals;
  return refusals.restLimit429 + refusals.restLimit418 + refusals.wsUpgradeLimit429 + refusals.wsUpgradeLimit418;
}

describe.skipIf(gate.skip)('a fleet of consumer processes through one gateway', () => {
  beforeAll(async () => {
    if (gate.unavailable !== undefined) throw new Error(gate.unavailable);
    sim = await startUpbitSim({ seed: 3, adminPort: false });
    nats = await startNatsContainer();
    gateway = startGateway();
    await gateway.waitForLine(/^KV /, 60_000);
    for (let i = 0; i < CONSUMERS; i++) {
      consumers.push(
        ConsumerProgram.start(`consumer ${i}`, [
          '--nats',
          nats.url,
          '--watch-count',
          '20',
          '--tickers-count',
          '50',
          '--rate',
          '5',
          '--offset',
          String(i * STEP),
          '--report-ms',
          '250',
        ]),
      );
    }
  }, 120_000);

  afterAll(async () => {
    for (const fleet of late) await fleet.close();
    await Promise.all(consumers.map((consumer) => consumer.stop()));
    await gateway?.stop();
    await nats?.close();
    await sim?.close();
  }, 60_000);

  it('serves all eight through one Upbit connection set, with no 429 or 418 drawn', async () => {
    await until(
      'every consumer served (stream and getTickers)',
      all((r) => r.state === 'open' && r.watched > 0 && r.tickersOk >= 250),
      60_000,
      describeConsumers,
    );
    // Still asking, still answered (one more second's worth each: 5 calls x 50 markets).
    const before = lastReports().map((r) => r?.tickersOk ?? 0);
    await until(
      '250 more tickers answered per consumer',
      all((r, i) => r.tickersOk >= (before[i] ?? 0) + 250),
      30_000,
      describeConsumers,
    );
    const counters = sim.control.counters();
    expect(counters.wsConnections).toBe(1);
    expect(sim.control.connectionCount()).toBe(1);
    expect(counters.maxWsConnectsPerSecond).toBe(1);
    expect(refusalsCausedByUs()).toBe(0);
    expect([counters.sent429, counters.sent418]).toEqual([0, 0]);
    expect(all((r) => r.tickersFailed === 0 && r.lost === 0)(), describeConsumers()).toBe(true);
  }, 90_000);

  it('rides out a NATS server restart: every consumer reports the gap and resumes', async () => {
    const before = lastReports();
    await nats.restart();
    await until(
      'every consumer to report a gap, closed by new data, on a new epoch',
      all(
        (r, i) =>
          r.state === 'open' &&
          r.gaps > (before[i]?.gaps ?? 0) &&
          r.openGaps === 0 &&
          r.epoch > (before[i]?.epoch ?? 0) &&
          r.delivered > (before[i]?.delivered ?? 0),
      ),
      60_000,
      describeConsumers,
    );
    // Upbit never noticed: the gateway kept its one connection.
    expect(sim.control.counters().wsConnections).toBe(1);
    expect(refusalsCausedByUs()).toBe(0);
  }, 90_000);

  it('recovers from a gateway crash: stale within seconds with the reason, then served by the new instance', async () => {
    const before = lastReports();
    gateway.signal('SIGKILL');
    await gateway.exited;
    await until(
      'every consumer to call the gateway silent',
      all((r) => r.state !== 'open' && r.reasons.some((reason) => reason.includes('fleet gateway silent'))),
      15_000,
      describeConsumers,
    );
    gateway = startGateway();
    await gateway.waitForLine(/^KV /, 60_000);
    await until(
      'every consumer served again',
      all((r, i) => r.state === 'open' && r.openGaps === 0 && r.delivered > (before[i]?.delivered ?? 0) + 20),
      60_000,
      describeConsumers,
    );
    const counters = sim.control.counters();
    // One connection set at a time: the crashed gateway's and then the new one's.
    expect(counters.wsConnections).toBe(2);
    expect(sim.control.connectionCount()).toBe(1);
    expect(refusalsCausedByUs()).toBe(0);
  }, 120_000);

  it("gives a late joiner 250 markets' latest values at once", async () => {
    const markets = sim.control.marketCodes().slice(0, 250) as MarketCode[];
    const fleet = createFleetSources({ natsUrl: nats.url });
    late.push(fleet);
    await fleet.ready();
    const seen = new Set<MarketCode>();
    const started = performance.now();
    fleet.websocket.listen('ticker', markets, { onRecord: (ticker) => seen.add(ticker.symbol) });
    await until(
      '250 latest values',
      () => seen.size === 250,
      20_000,
      () => `${seen.size} of 250`,
    );
    const tookMs = performance.now() - started;
    const { replayed, lateJoinReads } = fleet.websocket.diagnostics();
    console.info(`late joiner: 250 markets in ${tookMs.toFixed(0)} ms, ${replayed} of them from the KV bucket`);
    expect(lateJoinReads).toBe(250);
    expect(replayed).toBeGreaterThan(0);
  }, 60_000);
});
