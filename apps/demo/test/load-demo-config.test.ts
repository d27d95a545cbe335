import { ConfigError } from '@marketdata/domain';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DEMO_CONFIG, LIVE_REST_URL, LIVE_WS_URL } from '../src/config/demo-config.js';
import { loadDemoConfig } from '../src/config/load-demo-config.js';

function files(contents: Record<string, string>) {
  return async (path: string): Promise<string> => {
    const text = contents[path];
    if (text === undefined) throw Object.assign(new Error(`ENOENT: no such file, open '${path}'`), { code: 'ENOENT' });
    return text;
  };
}

async function configError(promise: Promise<unknown>): Promise<ConfigError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

describe('loadDemoConfig', () => {
  it('defaults to live Upbit when there is no file and no environment', async () => {
    const config = await loadDemoConfig({ file: undefined, env: {}, readFile: files({}) });
    expect(config).toEqual(DEFAULT_DEMO_CONFIG);
    expect(config.upbit).toEqual({ restUrl: LIVE_REST_URL, wsUrl: LIVE_WS_URL });
  });

  it('reads the three sections of the file', async () => {
    const file = JSON.stringify({
      backbone: { cacheTtlMs: 30_000, router: { hotRequestsPerSecond: 1 } },
      upbit: { restUrl: 'http://127.0.0.1:9000/', wsUrl: 'ws://127.0.0.1:9000/websocket/v1' },
      demo: { top: 3, symbols: ['KRW-BTC', 'KRW-BTC', 'KRW-ETH'], refreshMs: 500, logLevel: 'warn' },
    });
    const config = await loadDemoConfig({ file: 'demo.json', env: {}, readFile: files({ 'demo.json': file }) });
    expect(config.backbone).toEqual({ cacheTtlMs: 30_000, router: { hotRequestsPerSecond: 1 } });
    expect(config.upbit).toEqual({ restUrl: 'http://127.0.0.1:9000', wsUrl: 'ws://127.0.0.1:9000/websocket/v1' });
    expect(config.demo).toEqual({
      ...DEFAULT_DEMO_CONFIG.demo,
      top: 3,
      symbols: ['KRW-BTC', 'KRW-ETH'],
      refreshMs: 500,
      logLevel: 'warn',
    });
  });

  it('lets the environment override the file, including nested backbone settings', async () => {
    const file = JSON.stringify({ backbone: { cacheTtlMs: 30_000, router: { failureThreshold: 5 } } });
    const config = await loadDemoConfig({
      file: undefined,
      env: {
        MARKETDATA_CONFIG: 'demo.json',
        MARKETDATA_BACKBONE__CACHE_TTL_MS: '15000',
        MARKETDATA_BACKBONE__ROUTER__HOT_REQUESTS_PER_SECOND: '2',
        MARKETDATA_BACKBONE__USE_WEBSOCKET: 'false',
        MARKETDATA_UPBIT_REST_URL: 'http://localhost:1234',
        MARKETDATA_LOG_LEVEL: 'error',
        MARKETDATA_SOMETHING_ELSE: 'ignored',
        PATH: '/usr/bin',
      },
      readFile: files({ 'demo.json': file }),
    });
    expect(config.backbone).toEqual({
      cacheTtlMs: 15_000,
      useWebSocket: false,
      router: { failureThreshold: 5, hotRequestsPerSecond: 2 },
    });
    expect(config.upbit.restUrl).toBe('http://localhost:1234');
    expect(config.upbit.wsUrl).toBe(LIVE_WS_URL);
    expect(config.demo.logLevel).toBe('error');
  });

  it('reports every bad field of the file and the environment in one ConfigError', async () => {
    const file = JSON.stringify({
      upbit: { restUrl: 'ftp://x', wsUrl: 'https://api.upbit.com', extra: 1 },
      demo: { top: 0, symbols: ['krw-btc'], refreshMs: 'fast', logLevel: 'loud' },
      surprise: true,
    });
    const error = await configError(
      loadDemoConfig({
        file: 'bad.json',
        env: { MARKETDATA_UPBIT_WS_URL: 'not a url' },
        readFile: files({ 'bad.json': file }),
      }),
    );
    expect(error.issues.map((issue) => issue.path)).toEqual([
      'bad.json: surprise',
      'bad.json: upbit.extra',
      'bad.json: upbit.restUrl',
      'bad.json: upbit.wsUrl',
      'bad.json: demo.top',
      'bad.json: demo.symbols',
      'bad.json: demo.refreshMs',
      'bad.json: demo.logLevel',
      'environment MARKETDATA_UPBIT_WS_URL',
    ]);
    expect(error.message).toContain('Invalid configuration (9 problems)');
  });

  it('names the file when it cannot be read or is not JSON', async () => {
    const missing = await configError(loadDemoConfig({ file: 'nope.json', env: {}, readFile: files({}) }));
    expect(missing.message).toContain('nope.json: cannot read the config file: ENOENT');
    const broken = await configError(
      loadDemoConfig({ file: 'broken.json', env: {}, readFile: files({ 'broken.json': '{"demo": ' }) }),
    );
    expect(broken.message).toContain('broken.json: not valid JSON');
  });
});

describe('loadDemoConfig with the backbone check', () => {
  it('adds the backbone validator issues to the same error, under backbone.', async () => {
    const file = JSON.stringify({ backbone: { cacheTtlMs: -1 }, demo: { top: 0 } });
    const error = await configError(
      loadDemoConfig({
        file: 'x.json',
        env: { MARKETDATA_BACKBONE__ROUTR__X: '1' },
        readFile: files({ 'x.json': file }),
        checkBackbone: (raw) =>
          Object.keys(raw).map((key) => ({ path: key, message: `checked ${JSON.stringify(raw[key])}` })),
      }),
    );
    expect(error.issues).toEqual([
      { path: 'x.json: demo.top', message: 'expected a whole number from 1 to 500', value: 0 },
      { path: 'backbone.cacheTtlMs', message: 'checked -1' },
      { path: 'backbone.routr', message: 'checked {"x":1}' },
    ]);
  });
});
