import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createSystemClock, silentLogger } from '@marketdata/domain';
import { startAdminServer } from './admin/admin-server.js';
import { configError } from './config-error.js';
import { CounterBook } from './control/counters.js';
import { createControl } from './control/create-control.js';
import { FaultState } from './control/fault-state.js';
import type { SimControl } from './control/sim-control.js';
import { WsFaults } from './control/ws-faults.js';
import { MarketEngine } from './model/market-engine.js';
import { resolveRateLimits, type StartUpbitSimOptions } from './options.js';
import { ReplayPlayer } from './replay/replay-player.js';
import { RateLimiter } from './rest/rate-limiter.js';
import { createRestHandler } from './rest/rest-handler.js';
import { WS_PATH, WsHub } from './ws/ws-hub.js';

export interface UpbitSim {
  /** `http://127.0.0.1:PORT` (paths /v1/...). */
  readonly restUrl: string;
  /** `ws://127.0.0.1:PORT/websocket/v1`. */
  readonly wsUrl: string;
  readonly adminUrl: string | undefined;
  readonly port: number;
  readonly control: SimControl;
  close(): Promise<void>;
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!(value > 0) || !Number.isFinite(value))
    throw configError(name, `${name} must be a positive number, got ${value}`);
  return value;
}

/** Starts the simulator: REST and WebSocket on one port, an optional admin port, and the market model. */
export async function startUpbitSim(options: StartUpbitSimOptions = {}): Promise<UpbitSim> {
  const clock = options.clock ?? createSystemClock();
  const logger = options.logger ?? silentLogger;
  const host = options.host ?? '127.0.0.1';
  const seed = options.seed ?? 1;
  if (!Number.isInteger(seed)) throw configError('seed', `seed must be an integer, got ${seed}`);
  const idleTimeoutMs = positive('idleTimeoutMs', options.idleTimeoutMs, 60_000);
  const statusIntervalMs = positive('statusIntervalMs', options.statusIntervalMs, 10_000);
  const maxBufferedBytes = positive('maxBufferedBytes', options.maxBufferedBytes, 64 * 1024 * 1024);
  const replay = options.replay;
  const speed = positive('replay.speed', replay?.speed, 1);

  const engine = new MarketEngine({
    seed,
    clock,
    markets: options.markets,
    tradeRateScale: options.tradeRateScale,
  });
  const rateLimits = options.rateLimits === false ? undefined : resolveRateLimits(options.rateLimits);
  const limiter = rateLimits === undefined ? undefined : new RateLimiter(rateLimits, clock);
  const faults = new FaultState();
  const wsFaults = new WsFaults();
  const counters = new CounterBook();
  const hub = new WsHub({
    engine,
    clock,
    logger,
    limiter,
    rateLimits,
    faults,
    wsFaults,
    counters,
    idleTimeoutMs,
    statusIntervalMs,
    maxBufferedBytes,
    replay: replay !== undefined,
  });
  // While replaying, the model still runs (REST reads it) but only recorded frames go to WebSocket clients.
  const live = replay === undefined;
  engine.setListener({
    onTrade(market, trade) {
      counters.tradesSimulated++;
      if (live) hub.onTrade(market, trade);
    },
    onBook: (market) => {
      if (live) hub.onBook(market);
    },
    onBatchEnd: () => hub.onBatchEnd(),
  });
  const player =
    replay === undefined ? undefined : new ReplayPlayer(replay.frames, hub, clock, speed, replay.loop ?? false);

  const rest = createRestHandler({ engine, clock, logger, limiter, faults, counters });
  const server: Server = createServer({ keepAlive: true });
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('request', rest.handle);
  server.on('upgrade', (req, socket, head) => hub.handleUpgrade(req, socket, head));
  server.on('clientError', (_error, socket) => socket.destroy());

  let listening = false;
  const listen = (port: number): Promise<number> =>
    new Promise((resolve, reject) => {
      const onError = (error: Error): void => reject(error);
      server.once('error', onError);
      server.listen({ host, port }, () => {
        server.off('error', onError);
        listening = true;
        resolve((server.address() as AddressInfo).port);
      });
    });
  const stopListening = async (): Promise<void> => {
    if (!listening) return;
    listening = false;
    hub.dropAll();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    server.closeAllConnections();
    await closed;
  };

  const port = await listen(options.port ?? 0);
  const urlHost = host.includes(':') ? `[${host}]` : host;

  const control: SimControl = createControl({
    engine,
    hub,
    clock,
    faults,
    wsFaults,
    counters,
    stop: stopListening,
    start: async () => {
      if (!listening) await listen(port);
    },
    isListening: () => listening,
  });

  const admin =
    options.adminPort === false
      ? undefined
      : await startAdminServer({ control, host, port: options.adminPort ?? 0, logger });

  engine.start();
  player?.start();
  logger.info('upbit-sim: listening', { port, markets: engine.markets.length, adminPort: admin?.port });

  let closed = false;
  return {
    restUrl: `http://${urlHost}:${port}`,
    wsUrl: `ws://${urlHost}:${port}${WS_PATH}`,
    adminUrl: admin === undefined ? undefined : `http://${urlHost}:${admin.port}`,
    port,
    control,
    async close() {
      if (closed) return;
      closed = true;
      engine.stop();
      player?.stop();
      rest.cancelPending();
      hub.close();
      await stopListening();
      await admin?.close();
    },
  };
}
