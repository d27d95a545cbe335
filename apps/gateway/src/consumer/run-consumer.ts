import { createMarketData } from '@marketdata/backbone';
import { type Clock, type Logger, sleep } from '@marketdata/domain';
import { createFleetSources, type FleetSources } from '@marketdata/nats';
import { UsageError } from '../cli-options.js';
import { EXIT_OK, EXIT_USAGE } from '../exit-codes.js';
import { CONSUMER_USAGE, type ConsumerOptions, parseConsumerOptions } from './consumer-options.js';

export interface ConsumerRuntime {
  readonly argv: readonly string[];
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  readonly clock: Clock;
  readonly createLogger: (options: ConsumerOptions) => Logger;
  readonly interrupt: AbortSignal;
}

/** One line of what the consumer sees, printed every `--report-ms`. */
export interface ConsumerReport {
  readonly at: number;
  readonly consumer: string;
  readonly state: string;
  readonly epoch: number;
  readonly reconnects: number;
  readonly health: string;
  readonly reasons: readonly string[];
  readonly gaps: number;
  readonly openGaps: number;
  readonly delivered: number;
  readonly replayed: number;
  readonly lost: number;
  /** Tickers the `watchTickers` stream yielded. */
  readonly watched: number;
  readonly watchedMarkets: number;
  readonly tickersOk: number;
  readonly tickersFailed: number;
  readonly lastError: string | undefined;
}

interface Counts {
  watched: number;
  tickersOk: number;
  tickersFailed: number;
  lastError: string | undefined;
  watchedMarkets: number;
}

async function pickMarkets(fleet: FleetSources, options: ConsumerOptions) {
  // In the order the gateway lists them (the simulator: KRW markets first, busiest first).
  const markets = (await fleet.rest.getMarkets()).map((market) => market.symbol);
  const from = (count: number) => markets.slice(options.offset, options.offset + count);
  return { watch: options.watch ?? from(options.watchCount), tickers: from(options.tickersCount) };
}

/**
 * The fleet consumer: the facade over the gateway's NATS sources, watching tickers and asking `getTickers` at a
 * steady rate, reporting what it sees as NDJSON until interrupted.
 */
export async function runConsumer(runtime: ConsumerRuntime): Promise<number> {
  let options: ConsumerOptions;
  try {
    options = parseConsumerOptions(runtime.argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    runtime.stderr.write(`consumer: ${error.message}\n\n${CONSUMER_USAGE}\n`);
    return EXIT_USAGE;
  }
  if (options.help) {
    runtime.stdout.write(`${CONSUMER_USAGE}\n`);
    return EXIT_OK;
  }
  const { clock, interrupt } = runtime;
  const logger = runtime.createLogger(options);
  const consumerId = `consumer-${process.pid}`;
  const fleet = createFleetSources({
    natsUrl: options.natsUrl,
    subjectPrefix: options.subjectPrefix,
    consumerId,
    clock,
    logger,
  });
  const md = createMarketData({ rest: fleet.rest, websocket: fleet.websocket, clock, logger });
  const counts: Counts = { watched: 0, tickersOk: 0, tickersFailed: 0, lastError: undefined, watchedMarkets: 0 };
  const report = (): void => {
    const status = fleet.websocket.status();
    const diagnostics = fleet.websocket.diagnostics();
    const health = md.health();
    const line: ConsumerReport = {
      at: clock.now(),
      consumer: consumerId,
      state: status.state,
      epoch: status.epoch,
      reconnects: status.reconnects,
      health: health.status,
      reasons: health.reasons,
      gaps: status.gaps.length,
      openGaps: status.gaps.filter((gap) => gap.endedAt === undefined).length,
      delivered: diagnostics.delivered,
      replayed: diagnostics.replayed,
      lost: diagnostics.lost,
      ...counts,
    };
    runtime.stdout.write(`${JSON.stringify(line)}\n`);
  };
  let reportTimer = clock.setTimeout(function tick() {
    report();
    reportTimer = clock.setTimeout(tick, options.reportMs);
  }, options.reportMs);

  const work = (async () => {
    // The gateway may not be there yet (or restarting): ask for the market list until it answers.
    let picked: Awaited<ReturnType<typeof pickMarkets>> | undefined;
    while (picked === undefined && !interrupt.aborted) {
      try {
        picked = await pickMarkets(fleet, options);
      } catch (error) {
        counts.lastError = error instanceof Error ? error.message : String(error);
        await sleep(clock, 1_000, interrupt).catch(() => undefined);
      }
    }
    if (picked === undefined) return;
    counts.watchedMarkets = picked.watch.length;
    const watching = (async () => {
      if (picked.watch.length === 0) return;
      for await (const _tick of md.watchTickers(picked.watch, { signal: interrupt })) counts.watched++;
    })();
    const asking = (async () => {
      if (picked.tickers.length === 0) return;
      const everyMs = 1_000 / options.rate;
      while (!interrupt.aborted) {
        const started = clock.monotonic();
        const results = await md.getTickers(picked.tickers, { signal: interrupt }).catch((error: unknown) => {
          counts.lastError = error instanceof Error ? error.message : String(error);
          return [];
        });
        // A call cut short by the interrupt is not an answer.
        if (interrupt.aborted) break;
        for (const result of results) {
          if (result.ok) counts.tickersOk++;
          else {
            counts.tickersFailed++;
            counts.lastError = result.error.message;
          }
        }
        const wait = everyMs - (clock.monotonic() - started);
        await sleep(clock, Math.max(0, wait), interrupt).catch(() => undefined);
      }
    })();
    await Promise.allSettled([watching, asking]);
  })();

  await new Promise<void>((resolve) => {
    if (interrupt.aborted) resolve();
    else interrupt.addEventListener('abort', () => resolve(), { once: true });
  });
  clock.clearTimeout(reportTimer);
  report();
  await md.close();
  await work.catch(() => undefined);
  return EXIT_OK;
}
