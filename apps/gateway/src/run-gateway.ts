import {
  createUpbitRestSource,
  createUpbitWebSocketSource,
  DEFAULT_UPBIT_REST_URL,
  UPBIT_WEBSOCKET_URL,
} from '@marketdata/adapters-upbit';
import type { Clock, Logger } from '@marketdata/domain';
import { createFleetGateway, type FleetGateway } from '@marketdata/nats';
import { startUpbitSim, type UpbitSim } from '@marketdata/upbit-sim';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { type GatewayOptions, parseOptions, USAGE, UsageError } from './cli-options.js';
import { EXIT_OK, EXIT_RUNTIME_FAILURE, EXIT_USAGE } from './exit-codes.js';

export interface GatewayRuntime {
  readonly argv: readonly string[];
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  readonly clock: Clock;
  /** Built from the options' log level (logs go to stderr, never stdout). */
  readonly createLogger: (options: GatewayOptions) => Logger;
  /** Aborted by SIGINT / SIGTERM: the gateway stops cleanly. */
  readonly interrupt: AbortSignal;
}

/** How often the gateway logs what it serves. */
const STATUS_EVERY_MS = 10_000;

interface Upstream {
  readonly restUrl: string;
  readonly wsUrl: string;
  readonly label: string;
  readonly sim: UpbitSim | undefined;
}

async function openUpstream(options: GatewayOptions, clock: Clock, logger: Logger): Promise<Upstream> {
  if (!options.sim) {
    const restUrl = options.upbitRestUrl ?? DEFAULT_UPBIT_REST_URL;
    const wsUrl = options.upbitWsUrl ?? UPBIT_WEBSOCKET_URL;
    const live = options.upbitRestUrl === undefined && options.upbitWsUrl === undefined;
    return { restUrl, wsUrl, label: live ? 'Upbit (live)' : 'given endpoints', sim: undefined };
  }
  const sim = await startUpbitSim({
    seed: options.seed,
    adminPort: false,
    clock,
    logger: logger.child({ component: 'upbit-sim' }),
    ...(options.markets === undefined ? {} : { markets: options.markets }),
  });
  return { restUrl: sim.restUrl, wsUrl: sim.wsUrl, label: `simulator (seed ${options.seed})`, sim };
}

async function connectNats(url: string, logger: Logger): Promise<NatsConnection> {
  const nats = await connect({
    servers: url,
    name: 'md-gateway',
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
    pingInterval: 5_000,
  });
  logger.info('NATS connected', { server: nats.getServer(), version: nats.info?.version });
  return nats;
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The gateway program: Upbit's two sources (or the simulator's), one NATS connection, the fleet gateway's core; runs
 * until interrupted, then says goodbye to the consumers (a last heartbeat) and closes everything in order.
 */
export async function runGateway(runtime: GatewayRuntime): Promise<number> {
  let options: GatewayOptions;
  try {
    options = parseOptions(runtime.argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    runtime.stderr.write(`gateway: ${error.message}\n\n${USAGE}\n`);
    return EXIT_USAGE;
  }
  if (options.help) {
    runtime.stdout.write(`${USAGE}\n`);
    return EXIT_OK;
  }
  const { clock, interrupt } = runtime;
  const logger = runtime.createLogger(options);
  const closers: (() => Promise<unknown>)[] = [];
  const closeAll = async (): Promise<void> => {
    for (const close of closers.splice(0).reverse()) {
      await close().catch((error: unknown) => logger.warn('close failed', { error: describeError(error) }));
    }
  };
  let gateway: FleetGateway;
  try {
    const upstream = await openUpstream(options, clock, logger);
    const sim = upstream.sim;
    if (sim !== undefined) closers.push(() => sim.close());
    const rest = createUpbitRestSource({ url: upstream.restUrl, clock, logger: logger.child({ component: 'rest' }) });
    closers.push(() => rest.close());
    const websocket = createUpbitWebSocketSource({
      url: upstream.wsUrl,
      clock,
      logger: logger.child({ component: 'websocket' }),
    });
    closers.push(() => websocket.close());
    let nats: NatsConnection;
    try {
      nats = await connectNats(options.natsUrl, logger);
    } catch (error) {
      throw new Error(
        `cannot reach NATS at ${options.natsUrl} (${describeError(error)}): start one with \`nats-server -js -a 127.0.0.1 -p 4222\``,
      );
    }
    closers.push(() => nats.close());
    gateway = createFleetGateway({
      nats,
      streaming: websocket,
      rest,
      clock,
      logger,
      subjectPrefix: options.subjectPrefix,
      heartbeatMs: options.heartbeatMs,
    });
    await gateway.start();
    closers.push(() => gateway.close());
    const s = gateway.subjects;
    runtime.stdout.write(
      [
        `GATEWAY   ${gateway.id}`,
        `NATS      ${options.natsUrl}`,
        `UPBIT     ${upstream.restUrl} ${upstream.wsUrl} (${upstream.label})`,
        `STREAMS   ${s.prefix}.{ticker,trade,orderbook,candle.1s..candle.240m}.<MARKET>`,
        `RPC       ${s.prefix}.rpc.{getTicker,getTickers,getOrderBook,getTrades,getCandles,getMarkets}`,
        `DEMAND    ${s.demand}`,
        `HEARTBEAT ${s.heartbeat}`,
        `KV        ${s.kvBucket}`,
        '',
      ].join('\n'),
    );
  } catch (error) {
    runtime.stderr.write(`gateway: ${describeError(error)}\n`);
    await closeAll();
    return EXIT_RUNTIME_FAILURE;
  }

  const status = (): void => {
    const health = gateway.health();
    logger.info('gateway status', {
      status: health.status,
      reasons: health.reasons,
      consumers: health.consumers,
      feeds: health.feeds,
      published: health.relay.published,
      rpc: health.rpc.requests,
    });
  };
  let timer = clock.setTimeout(function tick() {
    status();
    timer = clock.setTimeout(tick, STATUS_EVERY_MS);
  }, STATUS_EVERY_MS);
  await new Promise<void>((resolve) => {
    if (interrupt.aborted) resolve();
    else interrupt.addEventListener('abort', () => resolve(), { once: true });
  });
  clock.clearTimeout(timer);
  logger.info('stopping', { reason: String(interrupt.reason) });
  await closeAll();
  return EXIT_OK;
}
