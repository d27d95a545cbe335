import { type Clock, ConfigError, type ConfigIssue, type Logger, silentLogger, systemClock } from '@marketdata/domain';
import { nuid } from '@nats-io/nats-core';
import { DEFAULT_SUBJECT_PREFIX, fleetSubjects } from '../subjects.js';
import { type ConnectFunction, FleetConnection } from './fleet-connection.js';
import { type FleetRestSettings, FleetRestSource } from './fleet-rest-source.js';
import { type FleetStreamingSettings, FleetStreamingSource } from './fleet-streaming-source.js';

export interface FleetSourcesOptions extends Partial<FleetSettings> {
  /** `nats://127.0.0.1:4222`, or several comma-separated. */
  readonly natsUrl: string;
  readonly subjectPrefix?: string | undefined;
  /** This consumer's id in its demand announcements (default: a fresh NUID). */
  readonly consumerId?: string | undefined;
  /** The NATS client's name (shown by the server's `/connz`). */
  readonly name?: string | undefined;
  readonly clock?: Clock | undefined;
  readonly logger?: Logger | undefined;
  readonly connect?: ConnectFunction | undefined;
}

export interface FleetSources {
  /** For `createMarketData({ rest })`: request/reply through the gateway's one REST budget. */
  readonly rest: FleetRestSource;
  /** For `createMarketData({ websocket })`: the gateway's streams over NATS, with the facts of a WebSocket source. */
  readonly websocket: FleetStreamingSource;
  /** Resolves once NATS is connected (the first time), or rejects with the signal's reason. */
  ready(signal?: AbortSignal): Promise<void>;
  /** Closes both sources (the facade's `close()` does the same); the connection closes with the last. */
  close(): Promise<void>;
}

/** Every setting of the fleet sources, with `DEFAULT_FLEET_SETTINGS` as defaults. */
export interface FleetSettings extends Omit<FleetStreamingSettings, 'consumerId'>, FleetRestSettings {
  /** Pause between NATS reconnect attempts. */
  readonly reconnectWaitMs: number;
}

export const DEFAULT_FLEET_SETTINGS: FleetSettings = {
  lingerMs: 10_000,
  leaseMs: 15_000,
  silentAfterMs: 2_000,
  livenessCheckMs: 250,
  snapshotTimeoutMs: 5_000,
  tradeQueueCapacity: 10_000,
  requestTimeoutMs: 10_000,
  pollIntervalMs: 1_000,
  marketListTtlMs: 600_000,
  reconnectWaitMs: 250,
};

/**
 * A consumer's two sources over the fleet gateway, sharing one NATS connection:
 *
 *   const fleet = createFleetSources({ natsUrl: 'nats://127.0.0.1:4222' });
 *   const md = createMarketData({ rest: fleet.rest, websocket: fleet.websocket });
 *
 * With default settings a gateway that stops is noticed within `silentAfterMs` (2 s, two missed heartbeats) plus
 * one check (250 ms): the backbone then labels the consumer's values stale and `health()` names the reason.
 */
export function createFleetSources(options: FleetSourcesOptions): FleetSources {
  const settings = { ...DEFAULT_FLEET_SETTINGS, ...definedOnly(options) };
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const subjects = fleetSubjects(options.subjectPrefix ?? DEFAULT_SUBJECT_PREFIX);
  const consumerId = options.consumerId ?? nuid.next();
  const connection = new FleetConnection({
    url: options.natsUrl,
    name: options.name ?? `md-consumer-${consumerId}`,
    clock,
    logger: logger.child({ component: 'fleet-connection' }),
    reconnectWaitMs: settings.reconnectWaitMs,
    connect: options.connect,
  });
  const websocket = new FleetStreamingSource({
    ...settings,
    consumerId,
    connection,
    subjects,
    clock,
    logger: logger.child({ component: 'fleet-streaming' }),
    natsUrl: options.natsUrl,
  });
  const rest = new FleetRestSource({
    ...settings,
    connection,
    subjects,
    clock,
    logger: logger.child({ component: 'fleet-rest' }),
  });
  return {
    rest,
    websocket,
    ready: async (signal) => {
      await connection.ready(signal);
    },
    close: async () => {
      await Promise.all([rest.close(), websocket.close()]);
    },
  };
}

const OTHER_KEYS: readonly string[] = ['natsUrl', 'subjectPrefix', 'consumerId', 'name', 'clock', 'logger', 'connect'];

/**
 * The settings given, checked: every number finite and > 0, a NATS URL, a valid subject prefix,
 * no unknown option. Every problem in one `ConfigError`.
 */
function definedOnly(options: FleetSourcesOptions): Partial<FleetSettings> {
  const issues: ConfigIssue[] = [];
  const out: Record<string, number> = {};
  for (const key of Object.keys(options)) {
    if (!(key in DEFAULT_FLEET_SETTINGS) && !OTHER_KEYS.includes(key)) {
      issues.push({
        path: key,
        message: 'unknown option',
        value: (options as unknown as Record<string, unknown>)[key],
      });
    }
  }
  if (typeof options.natsUrl !== 'string' || options.natsUrl.trim() === '') {
    issues.push({ path: 'natsUrl', message: 'a NATS URL is required (nats://host:4222)', value: options.natsUrl });
  }
  for (const key of Object.keys(DEFAULT_FLEET_SETTINGS) as (keyof FleetSettings)[]) {
    const value = options[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      issues.push({ path: key, message: 'must be a finite number > 0 (milliseconds or a count)', value });
    } else out[key] = value;
  }
  if (options.subjectPrefix !== undefined) {
    try {
      fleetSubjects(options.subjectPrefix);
    } catch (error) {
      issues.push({ path: 'subjectPrefix', message: (error as Error).message, value: options.subjectPrefix });
    }
  }
  if (issues.length > 0) throw new ConfigError(issues, { operation: 'createFleetSources' });
  return out;
}
