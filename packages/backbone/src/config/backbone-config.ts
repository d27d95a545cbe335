import { ConfigError, type ConfigIssue } from '@marketdata/domain';
import * as v from 'valibot';

/** Thresholds of the smart channel router. Times are milliseconds. */
export interface RouterConfig {
  /** A symbol requested at least this often (requests per second over the window) is hot: served by WebSocket. */
  readonly hotRequestsPerSecond: number;
  /** Length of the sliding window the request frequency is measured over. */
  readonly frequencyWindowMs: number;
  /** How long a symbol that went cold keeps its WebSocket subscription before it is released. */
  readonly unsubscribeGraceMs: number;
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
  /** WebSocket data older than `staleFactor` x the symbol's expected interval is suspected stale. */
  readonly staleFactor: number;
  /** How often subscriptions of cold symbols are re-checked for release (only while any are held). */
  readonly maintenanceIntervalMs: number;
}

/** Thresholds of the unifier's data-quality checks. */
export interface QualityConfig {
  /** Relative price difference between channels above which they disagree (0.001 = 0.1%). */
  readonly disagreementThreshold: number;
  /** Channel values received further apart than this are not compared (the price may have moved). */
  readonly crossCheckWindowMs: number;
  /** Exchange timestamps further than this ahead of the local clock are flagged as in the future. */
  readonly futureToleranceMs: number;
  /** A symbol's expected update interval before anything is known about its rhythm. */
  readonly defaultExpectedIntervalMs: number;
  readonly minExpectedIntervalMs: number;
  readonly maxExpectedIntervalMs: number;
}

export interface BackboneConfig {
  /** Use the WebSocket channel at all (false = REST only). */
  readonly useWebsocket: boolean;
  /** Per-call REST timeout the backbone enforces (and passes to the source). */
  readonly restTimeoutMs: number;
  /** Per-call WebSocket timeout (waiting for a snapshot of a symbol not yet streamed). */
  readonly websocketTimeoutMs: number;
  /**
   * Retries for the REST adapter. The backbone does not retry on its own: the REST adapter already retries with
   * backoff, and retrying again on top would multiply requests into Upbit's rate limit. The apps hand this value
   * to the adapter so there is one configuration.
   */
  readonly maxRetries: number;
  /** No cached value older than this is ever handed out. */
  readonly cacheTtlMs: number;
  readonly cacheMaxEntries: number;
  readonly router: RouterConfig;
  readonly quality: QualityConfig;
}

type DeepPartial<T> = { readonly [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

/** What callers may pass: every field optional, defaults fill the rest. */
export type BackboneConfigInput = DeepPartial<BackboneConfig>;

const wholeMs = (fallback: number) =>
  v.optional(
    v.pipe(
      v.number('must be a number of milliseconds'),
      v.integer('must be a whole number of milliseconds'),
      v.minValue(1, 'must be at least 1 ms'),
    ),
    fallback,
  );

const wholeMsOrZero = (fallback: number) =>
  v.optional(
    v.pipe(
      v.number('must be a number of milliseconds'),
      v.integer('must be a whole number of milliseconds'),
      v.minValue(0, 'must not be negative'),
    ),
    fallback,
  );

const count = (fallback: number, min: number) =>
  v.optional(
    v.pipe(v.number('must be a number'), v.integer('must be a whole number'), v.minValue(min, `must be >= ${min}`)),
    fallback,
  );

const fraction = (fallback: number) =>
  v.optional(
    v.pipe(v.number('must be a number'), v.gtValue(0, 'must be greater than 0'), v.maxValue(1, 'must be at most 1')),
    fallback,
  );

const positive = (fallback: number) =>
  v.optional(v.pipe(v.number('must be a number'), v.finite('must be finite'), v.gtValue(0, 'must be > 0')), fallback);

const RouterSchema = v.pipe(
  v.strictObject({
    hotRequestsPerSecond: positive(0.5),
    frequencyWindowMs: wholeMs(10_000),
    unsubscribeGraceMs: wholeMsOrZero(30_000),
    failureThreshold: count(3, 1),
    probeBackoffInitialMs: wholeMs(1_000),
    probeBackoffMaxMs: wholeMs(60_000),
    latencyEwmaAlpha: fraction(0.2),
    errorRateWindowMs: wholeMs(60_000),
    errorRateMinSamples: count(5, 1),
    maxErrorRate: fraction(0.5),
    restSlowMs: wholeMs(2_000),
    staleFactor: v.optional(v.pipe(v.number('must be a number'), v.finite(), v.minValue(1, 'must be >= 1')), 3),
    maintenanceIntervalMs: wholeMs(1_000),
  }),
  v.forward(
    v.partialCheck(
      [['probeBackoffInitialMs'], ['probeBackoffMaxMs']],
      (input) => input.probeBackoffInitialMs <= input.probeBackoffMaxMs,
      'must be >= probeBackoffInitialMs',
    ),
    ['probeBackoffMaxMs'],
  ),
);

const QualitySchema = v.pipe(
  v.strictObject({
    disagreementThreshold: fraction(0.001),
    crossCheckWindowMs: wholeMsOrZero(1_000),
    futureToleranceMs: wholeMsOrZero(2_000),
    defaultExpectedIntervalMs: wholeMs(1_000),
    minExpectedIntervalMs: wholeMs(50),
    maxExpectedIntervalMs: wholeMs(60_000),
  }),
  v.forward(
    v.partialCheck(
      [['minExpectedIntervalMs'], ['maxExpectedIntervalMs']],
      (input) => input.minExpectedIntervalMs <= input.maxExpectedIntervalMs,
      'must be >= minExpectedIntervalMs',
    ),
    ['maxExpectedIntervalMs'],
  ),
);

const BackboneConfigSchema = v.strictObject({
  useWebsocket: v.optional(v.boolean('must be true or false'), true),
  restTimeoutMs: wholeMs(10_000),
  websocketTimeoutMs: wholeMs(5_000),
  maxRetries: count(3, 0),
  cacheTtlMs: wholeMs(60_000),
  cacheMaxEntries: count(10_000, 1),
  router: v.optional(RouterSchema, {}),
  quality: v.optional(QualitySchema, {}),
});

// Compile-time proof that the schema produces exactly the documented shape.
const schemaMatchesInterface: (value: v.InferOutput<typeof BackboneConfigSchema>) => BackboneConfig = (value) => value;
void schemaMatchesInterface;

function describeIssue(issue: v.BaseIssue<unknown>): ConfigIssue {
  const path = v.getDotPath(issue) ?? '$';
  // An unknown key is reported on the key itself: say so plainly (it is most likely a typo).
  const message = issue.kind === 'schema' && issue.type === 'strict_object' ? 'unknown field' : issue.message;
  return { path, message, value: issue.input };
}

/**
 * Validates a configuration object and fills the defaults. Every bad field is reported at once in a single
 * `ConfigError`. Reading files or environment variables is the apps' job, not this function's.
 */
export function parseBackboneConfig(input: unknown = {}): BackboneConfig {
  const result = v.safeParse(BackboneConfigSchema, input);
  if (result.success) return result.output;
  throw new ConfigError(result.issues.map(describeIssue), { operation: 'parseBackboneConfig' });
}

/** The configuration with every default. */
export const DEFAULT_BACKBONE_CONFIG: BackboneConfig = parseBackboneConfig({});
