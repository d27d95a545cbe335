import * as v from 'valibot';

// The valibot schema of `BackboneConfig` with its defaults. The interfaces and the parsing live in
// `backbone-config.ts`; a compile-time check there proves this schema produces exactly the documented shape.

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

/**
 * The shortest call or WebSocket timeout accepted. Below it a timeout is almost surely seconds written where
 * milliseconds are meant (the plan's `rest_timeout: 10` is ten seconds; `restTimeoutMs: 10` would be ten
 * milliseconds, shorter than one round trip to Upbit), so it is refused with that hint instead of failing every call.
 */
export const MIN_TIMEOUT_MS = 100;

// One issue per bad timeout (`2.5` is not a whole number; it is not also "below 100 ms").
const timeoutMs = (fallback: number) =>
  v.optional(
    v.config(
      v.pipe(
        v.number('must be a number of milliseconds'),
        v.integer('must be a whole number of milliseconds'),
        v.minValue(
          MIN_TIMEOUT_MS,
          `must be at least ${MIN_TIMEOUT_MS} ms: timeouts are milliseconds here (10 seconds is 10_000, not 10)`,
        ),
        v.maxValue(
          MAX_DURATION_MS,
          `must be at most ${MAX_DURATION_MS} ms (about 24.8 days, the longest delay a timer can hold)`,
        ),
      ),
      { abortPipeEarly: true },
    ),
    fallback,
  );

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
    failureThreshold: count(3, 1),
    probeBackoffInitialMs: wholeMs(1_000),
    probeBackoffMaxMs: wholeMs(60_000),
    latencyEwmaAlpha: fraction(0.2),
    errorRateWindowMs: wholeMs(60_000),
    errorRateMinSamples: count(5, 1),
    maxErrorRate: fraction(0.5),
    restSlowMs: wholeMs(2_000),
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

const QualitySchema = v.object({
  disagreementThreshold: fraction(0.001),
  crossCheckWindowMs: wholeMsOrZero(1_000),
  futureToleranceMs: wholeMsOrZero(2_000),
});

// Defaults (the reasons are in the freshness judge's header): factor 3, 1 s expected before anything is learned,
// never stale under 1 s. A busy symbol's stall is then judged stale within 3 s.
const FreshnessSchema = v.pipe(
  v.object({
    staleFactor: v.optional(v.pipe(v.number('must be a number'), v.finite(), v.minValue(1, 'must be >= 1')), 3),
    minStaleMs: wholeMs(1_000),
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

export const CONFIG_SCHEMA = v.object({
  useWebSocket: v.optional(v.boolean('must be true or false'), true),
  restTimeoutMs: timeoutMs(10_000),
  webSocketTimeoutMs: timeoutMs(5_000),
  cacheTtlMs: wholeMs(60_000),
  cacheMaxEntries: count(10_000, 1),
  tradeQueueCapacity: count(10_000, 1),
  router: v.optional(RouterSchema, {}),
  quality: v.optional(QualitySchema, {}),
  freshness: v.optional(FreshnessSchema, {}),
});

/** The groups of settings nested one level down, with the keys each one knows. */
export const CONFIG_GROUPS: Readonly<Record<string, readonly string[]>> = {
  router: Object.keys(RouterSchema.entries),
  quality: Object.keys(QualitySchema.entries),
  freshness: Object.keys(FreshnessSchema.entries),
};

export const TOP_LEVEL_KEYS: readonly string[] = Object.keys(CONFIG_SCHEMA.entries);
