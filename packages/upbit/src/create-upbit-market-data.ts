import {
  createUpbitRestSource,
  createUpbitWebSocketSource,
  DEFAULT_UPBIT_REST_URL,
  UPBIT_WEBSOCKET_URL,
  type UpbitRestSourceOptions,
  type UpbitWebSocketOptions,
} from '@marketdata/adapters-upbit';
import { type BackboneConfigInput, createMarketData, type MarketData } from '@marketdata/backbone';
import {
  type Clock,
  ConfigError,
  type ConfigIssue,
  type Logger,
  type Random,
  silentLogger,
  systemClock,
  systemRandom,
} from '@marketdata/domain';

/** REST adapter settings besides the ones this function sets itself (endpoint, clock, logger, randomness). */
export type UpbitRestSettings = Omit<UpbitRestSourceOptions, 'url' | 'clock' | 'logger' | 'random' | 'client'>;
/** WebSocket adapter settings besides the ones this function sets itself. */
export type UpbitWebSocketSettings = Omit<UpbitWebSocketOptions, 'url' | 'clock' | 'logger' | 'random'>;

/** Options of `createUpbitMarketData`. */
export interface UpbitMarketDataOptions {
  /** Upbit's REST base URL. Default `https://api.upbit.com` (the simulator prints its own). */
  readonly restUrl?: string | undefined;
  /** Upbit's WebSocket URL. Default `wss://api.upbit.com/websocket/v1`. */
  readonly wsUrl?: string | undefined;
  readonly clock?: Clock | undefined;
  readonly logger?: Logger | undefined;
  readonly random?: Random | undefined;
  /** The facade's settings (call deadlines, routing, freshness, cache); see `parseBackboneConfig`. */
  readonly config?: BackboneConfigInput | undefined;
  /**
   * Retries of one REST call after its first attempt, inside the call's deadline (`config.restTimeoutMs`).
   * Default 3. Shorthand for `rest.maxRetries`: retry settings live in the REST adapter, nowhere else.
   */
  readonly maxRetries?: number | undefined;
  /** One REST attempt's own timeout, ms (default 3,000); shorthand for `rest.attemptTimeoutMs`. */
  readonly attemptTimeoutMs?: number | undefined;
  /** Further REST adapter settings (rate limits, backoff, body cap, polling, market list refresh). */
  readonly rest?: UpbitRestSettings | undefined;
  /** Further WebSocket adapter settings (format, heartbeat, linger, backoff, queues). */
  readonly webSocket?: UpbitWebSocketSettings | undefined;
}

const KNOWN_KEYS: readonly (keyof UpbitMarketDataOptions)[] = [
  'restUrl',
  'wsUrl',
  'clock',
  'logger',
  'random',
  'config',
  'maxRetries',
  'attemptTimeoutMs',
  'rest',
  'webSocket',
];

/**
 * Names users bring from the Python plan (and near misses of ours), and where the setting lives here. Passing one is
 * refused naming ours: a setting silently ignored would be worse than none.
 */
const PLAN_NAMES: Readonly<Record<string, string>> = {
  max_retries: 'maxRetries',
  rest_timeout: "config.restTimeoutMs (milliseconds: the plan's rest_timeout: 10 seconds is 10_000)",
  restTimeoutMs: 'config.restTimeoutMs (a facade setting)',
  websocket_timeout: 'config.webSocketTimeoutMs (milliseconds)',
  webSocketTimeoutMs: 'config.webSocketTimeoutMs (a facade setting)',
  use_websocket: 'config.useWebSocket',
  useWebSocket: 'config.useWebSocket (a facade setting)',
  cache_ttl: 'config.cacheTtlMs (milliseconds)',
  cacheTtlMs: 'config.cacheTtlMs (a facade setting)',
  rest_url: 'restUrl',
  restURL: 'restUrl',
  ws_url: 'wsUrl',
  websocket_url: 'wsUrl',
  webSocketUrl: 'wsUrl',
  websocketUrl: 'wsUrl',
  attempt_timeout: 'attemptTimeoutMs (milliseconds)',
};

/** The shortest attempt timeout accepted: below it, seconds were almost surely written where ms are meant. */
const MIN_ATTEMPT_TIMEOUT_MS = 100;

function checkShorthands(options: UpbitMarketDataOptions): void {
  const issues: ConfigIssue[] = [];
  for (const key of Object.keys(options)) {
    if (!(KNOWN_KEYS as readonly string[]).includes(key)) {
      const ours = Object.hasOwn(PLAN_NAMES, key) ? PLAN_NAMES[key] : undefined;
      const message = ours === undefined ? 'unknown option' : `unknown option: use ${ours}`;
      issues.push({ path: key, message, value: (options as Record<string, unknown>)[key] });
    }
  }
  const attempt = options.attemptTimeoutMs ?? options.rest?.attemptTimeoutMs;
  if (typeof attempt === 'number' && attempt < MIN_ATTEMPT_TIMEOUT_MS) {
    issues.push({
      path: options.attemptTimeoutMs === undefined ? 'rest.attemptTimeoutMs' : 'attemptTimeoutMs',
      message: `must be at least ${MIN_ATTEMPT_TIMEOUT_MS} ms: timeouts are milliseconds here (3 seconds is 3_000)`,
      value: attempt,
    });
  }
  for (const key of ['maxRetries', 'attemptTimeoutMs'] as const) {
    if (options[key] !== undefined && options.rest?.[key] !== undefined) {
      issues.push({ path: key, message: `given twice: here and as rest.${key}; keep one`, value: options[key] });
    }
  }
  if (issues.length > 0) throw new ConfigError(issues, { operation: 'createUpbitMarketData' });
}

/**
 * The facade over Upbit in one call: the REST and WebSocket adapters on Upbit's endpoints (or the simulator's, given
 * `restUrl`/`wsUrl`), composed behind `createMarketData`. Closing the facade closes both adapters. Every bad option,
 * here or in either adapter or the facade's config, throws a `ConfigError` naming it (a name from the Python plan,
 * such as `max_retries` or `rest_timeout`, is told where our setting is).
 *
 * ```ts
 * const md = createUpbitMarketData();
 * console.log((await md.getTicker('KRW-BTC')).price);
 * await md.close();
 * ```
 */
export function createUpbitMarketData(options: UpbitMarketDataOptions = {}): MarketData {
  checkShorthands(options);
  const clock = options.clock ?? systemClock;
  const random = options.random ?? systemRandom;
  const logger = options.logger ?? silentLogger;
  const rest = createUpbitRestSource({
    ...options.rest,
    ...(options.maxRetries === undefined ? {} : { maxRetries: options.maxRetries }),
    ...(options.attemptTimeoutMs === undefined ? {} : { attemptTimeoutMs: options.attemptTimeoutMs }),
    url: options.restUrl ?? DEFAULT_UPBIT_REST_URL,
    clock,
    random,
    logger: logger.child({ component: 'rest' }),
  });
  let websocket: ReturnType<typeof createUpbitWebSocketSource>;
  try {
    websocket = createUpbitWebSocketSource({
      ...options.webSocket,
      url: options.wsUrl ?? UPBIT_WEBSOCKET_URL,
      clock,
      random,
      logger: logger.child({ component: 'websocket' }),
    });
  } catch (error) {
    void rest.close();
    throw error;
  }
  try {
    return createMarketData({ rest, websocket, clock, logger, config: options.config });
  } catch (error) {
    void rest.close();
    void websocket.close();
    throw error;
  }
}
