import type {
  createUpbitRestSource,
  createUpbitWebSocketSource,
  UpbitWebSocketOptions,
  UpbitWebSocketSource,
} from '@marketdata/adapters-upbit';
import type { createMarketData, MarketData } from '@marketdata/backbone';
import { type Logger, silentLogger, systemClock, type TickerSource } from '@marketdata/domain';

/**
 * Our components, loaded at run time so that a row whose component is not built prints "n/a (not built)" instead
 * of breaking the whole bench. Nothing here stands in for a missing component. Types come from the packages
 * themselves, so a changed option name fails the typecheck.
 */

export type MarketDataFacade = MarketData;

export interface Availability<T> {
  readonly value: T | undefined;
  /** Why `value` is missing, e.g. "@marketdata/adapters-upbit does not export createUpbitRestSource". */
  readonly reason: string | undefined;
}

/**
 * `upbit`: the adapter's default client-side pacing (Upbit's 10 req/s per group). `lifted`: pacing raised out of
 * the way, for throughput rows where the simulator's limits are off too (like ccxt with enableRateLimit: false).
 */
export type RestPacing = 'upbit' | 'lifted';
const LIFTED_PACING = { requestsPerWindow: 1_000_000 };

/** Options the bench sets on our WebSocket source; everything else stays at the adapter's defaults. */
export interface OursWebSocketOptions {
  /** The wire format asked for (the adapter's default is SIMPLE). */
  readonly format?: 'DEFAULT' | 'SIMPLE' | undefined;
  /** Creates the socket: the ingest row keeps it to pause reading while another client takes its turn. */
  readonly createSocket?: UpbitWebSocketOptions['createSocket'];
}

export interface Ours {
  readonly rest: Availability<(restUrl: string, pacing: RestPacing) => TickerSource>;
  readonly websocket: Availability<(wsUrl: string, options?: OursWebSocketOptions) => UpbitWebSocketSource>;
  readonly marketData: Availability<(restUrl: string, wsUrl: string) => MarketDataFacade>;
}

type Module = Record<string, unknown>;

async function importModule(name: string): Promise<Module | string> {
  try {
    return (await import(name)) as Module;
  } catch (error) {
    return `cannot import ${name}: ${(error as Error).message.split('\n')[0]}`;
  }
}

function exported<T>(module: Module | string, name: string, pkg: string, kind = 'function'): Availability<T> {
  if (typeof module === 'string') return { value: undefined, reason: module };
  const value = module[name];
  if (typeof value !== kind) return { value: undefined, reason: `${pkg} does not export ${name}` };
  return { value: value as T, reason: undefined };
}

function missing<T>(reason: string): Availability<T> {
  return { value: undefined, reason };
}

const logger: Logger = silentLogger;

export async function loadOurs(): Promise<Ours> {
  const adapters = await importModule('@marketdata/adapters-upbit');
  const backbone = await importModule('@marketdata/backbone');
  const ADAPTERS = '@marketdata/adapters-upbit';
  const BACKBONE = '@marketdata/backbone';
  const restFactory = exported<typeof createUpbitRestSource>(adapters, 'createUpbitRestSource', ADAPTERS);
  const wsFactory = exported<typeof createUpbitWebSocketSource>(adapters, 'createUpbitWebSocketSource', ADAPTERS);
  const facadeFactory = exported<typeof createMarketData>(backbone, 'createMarketData', BACKBONE);

  const createRest = restFactory.value;
  const rest: Ours['rest'] =
    createRest === undefined
      ? missing(restFactory.reason ?? 'not built')
      : {
          value: (restUrl, pacing) =>
            createRest({ url: restUrl, logger, ...(pacing === 'lifted' ? { rateLimit: LIFTED_PACING } : {}) }),
          reason: undefined,
        };
  const createWs = wsFactory.value;
  const websocket: Ours['websocket'] =
    createWs === undefined
      ? missing(wsFactory.reason ?? 'not built')
      : { value: (wsUrl, options = {}) => createWs({ url: wsUrl, logger, ...options }), reason: undefined };

  const createFacade = facadeFactory.value;
  const createRestSource = rest.value;
  const createWsSource = websocket.value;
  const marketData: Ours['marketData'] =
    createFacade === undefined || createRestSource === undefined || createWsSource === undefined
      ? missing(facadeFactory.reason ?? rest.reason ?? websocket.reason ?? 'not built')
      : {
          // Ours as shipped: default config, Upbit's pacing on the REST channel.
          value: (restUrl, wsUrl) =>
            createFacade({
              rest: createRestSource(restUrl, 'upbit'),
              websocket: createWsSource(wsUrl),
              clock: systemClock,
              logger,
            }),
          reason: undefined,
        };

  return { rest, websocket, marketData };
}

export class ComponentMissing extends Error {}

/** Throws ComponentMissing when our component is not built, so the row says so instead of measuring something else. */
export function requireBuilt<T>(component: Availability<T>): T {
  if (component.value === undefined) throw new ComponentMissing(component.reason ?? 'not built');
  return component.value;
}
