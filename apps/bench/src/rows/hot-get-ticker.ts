import { parseMarketCode } from '@marketdata/domain';
import type { MarketDataFacade } from '../clients/ours.js';
import { RawWebSocketStream } from '../clients/raw-ws.js';
import { LatencyHistogram, type LatencySummary } from '../histogram.js';
import { type BenchSection, type Cell, notApplicable } from '../report/model.js';
import { withSim } from '../sim/sim-client.js';
import { monoNowMs, monoNowNs, sleepMs } from '../system-clock.js';
import { latencyCell, measureStep, type Outcome, type RowContext, requireBuilt } from './context.js';

const CODE = 'KRW-BTC';
const PROMOTION_DEADLINE_MS = 15_000;

interface HotRun {
  readonly latency: LatencySummary | undefined;
  readonly sources: Readonly<Record<string, number>>;
}

async function timeCalls(iterations: number, call: () => Promise<unknown>): Promise<LatencySummary | undefined> {
  const histogram = new LatencyHistogram();
  try {
    for (let i = 0; i < iterations; i++) {
      const started = monoNowNs();
      await call();
      histogram.recordNs(Number(monoNowNs() - started));
    }
    return histogram.summary();
  } finally {
    histogram.destroy();
  }
}

/** Asks like a hot caller until the router serves the symbol from WebSocket state. */
async function promoteToWebSocket(facade: MarketDataFacade): Promise<void> {
  const symbol = parseMarketCode(CODE);
  const started = monoNowMs();
  let last = '';
  while (monoNowMs() - started < PROMOTION_DEADLINE_MS) {
    const ticker = await facade.getTicker(symbol);
    last = ticker.source;
    if (ticker.source === 'websocket') return;
    await sleepMs(50);
  }
  throw new Error(
    `router never served ${CODE} from WebSocket state within ${PROMOTION_DEADLINE_MS} ms (last: ${last})`,
  );
}

/**
 * Row 4: hot getTicker served from WS state, through the facade (auto routing). Baseline: an awaited lookup of
 * the latest raw-parsed frame in a Map, the least any WS-fed cache can do.
 */
export async function runHotGetTicker(ctx: RowContext): Promise<BenchSection> {
  const iterations = ctx.plan.hotIterations;
  const raw = await measureStep(ctx, '4 hot getTicker (raw Map lookup)', () =>
    withSim(ctx.sims, { rateLimits: false }, async (sim) => {
      const stream = await RawWebSocketStream.open({ wsUrl: sim.wsUrl, codes: [CODE], format: 'SIMPLE' });
      try {
        const started = monoNowMs();
        while (!stream.latest.has(CODE) && monoNowMs() - started < 5_000) await sleepMs(10);
        if (!stream.latest.has(CODE)) throw new Error(`no ${CODE} frame within 5 s`);
        const latency = await timeCalls(iterations, async () => stream.latest.get(CODE));
        return { latency, sources: { websocket: iterations } } satisfies HotRun;
      } finally {
        await stream.close();
      }
    }),
  );
  const ours = await measureStep(ctx, '4 hot getTicker (ours, facade)', () =>
    withSim(ctx.sims, { rateLimits: false }, async (sim) => {
      const facade = requireBuilt(ctx.ours.marketData)(sim.restUrl, sim.wsUrl);
      try {
        await promoteToWebSocket(facade);
        const symbol = parseMarketCode(CODE);
        const sources: Record<string, number> = {};
        const latency = await timeCalls(iterations, async () => {
          const ticker = await facade.getTicker(symbol);
          sources[ticker.source] = (sources[ticker.source] ?? 0) + 1;
        });
        return { latency, sources } satisfies HotRun;
      } finally {
        await facade.close();
      }
    }),
  );
  const column = (o: Outcome<HotRun>): Outcome<LatencySummary | undefined> =>
    o.ok ? { ok: true, value: o.value.latency } : o;
  const ccxt: Cell = notApplicable('ccxt has no call that reads its WS state; watchTicker waits for the next update');
  const mix = ours.ok
    ? `; ours served by: ${Object.entries(ours.value.sources)
        .map(([source, n]) => `${source} ${((n / iterations) * 100).toFixed(1)}%`)
        .join(', ')}`
    : '';
  const series = {
    ...(raw.ok && raw.value.latency !== undefined ? { raw: raw.value.latency } : {}),
    ...(ours.ok && ours.value.latency !== undefined ? { ours: ours.value.latency } : {}),
  };
  return {
    rows: [
      {
        id: '4.p50',
        group: '4',
        title: 'hot getTicker from WS state',
        metric: 'p50 latency',
        cells: {
          raw: latencyCell(column(raw), (s) => s.p50Ns, 'µs'),
          ours: latencyCell(column(ours), (s) => s.p50Ns, 'µs'),
          ccxt,
        },
        ratio: 'lower-better',
        notes: [`${CODE}, ${iterations.toLocaleString('en-US')} sequential awaited calls${mix}`],
      },
      {
        id: '4.p99',
        group: '4',
        title: 'hot getTicker from WS state',
        metric: 'p99 latency',
        cells: {
          raw: latencyCell(column(raw), (s) => s.p99Ns, 'µs'),
          ours: latencyCell(column(ours), (s) => s.p99Ns, 'µs'),
          ccxt,
        },
        ratio: 'lower-better',
        notes: [],
      },
    ],
    distributions: [{ panel: '4 hot getTicker (WS state)', unit: 'µs', series }],
  };
}
