import {
  type Clock,
  type Logger,
  type StreamingSource,
  silentLogger,
  systemClock,
  type TimerHandle,
} from '@marketdata/domain';
import { type NatsConnection, nuid, type Subscription } from '@nats-io/nats-core';
import { watchNatsStatus } from '../nats-status.js';
import { DEFAULT_SUBJECT_PREFIX, type FleetSubjects, fleetSubjects } from '../subjects.js';
import { encodeJson } from '../wire/fields.js';
import { decodeDemand, decodeHeartbeat, encodeGapReport, encodeHeartbeat, type Heartbeat } from '../wire/messages.js';
import { DemandLeases, type FeedKey } from './demand-leases.js';
import { buildHealthReport, type GatewayHealthReport, upstreamView } from './gateway-health.js';
import { ensureLatestBucket, type LatestStorage } from './latest-bucket.js';
import { type GatewayRestPort, RpcServer } from './rpc-server.js';
import { StreamRelay } from './stream-relay.js';

export interface FleetGatewayOptions {
  /** A connected client; the gateway neither opens nor closes it. Give it `maxReconnectAttempts: -1`. */
  readonly nats: NatsConnection;
  /** The Upbit WebSocket source: the only owner of the fleet's Upbit connections. */
  readonly streaming: StreamingSource;
  /** The Upbit REST source: the fleet's one REST budget. */
  readonly rest: GatewayRestPort;
  readonly clock?: Clock | undefined;
  readonly logger?: Logger | undefined;
  /** This instance's id (default: a fresh NUID). A restarted gateway must have a new one. */
  readonly id?: string | undefined;
  readonly subjectPrefix?: string | undefined;
  /** Default 1,000 ms. Consumers call the gateway silent after two intervals without one. */
  readonly heartbeatMs?: number | undefined;
  /** Default 5,000 ms. */
  readonly healthEveryMs?: number | undefined;
  /** Default 60,000 ms: longer leases asked for are cut to it. */
  readonly maxLeaseMs?: number | undefined;
  readonly maxFeedsPerConsumer?: number | undefined;
  readonly maxConsumers?: number | undefined;
  readonly rpcMaxInFlight?: number | undefined;
  readonly rpcMaxTimeoutMs?: number | undefined;
  readonly latestStorage?: LatestStorage | undefined;
}

export interface FleetGateway {
  readonly id: string;
  readonly subjects: FleetSubjects;
  /** Creates the KV bucket (JetStream must be on), then serves. Rejects when the bucket cannot be had. */
  start(): Promise<void>;
  health(): GatewayHealthReport;
  /** Who holds a lease, and the feeds their union puts on the Upbit wire. */
  demand(): { readonly consumers: readonly string[]; readonly feeds: readonly FeedKey[] };
  /** Says goodbye (a last heartbeat with `stopping`), stops serving and releases every feed. The sources stay open. */
  close(): Promise<void>;
}

/**
 * The gateway's publishing core: demand leases in, the Upbit streams out on NATS (live + latest in KV), REST-style
 * calls answered through the one budget, heartbeats and health. It composes the ports it is given and knows nothing
 * of Upbit itself (apps/gateway wires the Upbit adapters in).
 */
export function createFleetGateway(options: FleetGatewayOptions): FleetGateway {
  const clock = options.clock ?? systemClock;
  const logger = (options.logger ?? silentLogger).child({ component: 'fleet-gateway' });
  const id = options.id ?? nuid.next();
  const subjects = fleetSubjects(options.subjectPrefix ?? DEFAULT_SUBJECT_PREFIX);
  const heartbeatMs = options.heartbeatMs ?? 1_000;
  const healthEveryMs = options.healthEveryMs ?? 5_000;
  const { nats, streaming, rest } = options;
  const startedAt = clock.now();
  const publish = (subject: string, payload: Uint8Array): void => {
    if (!nats.isClosed()) nats.publish(subject, payload);
  };

  const relay = new StreamRelay({ streaming, publish, subjects, clock, logger, gatewayId: id });
  const leases = new DemandLeases({
    clock,
    logger,
    onChange: (added, removed) => relay.update(added, removed),
    sweepEveryMs: 1_000,
    maxLeaseMs: options.maxLeaseMs ?? 60_000,
    maxFeedsPerConsumer: options.maxFeedsPerConsumer ?? 5_000,
    maxConsumers: options.maxConsumers ?? 1_000,
  });
  const rpc = new RpcServer({
    nats,
    rest,
    subjects,
    clock,
    logger,
    maxInFlight: options.rpcMaxInFlight ?? 1_000,
    maxTimeoutMs: options.rpcMaxTimeoutMs ?? 30_000,
  });
  const kv = { bucket: subjects.kvBucket, ready: false, error: undefined as string | undefined };
  const natsView = { server: '', reconnects: 0 };
  let heartbeatSeq = 0;
  let malformedDemand = 0;
  let stopping = false;
  let heartbeatTimer: TimerHandle | undefined;
  let healthTimer: TimerHandle | undefined;
  let demandSubscription: Subscription | undefined;
  let rivalSubscription: Subscription | undefined;
  /** Another gateway heard on the same subjects (its id, when last heard): two gateways mean two budgets. */
  const rivals = new Map<string, number>();
  const stops: (() => void)[] = [];

  const heartbeat = (): Heartbeat => ({
    gateway: id,
    startedAt,
    seq: heartbeatSeq,
    sentAt: clock.now(),
    intervalMs: heartbeatMs,
    upstream: upstreamView(streaming.status(), clock.monotonic()),
    consumers: leases.consumers(),
    feeds: relay.counters().feeds,
    stopping,
  });

  const health = (): GatewayHealthReport => {
    const report = buildHealthReport({
      heartbeat: heartbeat(),
      status: streaming.status(),
      markets: rest.directory.view(),
      kv: { ...kv },
      nats: { ...natsView, server: nats.isClosed() ? '' : nats.getServer() },
      refusedDemand: leases.refused(),
      malformedDemand,
      relay: relay.counters(),
      rpc: rpc.counters(),
    });
    const now = clock.monotonic();
    const heard = [...rivals].filter(([, at]) => now - at < 3 * heartbeatMs).map(([rival]) => rival);
    if (heard.length === 0) return report;
    const reasons = [...report.reasons, `another gateway serves ${subjects.prefix} (${heard.join(', ')}): two budgets`];
    return { ...report, status: report.status === 'stopping' ? 'stopping' : 'degraded', reasons };
  };

  const sendHeartbeat = (): void => {
    heartbeatSeq++;
    publish(subjects.heartbeat, encodeHeartbeat(heartbeat()));
  };

  const sendHealth = (): void => {
    const bytes = encodeJson({ v: 1, ...health() });
    publish(subjects.health, bytes);
    if (kv.ready) publish(subjects.kvSubject(subjects.healthKey), bytes);
  };

  const loop = (every: number, body: () => void, set: (handle: TimerHandle) => void): void => {
    const tick = (): void => {
      if (stopping) return;
      body();
      set(clock.setTimeout(tick, every));
    };
    set(clock.setTimeout(tick, every));
  };

  const prepareBucket = async (): Promise<void> => {
    try {
      await ensureLatestBucket(nats, subjects.kvBucket, options.latestStorage ?? 'memory');
      kv.ready = true;
      kv.error = undefined;
    } catch (error) {
      kv.ready = false;
      kv.error = (error as Error).message;
      throw error;
    }
  };

  const onReconnect = async (): Promise<void> => {
    natsView.reconnects++;
    sendHeartbeat();
    try {
      await prepareBucket();
      const written = relay.reseed();
      logger.info('NATS reconnected: latest values written again', { written });
    } catch (error) {
      logger.error('NATS reconnected but the KV bucket is not available', { error });
    }
    sendHealth();
  };

  return {
    id,
    subjects,

    async start() {
      await prepareBucket();
      demandSubscription = nats.subscribe(subjects.demand, {
        callback: (error, msg) => {
          if (error !== null || stopping) return;
          try {
            leases.announce(decodeDemand(msg.data));
          } catch (decodeError) {
            malformedDemand++;
            if (malformedDemand <= 10) logger.warn('malformed demand ignored', { error: decodeError });
          }
        },
      });
      // Two gateways on one prefix would each hold an Upbit connection set and a budget: say so loudly.
      rivalSubscription = nats.subscribe(subjects.heartbeat, {
        callback: (error, msg) => {
          if (error !== null) return;
          try {
            const other = decodeHeartbeat(msg.data).gateway;
            if (other === id || other === '') return;
            if (!rivals.has(other)) logger.error('another fleet gateway serves the same subjects', { other });
            rivals.set(other, clock.monotonic());
          } catch {}
        },
      });
      rpc.start();
      leases.start();
      stops.push(
        streaming.observe({
          onGap: (gap) => {
            const now = clock.monotonic();
            publish(
              subjects.gap,
              encodeGapReport({
                gateway: id,
                startedAt: gap.startedAt,
                endedAt: gap.endedAt,
                sinceStartMs: Math.max(0, now - gap.startedAtMonotonic),
                durationMs:
                  gap.endedAtMonotonic === undefined ? undefined : gap.endedAtMonotonic - gap.startedAtMonotonic,
                reason: gap.reason,
                symbols: gap.symbols,
              }),
            );
          },
          // A change of the upstream's state reaches the consumers now, not at the next beat.
          onConnection: () => sendHeartbeat(),
          onRefusal: () => sendHeartbeat(),
        }),
      );
      stops.push(
        watchNatsStatus(nats, (status) => {
          if (status.type === 'reconnect') void onReconnect();
          else if (status.type === 'disconnect') logger.warn('NATS connection lost', { server: status.server });
        }),
      );
      sendHeartbeat();
      sendHealth();
      loop(heartbeatMs, sendHeartbeat, (handle) => {
        heartbeatTimer = handle;
      });
      loop(healthEveryMs, sendHealth, (handle) => {
        healthTimer = handle;
      });
      logger.info('fleet gateway serving', { id, prefix: subjects.prefix, bucket: subjects.kvBucket });
    },

    health,

    demand: () => ({ consumers: leases.holders(), feeds: leases.wanted() }),

    async close() {
      if (stopping) return;
      stopping = true;
      clock.clearTimeout(heartbeatTimer);
      clock.clearTimeout(healthTimer);
      heartbeatSeq++;
      publish(subjects.heartbeat, encodeHeartbeat(heartbeat()));
      sendHealth();
      demandSubscription?.unsubscribe();
      rivalSubscription?.unsubscribe();
      rpc.stop();
      leases.stop();
      for (const stop of stops.splice(0)) stop();
      relay.close();
      if (!nats.isClosed()) await nats.flush().catch(() => undefined);
    },
  };
}
