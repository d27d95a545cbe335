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

/**
 * The longest delay a timer can hold: Node's `setTimeout` fires after 1 ms for anything above 2^31 - 1 ms (with a
 * TimeoutOverflowWarning), so a larger timeout would turn into an immediate one. Every duration is capped at this.
 */
export const MAX_DURATION_MS = 2_147_483_647;

const durationMs = (fallback: number, min: 0 | 1) =>
  v.optional(
    v.pipe(
      v.number('must be a number of milliseconds'),
      v.integer('must be a whole number of milliseconds'),
      v.minValue(min, min === 1 ? 'must be at least 1 ms' : 'must not be negative'),
      v.maxValue(
        MAX_DURATION_MS,
        `must be at most ${MAX_DURATION_MS} ms (about 24.8 days, the longest delay a timer can hold)`,
      ),
    ),
    fallback,
  );

const wholeMs = (fallback: number) => durationMs(fallback, 1);

const wholeMsOrZero = (fallback: number) => durationMs(fallback, 0);

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
  v.object({
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
  v.object({
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

const BackboneConfigSchema = v.object({
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
  return { path: v.getDotPath(issue) ?? '$', message: issue.message, value: issue.input };
}

/** The groups of settings nested one level down, with the keys each one knows. */
const GROUPS: Readonly<Record<string, readonly string[]>> = {
  router: Object.keys(RouterSchema.entries),
  quality: Object.keys(QualitySchema.entries),
};
const TOP_LEVEL_KEYS: readonly string[] = Object.keys(BackboneConfigSchema.entries);

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
    .map((key): ConfigIssue => ({ path: `${prefix}${key}`, message: 'unknown field', value: input[key] }));
}

/**
 * What valibot does not report in full: every unknown key (likely a typo) at every level — valibot's strict
 * objects stop at the first one — and groups that are not plain objects (valibot's `object` takes arrays).
 * Returns the issues and the input with the bad groups removed, so that valibot checks the fields only.
 */
function checkShape(input: Readonly<Record<string, unknown>>): {
  readonly issues: readonly ConfigIssue[];
  readonly fields: Readonly<Record<string, unknown>>;
} {
  const issues = unknownKeys(input, TOP_LEVEL_KEYS, '');
  const fields: Record<string, unknown> = { ...input };
  for (const [group, known] of Object.entries(GROUPS)) {
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
 * `ConfigError`: wrong values, unknown keys at every level and groups of the wrong type together. Reading files or
 * environment variables is the apps' job, not this function's.
 */
export function parseBackboneConfig(input: unknown = {}): BackboneConfig {
  const operation = 'parseBackboneConfig';
  if (!isPlainObject(input)) {
    const message = `the configuration must be a plain object, got ${describeKind(input)}`;
    throw new ConfigError([{ path: '$', message, value: input }], { operation });
  }
  const shape = checkShape(input);
  const result = v.safeParse(BackboneConfigSchema, shape.fields);
  const issues = [...shape.issues, ...(result.success ? [] : result.issues.map(describeIssue))];
  if (result.success && issues.length === 0) return result.output;
  throw new ConfigError(issues, { operation });
}

/** The configuration with every default. */
export const DEFAULT_BACKBONE_CONFIG: BackboneConfig = parseBackboneConfig({});
