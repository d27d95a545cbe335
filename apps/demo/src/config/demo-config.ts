import type { LogLevel, MarketCode } from '@marketdata/domain';

export const LIVE_REST_URL = 'https://api.upbit.com';
export const LIVE_WS_URL = 'wss://api.upbit.com/websocket/v1';

export interface UpbitEndpoints {
  readonly restUrl: string;
  readonly wsUrl: string;
}

export interface DemoSettings {
  readonly top: number;
  readonly symbols: readonly MarketCode[] | undefined;
  /** How often the terminal table is redrawn. */
  readonly refreshMs: number;
  /** Upper bound on the live connection check before giving up. */
  readonly preflightTimeoutMs: number;
  readonly logLevel: LogLevel;
}

/** Everything the demo runs with, after defaults, the config file, the environment and the command line. */
export interface DemoConfig {
  /** Handed to the backbone, whose own schema validates it (unknown fields and bad values are reported there). */
  readonly backbone: Readonly<Record<string, unknown>>;
  readonly upbit: UpbitEndpoints;
  readonly demo: DemoSettings;
}

export const DEFAULT_DEMO_CONFIG: DemoConfig = {
  backbone: {},
  upbit: { restUrl: LIVE_REST_URL, wsUrl: LIVE_WS_URL },
  demo: { top: 10, symbols: undefined, refreshMs: 250, preflightTimeoutMs: 4000, logLevel: 'info' },
};
