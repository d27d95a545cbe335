import type {
  ConnectionState,
  MarketCode,
  MarketDataError,
  RefusalKind,
  StreamKind,
  StreamRecord,
} from '@marketdata/domain';
import { STREAM_KINDS } from '../subjects.js';
import { errorIn, errorOut } from './errors.js';
import { checkVersion, type DecodeContext, decodeJsonObject, encodeJson, WIRE_VERSION } from './fields.js';
import { streamRecordIn, streamRecordOut } from './records.js';

/**
 * The messages of the fleet, JSON in UTF-8, each with `v: 1`. A reader ignores fields it does not know and refuses a
 * message whose known fields are wrong (`DataValidationError` naming the field). See apps/gateway/README.md.
 */

const CONNECTION_STATES: readonly ConnectionState[] = ['idle', 'connecting', 'open', 'reconnecting', 'closed'];
const REFUSAL_KINDS: readonly RefusalKind[] = [
  'unreachable',
  'rate-limited',
  'blocked',
  'upgrade-rejected',
  'error-frame',
];

// ---------------------------------------------------------------------------------------------------------------
// Data subjects: <prefix>.<kind>.<MARKET>

/** What arrives on a data subject: a record, or the gateway's upstream refusing / giving up on the subject. */
export type DataMessage<K extends StreamKind> =
  | {
      readonly type: 'record';
      readonly gateway: string;
      /** Per subject and gateway instance, +1 per record published: a jump is a lost message. */
      readonly seq: number;
      /** The gateway's wall clock when it published (for transit measurements; ages use `record.ageMs`). */
      readonly publishedAt: number;
      readonly record: StreamRecord<K>;
    }
  | { readonly type: 'refused'; readonly gateway: string; readonly error: MarketDataError }
  | { readonly type: 'ended'; readonly gateway: string; readonly error: MarketDataError | undefined };

export function encodeRecordMessage<K extends StreamKind>(
  kind: K,
  record: StreamRecord<K>,
  meta: { readonly gateway: string; readonly seq: number; readonly publishedAt: number; readonly nowMonotonic: number },
): Uint8Array {
  return encodeJson({
    v: WIRE_VERSION,
    type: 'record',
    gateway: meta.gateway,
    seq: meta.seq,
    publishedAt: meta.publishedAt,
    record: streamRecordOut(kind, record, meta.nowMonotonic),
  });
}

export function encodeRefusalMessage(
  type: 'refused' | 'ended',
  gateway: string,
  error: MarketDataError | undefined,
): Uint8Array {
  return encodeJson({ v: WIRE_VERSION, type, gateway, error: error === undefined ? undefined : errorOut(error) });
}

const DATA_CONTEXT: DecodeContext = { what: 'fleet data message', channel: 'websocket' };

/** `arrivedAtMonotonic`: the receiver's own stamp (minus any time the message sat in storage). */
export function decodeDataMessage<K extends StreamKind>(
  kind: K,
  bytes: Uint8Array,
  arrivedAtMonotonic: number,
): DataMessage<K> {
  const f = decodeJsonObject(bytes, DATA_CONTEXT);
  checkVersion(f);
  const type = f.literal('type', ['record', 'refused', 'ended'] as const);
  const gateway = f.string('gateway');
  if (type === 'record') {
    return {
      type,
      gateway,
      seq: f.number('seq'),
      publishedAt: f.number('publishedAt'),
      record: streamRecordIn(kind, f.object('record'), arrivedAtMonotonic),
    };
  }
  const error = f.optionalObject('error');
  if (type === 'refused') {
    if (error === undefined) return f.reject('error', 'the refusal');
    return { type, gateway, error: errorIn(error) };
  }
  return { type, gateway, error: error === undefined ? undefined : errorIn(error) };
}

// ---------------------------------------------------------------------------------------------------------------
// Heartbeat: <prefix>.gateway.heartbeat

export interface UpstreamRefusalView {
  readonly kind: RefusalKind;
  readonly error: MarketDataError;
  readonly repeats: number;
  /** How long ago the refusal happened, on the gateway's monotonic clock. */
  readonly ageMs: number;
  /** How long until the gateway's source tries again, if it will. */
  readonly retryInMs: number | undefined;
}

export interface Heartbeat {
  /** The gateway instance: a new id is a restarted gateway (consumers announce their demand again at once). */
  readonly gateway: string;
  readonly startedAt: number;
  readonly seq: number;
  readonly sentAt: number;
  /** How often heartbeats come; consumers call the gateway silent after a multiple of it. */
  readonly intervalMs: number;
  /** The gateway's Upbit WebSocket connection, as its source reports it (facts, no grade). */
  readonly upstream: {
    readonly state: ConnectionState;
    readonly epoch: number;
    readonly reconnects: number;
    readonly openGaps: number;
    readonly refusal: UpstreamRefusalView | undefined;
  };
  /** Consumers holding a lease, and feeds (kind x market) on the gateway's wire for them. */
  readonly consumers: number;
  readonly feeds: number;
  /** True on the last heartbeat of a gateway shutting down: consumers need not wait for silence. */
  readonly stopping: boolean;
}

export function encodeHeartbeat(heartbeat: Heartbeat): Uint8Array {
  const refusal = heartbeat.upstream.refusal;
  return encodeJson({
    v: WIRE_VERSION,
    ...heartbeat,
    upstream: {
      ...heartbeat.upstream,
      refusal: refusal === undefined ? undefined : { ...refusal, error: errorOut(refusal.error) },
    },
  });
}

const HEARTBEAT_CONTEXT: DecodeContext = { what: 'fleet heartbeat', channel: 'websocket' };

export function decodeHeartbeat(bytes: Uint8Array): Heartbeat {
  const f = decodeJsonObject(bytes, HEARTBEAT_CONTEXT);
  checkVersion(f);
  const upstream = f.object('upstream');
  const refusal = upstream.optionalObject('refusal');
  return {
    gateway: f.string('gateway'),
    startedAt: f.number('startedAt'),
    seq: f.number('seq'),
    sentAt: f.number('sentAt'),
    intervalMs: f.number('intervalMs'),
    upstream: {
      state: upstream.literal('state', CONNECTION_STATES),
      epoch: upstream.number('epoch'),
      reconnects: upstream.number('reconnects'),
      openGaps: upstream.number('openGaps'),
      refusal:
        refusal === undefined
          ? undefined
          : {
              kind: refusal.literal('kind', REFUSAL_KINDS),
              error: errorIn(refusal.object('error')),
              repeats: refusal.number('repeats'),
              ageMs: refusal.number('ageMs'),
              retryInMs: refusal.optionalNumber('retryInMs'),
            },
    },
    consumers: f.number('consumers'),
    feeds: f.number('feeds'),
    stopping: f.has('stopping') ? f.boolean('stopping') : false,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Upstream gaps: <prefix>.gateway.gap

export interface GapReport {
  readonly gateway: string;
  /** Wall times of the gap on the gateway (what a REST backfill would ask for). */
  readonly startedAt: number;
  readonly endedAt: number | undefined;
  /** Milliseconds since the gap started, on the gateway's monotonic clock when it sent this. */
  readonly sinceStartMs: number;
  /** Its length on the gateway's monotonic clock, once ended. */
  readonly durationMs: number | undefined;
  readonly reason: string;
  readonly symbols: readonly MarketCode[];
}

export function encodeGapReport(report: GapReport): Uint8Array {
  return encodeJson({ v: WIRE_VERSION, ...report });
}

const GAP_CONTEXT: DecodeContext = { what: 'fleet gap report', channel: 'websocket' };

export function decodeGapReport(bytes: Uint8Array): GapReport {
  const f = decodeJsonObject(bytes, GAP_CONTEXT);
  checkVersion(f);
  return {
    gateway: f.string('gateway'),
    startedAt: f.number('startedAt'),
    endedAt: f.optionalNumber('endedAt'),
    sinceStartMs: f.number('sinceStartMs'),
    durationMs: f.optionalNumber('durationMs'),
    reason: f.string('reason'),
    symbols: f.markets('symbols'),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Demand: <prefix>.demand (consumers -> gateway)

/** A consumer's complete demand (it replaces the previous one), held by the gateway for `leaseMs` unless renewed. */
export interface DemandAnnouncement {
  readonly consumer: string;
  /** 0 releases everything at once (a consumer closing). */
  readonly leaseMs: number;
  /** Markets per stream kind; a kind left out is wanted for no market. */
  readonly feeds: DemandFeeds;
}

export type DemandFeeds = Readonly<Partial<Record<StreamKind, readonly MarketCode[]>>>;

export function encodeDemand(demand: DemandAnnouncement): Uint8Array {
  return encodeJson({ v: WIRE_VERSION, ...demand });
}

const DEMAND_CONTEXT: DecodeContext = { what: 'fleet demand', channel: 'api' };

export function decodeDemand(bytes: Uint8Array): DemandAnnouncement {
  const f = decodeJsonObject(bytes, DEMAND_CONTEXT);
  checkVersion(f);
  const feeds = f.object('feeds');
  const wanted: Partial<Record<StreamKind, MarketCode[]>> = {};
  for (const kind of STREAM_KINDS) if (feeds.has(kind)) wanted[kind] = feeds.markets(kind);
  const leaseMs = f.number('leaseMs');
  if (leaseMs < 0) f.reject('leaseMs', 'a number >= 0');
  return {
    consumer: f.string('consumer'),
    leaseMs,
    feeds: wanted,
  };
}
