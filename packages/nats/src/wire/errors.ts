import {
  AuthenticationError,
  BlockedError,
  ChannelUnavailableError,
  ClosedError,
  ConfigError,
  type ConfigIssue,
  DataValidationError,
  type ErrorChannel,
  InvalidMarketCodeError,
  MarketDataError,
  type MarketDataErrorCode,
  NetworkError,
  PayloadTooLargeError,
  QueueFullError,
  RateLimitError,
  TimeoutError,
  toMarketDataError,
  UnknownOptionError,
  UnknownSymbolError,
  UpstreamError,
} from '@marketdata/domain';
import type { Fields } from './fields.js';

/**
 * A `MarketDataError` on the wire: its stable `code` (which picks the class on the way back), Upbit's words kept
 * verbatim (`message`, `upstreamName`, `upstreamMessage`), and each class's own fields. The consumer gets the same
 * subclass with the same message and fields, so `isRateLimitError`, `retryAfterMs`, `upstreamName` work unchanged.
 * The `cause` does not travel (it may be anything, a socket included); its text is in the message.
 */
export interface WireError {
  readonly code: MarketDataErrorCode;
  readonly name: string;
  readonly message: string;
  readonly retryable: boolean;
  readonly channel?: ErrorChannel | undefined;
  readonly operation?: string | undefined;
  readonly symbol?: string | undefined;
  readonly retryAfterMs?: number | undefined;
  readonly coolDownMs?: number | undefined;
  readonly group?: string | undefined;
  readonly timeoutMs?: number | undefined;
  readonly path?: string | undefined;
  readonly value?: unknown;
  readonly reason?: string | undefined;
  readonly status?: number | undefined;
  readonly upstreamName?: string | number | undefined;
  readonly upstreamMessage?: string | undefined;
  readonly capacity?: number | undefined;
  readonly limitBytes?: number | undefined;
  readonly url?: string | undefined;
  readonly issues?: readonly ConfigIssue[] | undefined;
  readonly option?: string | undefined;
  readonly useInstead?: string | undefined;
}

const CHANNELS: readonly ErrorChannel[] = ['rest', 'websocket', 'cache', 'router', 'config', 'api'];
const CODES: readonly MarketDataErrorCode[] = [
  'UNKNOWN',
  'RATE_LIMIT',
  'BLOCKED',
  'NETWORK',
  'TIMEOUT',
  'DATA_VALIDATION',
  'INVALID_MARKET_CODE',
  'UNKNOWN_OPTION',
  'CHANNEL_UNAVAILABLE',
  'AUTHENTICATION',
  'UPSTREAM',
  'UNKNOWN_SYMBOL',
  'QUEUE_FULL',
  'PAYLOAD_TOO_LARGE',
  'CONFIG',
  'CLOSED',
];

/** Only plain JSON values travel as a validation error's `value`; anything else as its text. */
function plainValue(value: unknown): unknown {
  if (value === undefined || value === null) return value;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  try {
    return JSON.parse(JSON.stringify(value)) as unknown;
  } catch {
    return String(value);
  }
}

export function errorOut(raw: unknown): WireError {
  const error = toMarketDataError(raw);
  const own = error as unknown as Readonly<Record<string, unknown>>;
  const pick = <T>(key: string): T | undefined => own[key] as T | undefined;
  return {
    code: error.code,
    name: error.name,
    message: error.message,
    retryable: error.retryable,
    channel: error.channel,
    operation: error.operation,
    symbol: error.symbol,
    retryAfterMs: pick<number>('retryAfterMs'),
    coolDownMs: pick<number>('coolDownMs'),
    group: pick<string>('group'),
    timeoutMs: pick<number>('timeoutMs'),
    path: pick<string>('path'),
    value: 'value' in own ? plainValue(own.value) : undefined,
    reason: pick<string>('reason'),
    status: pick<number>('status'),
    upstreamName: pick<string | number>('upstreamName'),
    upstreamMessage: pick<string>('upstreamMessage'),
    capacity: pick<number>('capacity'),
    limitBytes: pick<number>('limitBytes'),
    url: pick<string>('url'),
    issues: pick<readonly ConfigIssue[]>('issues'),
    option: pick<string>('option'),
    useInstead: pick<string>('useInstead'),
  };
}

function upstreamNameIn(f: Fields): string | number | undefined {
  const value = f.json.upstreamName;
  if (value === undefined || value === null) return undefined;
  return typeof value === 'number' ? f.number('upstreamName') : f.string('upstreamName');
}

function issuesIn(f: Fields): ConfigIssue[] {
  if (!f.has('issues')) return [];
  return f.objects('issues').map((issue) => ({
    path: issue.string('path'),
    message: issue.string('message'),
    ...(issue.json.value === undefined ? {} : { value: issue.json.value }),
  }));
}

/** The error of the class `code` names, with the message and fields as they were sent. */
function construct(
  code: MarketDataErrorCode,
  f: Fields,
  base: { channel?: ErrorChannel; operation?: string; symbol?: string },
): MarketDataError {
  const message = f.string('message');
  const num = (key: string, fallback = 0): number => f.optionalNumber(key) ?? fallback;
  const group = f.optionalString('group');
  const upstream = {
    status: f.optionalNumber('status'),
    upstreamName: upstreamNameIn(f),
    upstreamMessage: f.optionalString('upstreamMessage'),
  };
  switch (code) {
    case 'RATE_LIMIT':
      return new RateLimitError(message, { ...base, retryAfterMs: num('retryAfterMs'), group });
    case 'BLOCKED':
      return new BlockedError(message, { ...base, coolDownMs: num('coolDownMs'), group });
    case 'NETWORK':
      return new NetworkError(message, base);
    case 'TIMEOUT':
      return new TimeoutError(message, { ...base, timeoutMs: num('timeoutMs') });
    case 'DATA_VALIDATION':
      return new DataValidationError(message, { ...base, path: f.optionalString('path') ?? '$', value: f.json.value });
    case 'INVALID_MARKET_CODE':
      return new InvalidMarketCodeError(f.json.value, '', base);
    case 'UNKNOWN_OPTION':
      return new UnknownOptionError(
        base.operation ?? '',
        f.optionalString('option') ?? f.optionalString('path') ?? '',
        f.json.value,
        {
          known: [],
          useInstead: f.optionalString('useInstead'),
        },
        base,
      );
    case 'CHANNEL_UNAVAILABLE':
      return new ChannelUnavailableError(message, { ...base, reason: f.optionalString('reason') ?? message });
    case 'AUTHENTICATION':
      return new AuthenticationError(message, { ...base, upstreamName: upstream.upstreamName });
    case 'UPSTREAM':
      return new UpstreamError(message, { ...base, ...upstream });
    case 'UNKNOWN_SYMBOL':
      return new UnknownSymbolError(base.symbol ?? '', { ...base, ...upstream });
    case 'QUEUE_FULL':
      return new QueueFullError(message, { ...base, capacity: num('capacity') });
    case 'PAYLOAD_TOO_LARGE':
      return new PayloadTooLargeError(message, {
        ...base,
        limitBytes: num('limitBytes'),
        url: f.optionalString('url') ?? '',
      });
    case 'CONFIG':
      return new ConfigError(issuesIn(f), base);
    case 'CLOSED':
      return new ClosedError('', base);
    case 'UNKNOWN':
      return new MarketDataError(message, base);
  }
}

/** The same `MarketDataError` subclass as was sent: message, name, `retryable` and class fields exactly as sent. */
export function errorIn(f: Fields): MarketDataError {
  const code = f.literal('code', CODES);
  const channel = f.optionalLiteral('channel', CHANNELS);
  const operation = f.optionalString('operation');
  const symbol = f.optionalString('symbol');
  const base = {
    ...(channel === undefined ? {} : { channel }),
    ...(operation === undefined ? {} : { operation }),
    ...(symbol === undefined ? {} : { symbol }),
  };
  const error = construct(code, f, base);
  // Constructors that compose their message (UnknownSymbolError, ClosedError, ...) get the sender's text back.
  error.message = f.string('message');
  (error as { retryable: boolean }).retryable = f.boolean('retryable');
  return error;
}
