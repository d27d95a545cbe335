import { DEFAULT_BACKBONE_CONFIG } from '@marketdata/backbone';
import { ConfigError, type ConfigIssue, isMarketCode, type LogLevel, type MarketCode } from '@marketdata/domain';
import { LOG_LEVELS } from '../cli/parse-args.js';
import { DEFAULT_DEMO_CONFIG, type DemoConfig, type DemoSettings, type UpbitEndpoints } from './demo-config.js';

type Mutable<T> = { -readonly [K in keyof T]?: T[K] | undefined };

interface ConfigLayer {
  backbone?: Record<string, unknown>;
  upbit?: Mutable<UpbitEndpoints>;
  demo?: Mutable<DemoSettings>;
}

export interface LoadDemoConfigInput {
  /** Path from --config (or MARKETDATA_CONFIG); absent = no file. */
  readonly file: string | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly readFile: (path: string) => Promise<string>;
  /** The backbone's own validation of the merged "backbone" section; its issues join the others in one error. */
  readonly checkBackbone?: ((raw: Readonly<Record<string, unknown>>) => readonly ConfigIssue[]) | undefined;
}

const ENV_PREFIX = 'MARKETDATA_';
const ENV_NAMES: Readonly<Record<string, string>> = {
  restUrl: 'MARKETDATA_UPBIT_REST_URL',
  wsUrl: 'MARKETDATA_UPBIT_WS_URL',
  logLevel: 'MARKETDATA_LOG_LEVEL',
};
const BACKBONE_ENV_PREFIX = 'MARKETDATA_BACKBONE__';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkUrl(
  value: unknown,
  path: string,
  protocols: readonly string[],
  issues: ConfigIssue[],
): string | undefined {
  if (typeof value !== 'string') {
    issues.push({ path, message: 'expected a URL string', value });
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    issues.push({ path, message: 'not a valid URL', value });
    return undefined;
  }
  if (!protocols.includes(url.protocol)) {
    issues.push({ path, message: `expected a ${protocols.join(' or ')} URL`, value });
    return undefined;
  }
  return value.replace(/\/+$/, '');
}

function checkWhole(value: unknown, path: string, min: number, max: number, issues: ConfigIssue[]): number | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    issues.push({ path, message: `expected a whole number from ${min} to ${max}`, value });
    return undefined;
  }
  return value;
}

function checkLogLevel(value: unknown, path: string, issues: ConfigIssue[]): LogLevel | undefined {
  const level = LOG_LEVELS.find((candidate) => candidate === value);
  if (level === undefined) issues.push({ path, message: `expected one of ${LOG_LEVELS.join(', ')}`, value });
  return level;
}

function checkSymbols(value: unknown, path: string, issues: ConfigIssue[]): MarketCode[] | undefined {
  if (!Array.isArray(value) || value.length === 0) {
    issues.push({ path, message: 'expected a non-empty list of market codes such as ["KRW-BTC"]', value });
    return undefined;
  }
  const bad = value.filter((code) => !isMarketCode(code));
  if (bad.length > 0) {
    issues.push({ path, message: 'market codes are QUOTE-BASE in upper case, e.g. KRW-BTC', value: bad });
    return undefined;
  }
  return [...new Set(value as MarketCode[])];
}

/** Names a setting in error messages: `demo.json: demo.top` for the file, the variable name for the environment. */
type PathOf = (key: string) => string;

function unknownKeys(
  section: Record<string, unknown>,
  known: readonly string[],
  pathOf: PathOf,
  issues: ConfigIssue[],
) {
  for (const key of Object.keys(section)) {
    if (!known.includes(key))
      issues.push({ path: pathOf(key), message: `unknown setting (known: ${known.join(', ')})` });
  }
}

function readUpbit(raw: Record<string, unknown>, pathOf: PathOf, issues: ConfigIssue[]): Mutable<UpbitEndpoints> {
  unknownKeys(raw, ['restUrl', 'wsUrl'], pathOf, issues);
  const layer: Mutable<UpbitEndpoints> = {};
  if ('restUrl' in raw) layer.restUrl = checkUrl(raw.restUrl, pathOf('restUrl'), ['https:', 'http:'], issues);
  if ('wsUrl' in raw) layer.wsUrl = checkUrl(raw.wsUrl, pathOf('wsUrl'), ['wss:', 'ws:'], issues);
  return layer;
}

function readDemo(raw: Record<string, unknown>, pathOf: PathOf, issues: ConfigIssue[]): Mutable<DemoSettings> {
  unknownKeys(raw, ['top', 'symbols', 'refreshMs', 'preflightTimeoutMs', 'logLevel'], pathOf, issues);
  const layer: Mutable<DemoSettings> = {};
  if ('top' in raw) layer.top = checkWhole(raw.top, pathOf('top'), 1, 500, issues);
  if ('symbols' in raw) layer.symbols = checkSymbols(raw.symbols, pathOf('symbols'), issues);
  if ('refreshMs' in raw) layer.refreshMs = checkWhole(raw.refreshMs, pathOf('refreshMs'), 50, 60_000, issues);
  if ('preflightTimeoutMs' in raw) {
    layer.preflightTimeoutMs = checkWhole(raw.preflightTimeoutMs, pathOf('preflightTimeoutMs'), 100, 60_000, issues);
  }
  if ('logLevel' in raw) layer.logLevel = checkLogLevel(raw.logLevel, pathOf('logLevel'), issues);
  return layer;
}

/** The config file: `{ "backbone": {...}, "upbit": { "restUrl", "wsUrl" }, "demo": {...} }`, every part optional. */
function readFileLayer(raw: unknown, file: string, issues: ConfigIssue[]): ConfigLayer {
  const at = `${file}: `;
  if (!isRecord(raw)) {
    issues.push({ path: `${at}$`, message: 'expected a JSON object with optional "backbone", "upbit", "demo"' });
    return {};
  }
  unknownKeys(raw, ['backbone', 'upbit', 'demo'], (key) => `${at}${key}`, issues);
  const layer: ConfigLayer = {};
  for (const section of ['backbone', 'upbit', 'demo'] as const) {
    const value = raw[section];
    if (value !== undefined && !isRecord(value))
      issues.push({ path: `${at}${section}`, message: 'expected an object' });
  }
  if (isRecord(raw.backbone)) layer.backbone = raw.backbone;
  if (isRecord(raw.upbit)) layer.upbit = readUpbit(raw.upbit, (key) => `${at}upbit.${key}`, issues);
  if (isRecord(raw.demo)) layer.demo = readDemo(raw.demo, (key) => `${at}demo.${key}`, issues);
  return layer;
}

function camelCase(screaming: string): string {
  return screaming.toLowerCase().replace(/_([a-z0-9])/g, (_, char: string) => char.toUpperCase());
}

const squashed = (name: string): string => name.replaceAll('_', '').toLowerCase();

/**
 * The backbone setting an environment name means, level by level: matched against the real keys without case or
 * underscores (so USE_WEBSOCKET finds `useWebSocket`); a name matching none is kept in camelCase, and the backbone's
 * own validation then reports it as unknown.
 */
function backbonePath(segments: readonly string[]): string[] {
  let known: unknown = DEFAULT_BACKBONE_CONFIG;
  return segments.map((segment) => {
    const keys = isRecord(known) ? Object.keys(known) : [];
    const key = keys.find((candidate) => squashed(candidate) === squashed(segment)) ?? camelCase(segment);
    known = isRecord(known) ? known[key] : undefined;
    return key;
  });
}

/** Environment values are JSON when they parse as JSON (numbers, booleans, lists), plain text otherwise. */
function envValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    node[key] = isRecord(next) ? { ...next } : {};
    node = node[key] as Record<string, unknown>;
  }
  const last = path[path.length - 1];
  if (last !== undefined) node[last] = value;
}

/**
 * Environment: MARKETDATA_LOG_LEVEL, MARKETDATA_UPBIT_REST_URL, MARKETDATA_UPBIT_WS_URL, and backbone settings
 * as MARKETDATA_BACKBONE__CACHE_TTL_MS=30000 (`__` separates nesting levels; names match the settings' own
 * names without case or underscores).
 */
function readEnvLayer(env: LoadDemoConfigInput['env'], base: ConfigLayer, issues: ConfigIssue[]): ConfigLayer {
  const layer: ConfigLayer = { backbone: { ...base.backbone } };
  const upbit: Record<string, unknown> = {};
  const demo: Record<string, unknown> = {};
  for (const [name, text] of Object.entries(env)) {
    if (text === undefined || !name.startsWith(ENV_PREFIX)) continue;
    if (name.startsWith(BACKBONE_ENV_PREFIX)) {
      const path = backbonePath(name.slice(BACKBONE_ENV_PREFIX.length).split('__'));
      if (layer.backbone !== undefined) setPath(layer.backbone, path, envValue(text));
    } else if (name === 'MARKETDATA_UPBIT_REST_URL') upbit.restUrl = text;
    else if (name === 'MARKETDATA_UPBIT_WS_URL') upbit.wsUrl = text;
    else if (name === 'MARKETDATA_LOG_LEVEL') demo.logLevel = text;
  }
  const envName = (key: string): string => `environment ${ENV_NAMES[key] ?? key}`;
  layer.upbit = readUpbit(upbit, envName, issues);
  layer.demo = readDemo(demo, envName, issues);
  return layer;
}

function defined<T extends object>(layer: Mutable<T> | undefined): Partial<T> {
  if (layer === undefined) return {};
  return Object.fromEntries(Object.entries(layer).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/**
 * Defaults, then the config file, then the environment (the command line is applied by the caller).
 * Every problem in the file and the environment is collected into one `ConfigError`.
 */
export async function loadDemoConfig(input: LoadDemoConfigInput): Promise<DemoConfig> {
  const issues: ConfigIssue[] = [];
  const file = input.file ?? input.env.MARKETDATA_CONFIG;
  let fileLayer: ConfigLayer = {};
  if (file !== undefined && file !== '') {
    let text: string;
    try {
      text = await input.readFile(file);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new ConfigError([{ path: file, message: `cannot read the config file: ${reason}` }], { cause: error });
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new ConfigError([{ path: file, message: `not valid JSON: ${reason}` }], { cause: error });
    }
    fileLayer = readFileLayer(raw, file, issues);
  }
  const envLayer = readEnvLayer(input.env, fileLayer, issues);
  for (const issue of input.checkBackbone?.(envLayer.backbone ?? {}) ?? []) {
    issues.push({ ...issue, path: `backbone.${issue.path}` });
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return {
    backbone: envLayer.backbone ?? {},
    upbit: {
      ...DEFAULT_DEMO_CONFIG.upbit,
      ...defined<UpbitEndpoints>(fileLayer.upbit),
      ...defined<UpbitEndpoints>(envLayer.upbit),
    },
    demo: {
      ...DEFAULT_DEMO_CONFIG.demo,
      ...defined<DemoSettings>(fileLayer.demo),
      ...defined<DemoSettings>(envLayer.demo),
    },
  };
}
