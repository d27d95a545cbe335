import { describe, expect, it } from 'vitest';
import { DEFAULT_PORT, parseArgs } from '../../src/cli/parse-args.js';

describe('parseArgs', () => {
  it('defaults to live Upbit on the default port', () => {
    expect(parseArgs([])).toEqual({
      sim: false,
      port: DEFAULT_PORT,
      seed: undefined,
      endpoint: undefined,
      logLevel: 'warn',
      help: false,
    });
  });

  it('reads --sim, --port, --seed and --log-level, spaced or with =', () => {
    expect(parseArgs(['--sim', '--port', '0', '--seed=7', '--log-level=debug'])).toEqual({
      sim: true,
      port: 0,
      seed: 7,
      endpoint: undefined,
      logLevel: 'debug',
      help: false,
    });
  });

  it('reads another endpoint, REST and WebSocket together', () => {
    expect(
      parseArgs(['--rest-url', 'http://127.0.0.1:9000/', '--ws-url=ws://127.0.0.1:9000/websocket/v1']).endpoint,
    ).toEqual({
      restUrl: 'http://127.0.0.1:9000',
      wsUrl: 'ws://127.0.0.1:9000/websocket/v1',
    });
  });

  it.each([
    [['--rest-url', 'http://127.0.0.1:9000'], /--rest-url and --ws-url go together/],
    [['--rest-url', 'ftp://x', '--ws-url', 'ws://x'], /--rest-url needs a http: or https: URL/],
    [['--rest-url', 'http://x', '--ws-url', 'http://x'], /--ws-url needs a ws: or wss: URL/],
    [['--rest-url', 'not a url', '--ws-url', 'ws://x'], /--rest-url needs a URL/],
    [['--sim', '--rest-url', 'http://x', '--ws-url', 'ws://x'], /--sim starts its own simulator/],
    [['--port'], /--port needs an integer 0..65535, got nothing/],
    [['--port', '70000'], /--port needs an integer 0..65535, got 70000/],
    [['--port', '80.5'], /--port needs an integer/],
    [['--port', ' '], /--port needs an integer/],
    [['--seed', '1'], /--seed is for the simulator: add --sim/],
    [['--log-level', 'loud'], /--log-level needs one of/],
    [['--simulator'], /unknown argument "--simulator"/],
    [['KRW-BTC'], /unknown argument "KRW-BTC"/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(message);
  });
});
