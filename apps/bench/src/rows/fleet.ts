import {
  type FanOut,
  fanOut,
  LATE_JOIN_MARKETS,
  lateJoin,
  SIDE_BY_SIDE_PROCESSES,
  type SideBySide,
  sideBySide,
} from '../fleet/fleet-measures.js';
import { startBenchGateway, startNatsServer } from '../fleet/fleet-run.js';
import {
  type BenchSection,
  type Cell,
  type DistributionSet,
  na,
  notApplicable,
  type ResultRow,
  value,
} from '../report/model.js';
import { withSim } from '../sim/sim-client.js';
import { attempt, latencyCell, measureStep, type Outcome, prerequisite, type RowContext } from './context.js';
import { settleSimulator } from './stream-load.js';

/**
 * Row F (`pnpm bench --fleet`): one Upbit budget for a fleet, through NATS (a nats-server process, JetStream on).
 *
 * Fan-out: the simulator streams tickers of all its markets at the offered rate (no limits); the fleet gateway (our
 * core over our Upbit adapters, in this process) publishes them; 1, 4 and 8 consumer processes listen to every
 * market through `createFleetSources`. Delivered % = records the consumers got / (consumers x records the gateway
 * published) over the same window. Latency = gateway receive (the adapter's `receivedAt`, sub-ms wall clock) → the
 * consumer's listener, both read from this machine's wall clock.
 *
 * Late joiner: a fresh consumer process, connected, asks for 250 markets' tickers: time until it holds all 250.
 *
 * Side by side, with Upbit's limits on: eight processes each watching 20 markets and asking `getTickers` of 50 markets
 * 5 times a second, either each with its own facade straight to Upbit (raw column) or all through one gateway (ours):
 * the WebSocket connections Upbit accepted and the 429/418 answers its limiter gave.
 */
const CONSUMER_COUNTS = [1, 4, 8] as const;

const rateLabel = (rate: number): string => `${rate / 1000}k`;
const NO_CCXT = 'ccxt has no fleet mode';

/** A row only our fleet has: the raw column says why it has no counterpart. */
function oursOnly(ours: Cell, rawWhy: string): Readonly<Record<'raw' | 'ours' | 'ccxt', Cell>> {
  return { raw: notApplicable(rawWhy), ours, ccxt: notApplicable(NO_CCXT) };
}

const numberCell = (outcome: Outcome<number>, unit: 'ms' | '%' | 'count'): Cell =>
  outcome.ok ? value(outcome.value, unit) : na(outcome.reason);

const map = <T, U>(outcome: Outcome<T>, pick: (value: T) => U): Outcome<U> =>
  outcome.ok ? { ok: true, value: pick(outcome.value) } : outcome;

export async function runFleet(ctx: RowContext, baseRate: Outcome<number>): Promise<BenchSection> {
  const rows: ResultRow[] = [];
  const distributions: DistributionSet[] = [];
  const server = await attempt(startNatsServer);
  const serverUrl = map(server, (s) => s.url);
  const NO_DIRECT = 'every direct process would hold its own Upbit stream';
  try {
    for (const rate of ctx.plan.fleetRates) {
      const runs = new Map<number, Outcome<FanOut>>();
      const late: { joined: Outcome<{ ms: number; replayed: number }> } = {
        joined: { ok: false, reason: 'not measured' },
      };
      const started = await attempt(async () => {
        const natsUrl = prerequisite('nats-server', serverUrl);
        const base = prerequisite('calibration', baseRate);
        await settleSimulator(ctx.sims);
        await withSim(ctx.sims, { rateLimits: false, tradeRateScale: rate / base }, async (sim) => {
          const gateway = await startBenchGateway(natsUrl, sim.restUrl, sim.wsUrl);
          try {
            for (const consumers of CONSUMER_COUNTS) {
              runs.set(
                consumers,
                await measureStep(ctx, `F fan-out to ${consumers} @${rateLabel(rate)} msg/s`, () =>
                  fanOut(ctx, natsUrl, sim, gateway, consumers),
                ),
              );
            }
            if (rate === ctx.plan.fleetRates[0]) {
              late.joined = await measureStep(ctx, `F late joiner, ${LATE_JOIN_MARKETS} markets`, () =>
                lateJoin(natsUrl, sim),
              );
            }
          } finally {
            await gateway.close();
          }
        });
      });
      for (const consumers of CONSUMER_COUNTS) {
        const run: Outcome<FanOut> =
          runs.get(consumers) ?? (started.ok ? { ok: false, reason: 'not measured' } : started);
        const title = `fleet fan-out to ${consumers} consumer process${consumers === 1 ? '' : 'es'} @${rateLabel(rate)} msg/s`;
        const id = `F.${consumers}c.${rateLabel(rate)}`;
        const notes = run.ok
          ? [
              `gateway relayed ${run.value.published.toLocaleString('en-US')} in ${ctx.plan.fleetWindowMs} ms ` +
                `(${Math.round((run.value.published * 1000) / ctx.plan.fleetWindowMs).toLocaleString('en-US')}/s); ` +
                `counted when delivered within ${ctx.plan.fleetDrainMs} ms after the window; ` +
                `lost by sequence: ${run.value.lost}`,
            ]
          : [];
        const latency = map(run, (r) => r.latency);
        rows.push(
          {
            id: `${id}.delivered`,
            group: 'F',
            title,
            metric: 'delivered %',
            cells: oursOnly(
              numberCell(
                map(run, (r) => r.deliveredPercent),
                '%',
              ),
              NO_DIRECT,
            ),
            ratio: 'none',
            notes,
          },
          {
            id: `${id}.p50`,
            group: 'F',
            title,
            metric: 'gateway→consumer p50',
            cells: oursOnly(
              latencyCell(latency, (s) => s.p50Ns, 'ms'),
              NO_DIRECT,
            ),
            ratio: 'none',
            notes: [],
          },
          {
            id: `${id}.p99`,
            group: 'F',
            title,
            metric: 'gateway→consumer p99',
            cells: oursOnly(
              latencyCell(latency, (s) => s.p99Ns, 'ms'),
              NO_DIRECT,
            ),
            ratio: 'none',
            notes: [],
          },
        );
        if (run.ok && run.value.latency !== undefined) {
          distributions.push({
            panel: `F gateway→consumer, ${consumers} consumers @${rateLabel(rate)} msg/s`,
            unit: 'ms',
            series: { ours: run.value.latency },
          });
        }
      }
      if (rate === ctx.plan.fleetRates[0]) {
        const joinedNow = started.ok ? late.joined : started;
        rows.push({
          id: 'F.late250',
          group: 'F',
          title: `late joiner, ${LATE_JOIN_MARKETS} markets`,
          metric: 'time to every latest value',
          cells: oursOnly(
            numberCell(
              map(joinedNow, (j) => j.ms),
              'ms',
            ),
            'a direct process waits for Upbit snapshots instead',
          ),
          ratio: 'none',
          notes: joinedNow.ok ? [`${joinedNow.value.replayed} of ${LATE_JOIN_MARKETS} from the KV bucket`] : [],
        });
      }
    }

    const direct = await measureStep(ctx, `F ${SIDE_BY_SIDE_PROCESSES} processes straight to Upbit`, () =>
      sideBySide(ctx, prerequisite('nats-server', serverUrl), 'direct'),
    );
    const fleet = await measureStep(ctx, `F ${SIDE_BY_SIDE_PROCESSES} processes through the gateway`, () =>
      sideBySide(ctx, prerequisite('nats-server', serverUrl), 'fleet'),
    );
    const cell = (outcome: Outcome<SideBySide>, pick: (s: SideBySide) => number): Cell =>
      outcome.ok ? value(pick(outcome.value), 'count') : na(outcome.reason);
    const title = `${SIDE_BY_SIDE_PROCESSES} processes, each 20 watched + getTickers(50) x5/s, Upbit limits on`;
    const sideNotes = (describe: (s: SideBySide) => string): string[] =>
      [
        direct.ok ? `raw: each process its own facade (${describe(direct.value)})` : '',
        fleet.ok ? `ours: one gateway (${describe(fleet.value)})` : '',
      ].filter((n) => n !== '');
    rows.push(
      {
        id: 'F.8p.connections',
        group: 'F',
        title,
        metric: 'Upbit WebSocket connections',
        cells: {
          raw: cell(direct, (s) => s.connections),
          ours: cell(fleet, (s) => s.connections),
          ccxt: notApplicable(NO_CCXT),
        },
        ratio: 'lower-better',
        notes: sideNotes((s) => `most connects in 1 s: ${s.maxConnectsPerSecond}`),
      },
      {
        id: 'F.8p.refusals',
        group: 'F',
        title,
        metric: '429/418 answers drawn',
        cells: {
          raw: cell(direct, (s) => s.refusals),
          ours: cell(fleet, (s) => s.refusals),
          ccxt: notApplicable(NO_CCXT),
        },
        ratio: 'none',
        notes: sideNotes(
          (s) =>
            `failed ticker answers: ${s.tickersFailed}${s.firstError === undefined ? '' : `, first: ${s.firstError}`}`,
        ),
      },
    );
  } finally {
    if (server.ok) await server.value.stop();
  }
  return { rows, distributions };
}
