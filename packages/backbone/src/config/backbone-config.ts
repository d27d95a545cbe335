import { ConfigError, type ConfigIssue } from '@marketdata/domain';
import * as v from 'valibot';
import { CONFIG_GROUPS, CONFIG_SCHEMA, TOP_LEVEL_KEYS } from './config-schema.js';
import { PLAN_CONFIG_NAMES } from './plan-config-names.js';

/** Thresholds of the smart channel router. Times are milliseconds. */
export interface RouterConfig {
  /** A symbol requested at least this often (requests per second over the window) is hot: served by WebSocket. */
  readonly hotRequestsPerSecond: number;
  /** Length of the sliding window the request frequency is measured over. */
  readonly frequencyWindowMs: number;
  /** Consecutive failures that disable a channel. */
  readonly failureThreshold: number;
  /** First wait before a disabled channel is probed again; doubles after each failed probe. */
  readonly probeBackoffInitialMs: number;
  readonly probeBackoffMaxMs: number;
  /** Weight of the newest sample in the per-channel latency EWMA (0..1]. */
  readonly latencyEwmaAlpha: number;
  /** Outcomes older than this no longer count toward a channel's error rate. */
  readonly errorRateWindowMs: number;
  /** The error rate is only trusted after this many outcomes inside the window. */
  readonly errorRateMinSamples: number;
  /** Above this error rate (0..1] a channel is avoided while the other one can serve. */
  readonly maxErrorRate: number;
  /** REST latency EWMA above which a cold symbol with fresh WebSocket data is served from WebSocket. */
  readonly restSlowMs: number;
}

/** Thresholds of the unifier's data-quality checks. */
export interface QualityConfig {
  /** Relative price difference between channels above which they disagree (0.001 = 0.1%). */
  readonly disagreementThreshold: number;
  /** Channel values received further apart than this are not compared (the price may have moved). */
  readonly crossCheckWindowMs: number;
  /** Exchange timestamps further than this ahead of the local clock are flagged as in the future. */
  readonly futureToleranceMs: number;
}

/**
 * The one stale rule (see `src/freshness/freshness-judge.ts`): a value is stale once the time since it arrived
 * exceeds `max(minStaleMs, staleFactor x expected interval)`, the expected interval being the symbol's learned
 * rhythm clamped to [minExpectedIntervalMs, maxExpectedIntervalMs], or `defaultExpectedIntervalMs` before any.
 */
export interface FreshnessConfig {
  readonly staleFactor: number;
  /** Nothing younger than this is stale, however fast the symbol's rhythm. */
  readonly minStaleMs: number;
  /** A symbol's expected update interval before anything is known about its rhythm. */
  readonly defaultExpectedIntervalMs: number;
  readonly minExpectedIntervalMs: number;
  readonly maxExpectedIntervalMs: number;
}

/** The facade's settings after validation and defaults (see `parseBackboneConfig`). */
export interface BackboneConfig {
  /** Use the WebSocket channel at all (false = REST only). */
  readonly useWebSocket: boolean;
  /** The deadline of one facade call (`getTicker`, `getTickers`), everything included. Its signal is the only
   * deadline handed to a source; retries and attempt timeouts are the REST adapter's own. */
  readonly restTimeoutMs: number;
  /** The longest a call waits on the WebSocket (for a symbol's first value) before falling back; never longer
   * than the call's own deadline. */
  readonly webSocketTimeoutMs: number;
  /** No cached value older than this is ever handed out. */
  readonly cacheTtlMs: number;
  readonly cacheMaxEntries: number;
  /** Trades a `watchTrades` consumer may fall behind by before its stream ends with `QueueFullError`. */
  readonly tradeQueueCapacity: number;
  readonly router: RouterConfig;
  readonly quality: QualityConfig;
  readonly freshness: FreshnessConfig;
}

type DeepPartial<T> = { readonly [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

/** What callers may pass: every field optional, defaults fill the rest. */
export type BackboneConfigInput = DeepPartial<BackboneConfig>;

export { MAX_DURATION_MS } from './config-schema.js';

// Compile-time proof that the schema produces exactly the documented shape.
const schemaMatchesInterface: (value: v.InferOutput<typeof CONFIG_SCHEMA>) => BackboneConfig = (value) => value;
void schemaMatchesInterface;

/**
 * Settings that used to be here, and where they are now. A caller passing one learns where it went instead of
 * reading "unknown field".
 */
const MOVED: Readonly<Record<string, string>> = {
  maxRetries:
    'not a backbone setting: the REST adapter owns retries and attempt timeouts; pass it to ' +
    'createUpbitMarketData({ maxRetries }) (or createUpbitRestSource({ maxRetries }))',
  useWebsocket: 'renamed: useWebSocket',
  websocketTimeoutMs: 'renamed: webSocketTimeoutMs',
  'router.unsubscribeGraceMs':
    'removed: a symbol turning cold is released at once and the WebSocket adapter keeps it on the wire for its ' +
    'own linger time (createUpbitWebSocketSource({ lingerMs }))',
  'router.maintenanceIntervalMs': 'removed: a symbol is released when it turns cold, without maintenance rounds',
  'router.staleFactor': 'moved to freshness.staleFactor',
  'quality.defaultExpectedIntervalMs': 'moved to freshness.defaultExpectedIntervalMs',
  'quality.minExpectedIntervalMs': 'moved to freshness.minExpectedIntervalMs',
  'quality.maxExpectedIntervalMs': 'moved to freshness.maxExpectedIntervalMs',
};

function messageForUnknown(path: string): string {
  const moved = MOVED[path];
  if (moved !== undefined) return moved;
  const planName = Object.hasOwn(PLAN_CONFIG_NAMES, path) ? PLAN_CONFIG_NAMES[path] : undefined;
  return planName === undefined ? 'unknown field' : `the Python plan's name: use ${planName}`;
}

function describeIssue(issue: v.BaseIssue<unknown>): ConfigIssue {
  return { path: v.getDotPath(issue) ?? '$', message: issue.message, value: issue.input };
}

/** Only an object literal (or `Object.create(null)`) is a configuration: arrays, Maps, class instances are not. */
function isPlainObject(value: unknown): value is Readonly<Record<string, unknown>> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function describeKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return `a ${value.constructor?.name ?? 'non-plain object'}`;
  return `a ${typeof value}`;
}

function unknownKeys(
  input: Readonly<Record<string, unknown>>,
  known: readonly string[],
  prefix: string,
): ConfigIssue[] {
  return Object.keys(input)
    .filter((key) => !known.includes(key))
    .map((key): ConfigIssue => {
      const path = `${prefix}${key}`;
      return { path, message: messageForUnknown(path), value: input[key] };
    });
}

/**
 * What valibot does not report in full: every unknown key (likely a typo, or a setting that moved) at every level
 * — valibot's strict objects stop at the first one — and groups that are not plain objects (valibot's `object`
 * takes arrays). Returns the issues and the input with the bad groups removed, so that valibot checks the fields.
 */
function checkShape(input: Readonly<Record<string, unknown>>): {
  readonly issues: readonly ConfigIssue[];
  readonly fields: Readonly<Record<string, unknown>>;
} {
  const issues = unknownKeys(input, TOP_LEVEL_KEYS, '');
  const fields: Record<string, unknown> = { ...input };
  for (const [group, known] of Object.entries(CONFIG_GROUPS)) {
    const value = input[group];
    if (value === undefined) continue;
    if (!isPlainObject(value)) {
      issues.push({
        path: group,
        message: `must be an object of ${group} settings, got ${describeKind(value)}`,
        value,
      });
      delete fields[group];
      continue;
    }
    issues.push(...unknownKeys(value, known, `${group}.`));
  }
  return { issues, fields };
}

/**
 * Validates a configuration object and fills the defaults. Every bad field is reported at once in a single
 * `ConfigError`: wrong values, unknown or moved keys at every level and groups of the wrong type together. Reading
 * files or environment variables is the apps' job, not this function's.
 */
export function parseBackboneConfig(input: unknown = {}): BackboneConfig {
  const operation = 'parseBackboneConfig';
  if (!isPlainObject(input)) {
    const message = `the configuration must be a plain object, got ${describeKind(input)}`;
    throw new ConfigError([{ path: '$', message, value: input }], { operation });
  }
  const shape = checkShape(input);
  const result = v.safeParse(CONFIG_SCHEMA, shape.fields);
  const issues = [...shape.issues, ...(result.success ? [] : result.issues.map(describeIssue))];
  if (result.success && issues.length === 0) return result.output;
  throw new ConfigError(issues, { operation });
}

/** The configuration with every default. */
export const DEFAULT_BACKBONE_CONFIG: BackboneConfig = parseBackboneConfig({});
