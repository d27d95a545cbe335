import { ConfigError, type ConfigIssue, isConfigError } from '@marketdata/domain';
import { type BackboneConfig, parseBackboneConfig } from '../config/backbone-config.js';

// `createMarketData`'s options, checked at construction so that a missing or wrong source is one ConfigError up front
// instead of a TypeError at first use. Sources are checked by shape: the methods the backbone calls must be functions
// (the REST source is asked `getTickers` only: the adapter batches a single symbol as well as many).

const REST_METHODS = ['getTickers', 'watchTickers', 'close'] as const;
/** Used when present (`getOrderBook`, `getTrades`, ... reject with ChannelUnavailableError without them). */
const OPTIONAL_REST_METHODS = ['getOrderBook', 'getTrades', 'getCandles', 'getMarkets'] as const;
const DIRECTORY_METHODS = ['isListed', 'ready', 'isFresh', 'view'] as const;
const WEBSOCKET_METHODS = ['getTicker', 'subscribe', 'listen', 'latest', 'observe', 'status', 'close'] as const;
const CLOCK_METHODS = ['now', 'monotonic', 'setTimeout', 'clearTimeout'] as const;
const LOGGER_METHODS = ['trace', 'debug', 'info', 'warn', 'error', 'child'] as const;

function missingMethods(value: unknown, methods: readonly string[]): string[] | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  return methods.filter((method) => typeof (value as Record<string, unknown>)[method] !== 'function');
}

function checkShape(
  issues: ConfigIssue[],
  path: string,
  value: unknown,
  methods: readonly string[],
  what: string,
  required: boolean,
): void {
  if (value === undefined && !required) return;
  const missing = missingMethods(value, methods);
  if (missing === undefined) {
    issues.push({ path, message: `must be ${what}, got ${value === null ? 'null' : typeof value}`, value });
  } else if (missing.length > 0) {
    issues.push({ path, message: `must be ${what}; missing or not a function: ${missing.join(', ')}`, value });
  }
}

/**
 * Checks the options object, its sources, clock and logger, and validates the configuration, throwing one
 * `ConfigError` that lists every problem (configuration fields keep their own paths, e.g. `restTimeoutMs`).
 */
export function checkMarketDataOptions(options: unknown): BackboneConfig {
  const issues: ConfigIssue[] = [];
  if (typeof options !== 'object' || options === null) {
    throw new ConfigError([
      { path: 'options', message: 'createMarketData needs an options object with a rest source', value: options },
    ]);
  }
  const given = options as Record<string, unknown>;
  checkShape(issues, 'rest', given.rest, REST_METHODS, `a ticker source (${REST_METHODS.join(', ')})`, true);
  const directory =
    typeof given.rest === 'object' && given.rest !== null ? Reflect.get(given.rest, 'directory') : undefined;
  checkShape(issues, 'rest.directory', directory, DIRECTORY_METHODS, 'a market directory', false);
  if (typeof given.rest === 'object' && given.rest !== null) {
    for (const method of OPTIONAL_REST_METHODS) {
      const value: unknown = Reflect.get(given.rest, method);
      if (value !== undefined && typeof value !== 'function') {
        issues.push({ path: `rest.${method}`, message: 'must be a function when present', value });
      }
    }
  }
  checkShape(issues, 'websocket', given.websocket, WEBSOCKET_METHODS, 'a streaming source', false);
  checkShape(issues, 'clock', given.clock, CLOCK_METHODS, `a Clock (${CLOCK_METHODS.join(', ')})`, false);
  checkShape(issues, 'logger', given.logger, LOGGER_METHODS, 'a Logger', false);
  let config: BackboneConfig;
  try {
    config = parseBackboneConfig(given.config as Parameters<typeof parseBackboneConfig>[0]);
  } catch (error) {
    if (!isConfigError(error) || issues.length === 0) throw error;
    throw new ConfigError([...issues, ...error.issues]);
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return config;
}
