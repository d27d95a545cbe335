/**
 * Child-process entry of the fleet row: one consumer process of the fleet (or, for the side-by-side, a process talking
 * to Upbit itself). Steered over IPC by rows/fleet.ts; see fleet-protocol.ts for the steps.
 */
import type { MarketData } from '@marketdata/backbone';
import { type MarketCode, parseMarketCode } from '@marketdata/domain';
import type { FleetSources } from '@marketdata/nats';
import hdr from 'hdr-histogram-js';
import { ComponentMissing, loadOurs, requireBuilt } from '../clients/ours.js';
import { monoNowMs, sleepMs, wallNowMs, withDeadline } from '../system-clock.js';
import type { FleetChildReply, FleetChildRequest } from './fleet-protocol.js';

type NatsModule = typeof import('@marketdata/nats');
type BackboneModule = typeof import('@marketdata/backbone');

async function load<T>(name: string): Promise<T> {
  try {
    return (await import(name)) as T;
  } catch (error) {
    throw new ComponentMissing(`cannot import ${name}: ${(error as Error).message.split('\n')[0]}`);
  }
}

function send(reply: FleetChildReply): void {
  process.send?.(reply);
}

/** How long a workload process may take to stream its first ticker. */
const CHILD_START_MS = 30_000;

const codesOf = (codes: readonly string[]): MarketCode[] => codes.map((code) => parseMarketCode(code));

/** The streaming consumer: counts and times records while a window is open. */
class StreamConsumer {
  private window: { readonly fromMs: number; readonly toMs: number } | undefined;
  private received = 0;
  private lostBefore = 0;
  private negatives = 0;
  private histogram = hdr.build({ numberOfSignificantValueDigits: 3, useWebAssembly: false });

  constructor(private readonly fleet: FleetSources) {}

  async start(codes: readonly MarketCode[]): Promise<void> {
    let first: () => void = () => {};
    const flowing = new Promise<void>((resolve) => {
      first = resolve;
    });
    this.fleet.websocket.listen('ticker', codes, {
      onRecord: (record) => {
        first();
        const window = this.window;
        if (window === undefined || record.receivedAt < window.fromMs || record.receivedAt >= window.toMs) return;
        this.received++;
        // The gateway stamps `receivedAt` (wall, sub-millisecond) when Upbit's bytes arrive; this is the same
        // machine's wall clock read the same way, so the difference is gateway receive → this consumer's listener.
        const latencyNs = (wallNowMs() - record.receivedAt) * 1e6;
        if (latencyNs < 0) this.negatives++;
        this.histogram.recordValue(Math.max(0, Math.round(latencyNs)));
      },
    });
    await flowing;
  }

  open(fromMs: number, toMs: number): void {
    this.received = 0;
    this.negatives = 0;
    this.histogram.reset();
    this.window = { fromMs, toMs };
    this.lostBefore = this.fleet.websocket.diagnostics().lost;
  }

  close(): FleetChildReply {
    this.window = undefined;
    return {
      op: 'window',
      received: this.received,
      histogram: hdr.encodeIntoCompressedBase64(this.histogram),
      negativeSamples: this.negatives,
      lost: this.fleet.websocket.diagnostics().lost - this.lostBefore,
    };
  }
}

async function lateJoin(natsUrl: string, codes: readonly MarketCode[]): Promise<FleetChildReply> {
  const nats = await load<NatsModule>('@marketdata/nats');
  const fleet = nats.createFleetSources({ natsUrl });
  try {
    await fleet.ready();
    const seen = new Set<MarketCode>();
    const started = monoNowMs();
    const done = new Promise<void>((resolve) => {
      fleet.websocket.listen('ticker', codes, {
        onRecord: (record) => {
          seen.add(record.symbol);
          if (seen.size === codes.length) resolve();
        },
      });
    });
    await done;
    return { op: 'late-join', ms: monoNowMs() - started, replayed: fleet.websocket.diagnostics().replayed };
  } finally {
    await fleet.close();
  }
}

async function workload(request: Extract<FleetChildRequest, { op: 'workload' }>): Promise<FleetChildReply> {
  let md: MarketData;
  if (request.via === 'direct') {
    md = requireBuilt((await loadOurs()).marketData)(request.restUrl, request.wsUrl);
  } else {
    const nats = await load<NatsModule>('@marketdata/nats');
    const backbone = await load<BackboneModule>('@marketdata/backbone');
    const fleet = nats.createFleetSources({ natsUrl: request.natsUrl });
    md = backbone.createMarketData({ rest: fleet.rest, websocket: fleet.websocket });
  }
  const counts = { watched: 0, tickersOk: 0, tickersFailed: 0, firstError: undefined as string | undefined };
  const stop = new AbortController();
  let streaming: () => void = () => {};
  const firstTick = new Promise<void>((resolve) => {
    streaming = resolve;
  });
  const watching = (async () => {
    for await (const _tick of md.watchTickers(codesOf(request.watch), { signal: stop.signal })) {
      counts.watched++;
      streaming();
    }
  })().catch(() => undefined);
  // The timed run starts once this process streams (its connection is up): a slow start is not a quiet process.
  await withDeadline(firstTick, CHILD_START_MS, 'the first watched ticker');
  const asking = (async () => {
    const everyMs = 1_000 / request.rate;
    while (!stop.signal.aborted) {
      const started = monoNowMs();
      const results = await md.getTickers(codesOf(request.tickers), { signal: stop.signal }).catch(() => []);
      // A call cut short by the end of the run is not an answer.
      if (stop.signal.aborted) break;
      for (const result of results) {
        if (result.ok) counts.tickersOk++;
        else {
          counts.tickersFailed++;
          counts.firstError ??= `${result.error.name}: ${result.error.message}`;
        }
      }
      await sleepMs(Math.max(0, everyMs - (monoNowMs() - started)));
    }
  })();
  await sleepMs(request.seconds * 1_000);
  stop.abort();
  await Promise.allSettled([watching, asking]);
  await md.close();
  return { op: 'workload', ...counts };
}

let consumer: StreamConsumer | undefined;

async function handle(request: FleetChildRequest): Promise<FleetChildReply | undefined> {
  switch (request.op) {
    case 'stream': {
      const nats = await load<NatsModule>('@marketdata/nats');
      consumer = new StreamConsumer(nats.createFleetSources({ natsUrl: request.natsUrl }));
      await consumer.start(codesOf(request.codes));
      return { op: 'ready' };
    }
    case 'window-start':
      consumer?.open(request.fromMs, request.toMs);
      return undefined;
    case 'window-stop':
      if (consumer === undefined) throw new Error('window-stop before stream');
      return consumer.close();
    case 'late-join':
      return lateJoin(request.natsUrl, codesOf(request.codes));
    case 'workload':
      return workload(request);
  }
}

process.on('message', (request: FleetChildRequest) => {
  handle(request).then(
    (reply) => {
      if (reply !== undefined) send(reply);
    },
    (error: unknown) =>
      send({
        op: 'error',
        error: error instanceof Error ? error.message : String(error),
        notBuilt: error instanceof ComponentMissing,
      }),
  );
});
