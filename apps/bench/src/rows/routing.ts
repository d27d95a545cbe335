import { parseMarketCode } from '@marketdata/domain';
import { ccxtSymbol, createCcxtUpbit, runCcxtWatchLoop } from '../clients/ccxt-client.js';
import { rawFetchTicker } from '../clients/raw-rest.js';
import { RawWebSocketStream } from '../clients/raw-ws.js';
import { type BenchSection, type Cell, na, value } from '../report/model.js';
import { withSim } from '../sim/sim-client.js';
import { monoNowMs, sleepMs } from '../system-clock.js';
import { measureStep, type Outcome, type RowContext, requireBuilt } from './context.js';

const SYMBOLS = 10;
const SPACING_MS = 20;
const AGREEMENT_LIMIT = 0.001; // 0.1%, the agreement bound

interface Deviation {
  readonly samples: number;
  readonly maxFraction: number;
  readonly withinLimit: number;
}

function summarize(deviations: readonly number[]): Deviation {
  return {
    samples: deviations.length,
    maxFraction: deviations.reduce((m, d) => Math.max(m, d), 0),
    withinLimit: deviations.filter((d) => d < AGREEMENT_LIMIT).length,
  };
}

const relative = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

/**
 * Row 5: the deviation between a REST price and the WS price held at the moment REST answered, for the same symbol.
 * Every client is measured alike: it streams the symbols first, then per sample asks REST and, once REST answered,
 * reads its latest streamed value (raw: its Map; ours: getTicker with source websocket, served from the stream's
 * latest value; ccxt: `exchange.tickers`). (The router's accuracy on its labelled scenario set is test material,
 * asserted by the backbone's routing-accuracy test.)
 */
export async function runRouting(ctx: RowContext): Promise<BenchSection> {
  const samples = ctx.plan.deviationSamples;
  const raw = await measureStep(ctx, '5 REST/WS deviation (raw)', () =>
    withSim(ctx.sims, { rateLimits: false }, async (sim) => {
      const codes = sim.marketCodes.filter((c) => c.startsWith('KRW-')).slice(0, SYMBOLS);
      const stream = await RawWebSocketStream.open({ wsUrl: sim.wsUrl, codes, format: 'SIMPLE' });
      try {
        const started = monoNowMs();
        while (stream.latest.size < codes.length && monoNowMs() - started < 5_000) await sleepMs(10);
        const deviations: number[] = [];
        for (let i = 0; i < samples; i++) {
          const code = codes[i % codes.length] as string;
          const rest = await rawFetchTicker(sim.restUrl, code);
          const ws = stream.latest.get(code);
          if (ws === undefined) throw new Error(`no WS frame for ${code}`);
          deviations.push(relative(rest.price, ws.price));
          await sleepMs(SPACING_MS);
        }
        return summarize(deviations);
      } finally {
        await stream.close();
      }
    }),
  );

  const ours = await measureStep(ctx, '5 REST/WS deviation (ours, facade)', () =>
    withSim(ctx.sims, { rateLimits: false }, async (sim) => {
      const facade = requireBuilt(ctx.ours.marketData)(sim.restUrl, sim.wsUrl);
      const codes = sim.marketCodes
        .filter((c) => c.startsWith('KRW-'))
        .slice(0, SYMBOLS)
        .map((c) => parseMarketCode(c));
      // Streaming before sampling, as the raw client does: the facade's ticker stream holds the subscriptions.
      const stream = facade.watchTickers(codes);
      const seen = new Set<string>();
      const reading = (async () => {
        for await (const ticker of stream) seen.add(ticker.symbol);
      })().catch(() => undefined);
      try {
        const started = monoNowMs();
        while (seen.size < codes.length && monoNowMs() - started < 5_000) await sleepMs(10);
        const deviations: number[] = [];
        for (let i = 0; i < samples; i++) {
          const symbol = codes[i % codes.length];
          if (symbol === undefined) throw new Error('simulator has no KRW markets');
          // REST first, then the stream's latest value once it answered: the raw client's order.
          const rest = await facade.getTicker(symbol, { source: 'rest', strict: true });
          const ws = await facade.getTicker(symbol, { source: 'websocket', strict: true });
          deviations.push(relative(rest.price, ws.price));
          await sleepMs(SPACING_MS);
        }
        return summarize(deviations);
      } finally {
        await stream.return?.();
        await facade.close();
        await reading;
      }
    }),
  );

  const ccxt = await measureStep(ctx, '5 REST/WS deviation (ccxt)', () =>
    withSim(ctx.sims, { rateLimits: false }, async (sim) => {
      const exchange = await createCcxtUpbit({ restUrl: sim.restUrl, wsUrl: sim.wsUrl, enableRateLimit: false });
      const symbols = sim.marketCodes
        .filter((c) => c.startsWith('KRW-'))
        .slice(0, SYMBOLS)
        .map(ccxtSymbol);
      const loop = runCcxtWatchLoop(exchange, symbols);
      try {
        const started = monoNowMs();
        const ready = (): boolean => symbols.every((s) => exchange.tickers[s] !== undefined);
        while (!ready() && monoNowMs() - started < 5_000) await sleepMs(10);
        const deviations: number[] = [];
        for (let i = 0; i < samples; i++) {
          const symbol = symbols[i % symbols.length] as string;
          const rest = await exchange.fetchTicker(symbol);
          // ccxt keeps the latest streamed ticker per symbol in `exchange.tickers`.
          const ws = exchange.tickers[symbol];
          if (ws?.last === undefined || rest.last === undefined) throw new Error(`no price for ${symbol}`);
          deviations.push(relative(rest.last, ws.last));
          await sleepMs(SPACING_MS);
        }
        return summarize(deviations);
      } finally {
        await loop.stop();
      }
    }),
  );

  const cell = (o: Outcome<Deviation>, pick: (d: Deviation) => number): Cell =>
    o.ok ? value(pick(o.value), '%') : na(o.reason);
  return {
    rows: [
      {
        id: '5.deviation.max',
        group: '5',
        title: 'REST vs WS price, same symbol',
        metric: 'max deviation',
        cells: {
          raw: cell(raw, (d) => d.maxFraction * 100),
          ours: cell(ours, (d) => d.maxFraction * 100),
          ccxt: cell(ccxt, (d) => d.maxFraction * 100),
        },
        ratio: 'none',
        notes: [
          `${samples} samples over ${SYMBOLS} KRW symbols, ${SPACING_MS} ms apart; each client streams them first, then per sample asks REST and, once it answered, reads its latest streamed value (raw: Map; ours: facade getTicker source rest, then source websocket, strict; ccxt: fetchTicker, then exchange.tickers); the share within 0.1% is the plan's agreement bound`,
        ],
      },
      {
        id: '5.deviation.within',
        group: '5',
        title: 'REST vs WS price, same symbol',
        metric: 'samples within 0.1%',
        cells: {
          raw: cell(raw, (d) => (d.withinLimit / d.samples) * 100),
          ours: cell(ours, (d) => (d.withinLimit / d.samples) * 100),
          ccxt: cell(ccxt, (d) => (d.withinLimit / d.samples) * 100),
        },
        ratio: 'none',
        notes: [],
      },
    ],
    distributions: [],
  };
}
