import type { Logger, MarketCode, StreamingSource, Ticker, TickerSource } from '@marketdata/domain';

/**
 * Our components, loaded at run time so that a row whose component is not built yet prints "n/a (not built)"
 * instead of breaking the whole bench. Nothing here substitutes for a missing component.
 */

export type SourceChoice = 'auto' | 'rest' | 'websocket';

/** The facade surface the bench uses (packages/backbone `createMarketData`). */
export interface MarketDataFacade {
  getTicker(symbol: MarketCode, options?: { readonly source?: SourceChoice }): Promise<Ticker>;
  watchTickers(symbols: readonly MarketCode[]): AsyncIterable<Ticker>;
  stats(): unknown;
  close(): Promise<void>;
}

/** A labelled routing scenario as exported by the backbone, if it exports its scenario set. */
export interface RoutingAccuracy {
  readonly scenarios: number;
  readonly correct: number;
}

export interface Availability<T> {
  readonly value: T | undefined;
  /** Why `value` is missing, e.g. "createUpbitRestSource is not exported yet". */
  readonly reason: string | undefined;
}

/**
 * `upbit`: the adapter's default client-side pacing (Upbit's 10 req/s per group). `lifted`: pacing raised out of
 * the way, for throughput rows where the simulator's limits are off too (like ccxt with enableRateLimit: false).
 */
export type RestPacing = 'upbit' | 'lifted';
const LIFTED_PACING = { requestsPerWindow: 1_000_000 };

export interface Ours {
  readonly rest: Availability<(restUrl: string, pacing: RestPacing) => TickerSource>;
  readonly websocket: Availability<(wsUrl: string) => StreamingSource>;
  readonly marketData: Availability<(restUrl: string, wsUrl: string) => MarketDataFacade>;
  readonly routingAccuracy: Availability<() => RoutingAccuracy>;
}

type Factory = (options: Record<string, unknown>) => unknown;
type Module = Record<string, unknown>;

async function importModule(name: string): Promise<Module | string> {
  try {
    return (await import(name)) as Module;
  } catch (error) {
    return `cannot import ${name}: ${(error as Error).message.split('\n')[0]}`;
  }
}

function exported<T>(module: Module | string, name: string, pkg: string): Availability<T> {
  if (typeof module === 'string') return { value: undefined, reason: module };
  const value = module[name];
  if (typeof value !== 'function') return { value: undefined, reason: `${pkg} does not export ${name} yet` };
  return { value: value as T, reason: undefined };
}

const silent: Logger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silent,
};

export async function loadOurs(): Promise<Ours> {
  const adapters = await importModule('@marketdata/adapters-upbit');
  const backbone = await importModule('@marketdata/backbone');
  const restFactory = exported<Factory>(adapters, 'createUpbitRestSource', '@marketdata/adapters-upbit');
  const wsFactory = exported<Factory>(adapters, 'createUpbitWebSocketSource', '@marketdata/adapters-upbit');
  const facadeFactory = exported<Factory>(backbone, 'createMarketData', '@marketdata/backbone');
  // The adapters default to the system clock; the facade wants one injected.
  const clock = typeof backbone === 'string' ? undefined : backbone.systemClock;

  const rest: Ours['rest'] =
    restFactory.value === undefined
      ? { value: undefined, reason: restFactory.reason }
      : {
          value: (restUrl, pacing) =>
            restFactory.value?.({
              baseUrl: restUrl,
              logger: silent,
              ...(pacing === 'lifted' ? { rateLimit: LIFTED_PACING } : {}),
            }) as TickerSource,
          reason: undefined,
        };
  const websocket: Ours['websocket'] =
    wsFactory.value === undefined
      ? { value: undefined, reason: wsFactory.reason }
      : {
          value: (wsUrl) => wsFactory.value?.({ url: wsUrl, logger: silent }) as StreamingSource,
          reason: undefined,
        };
  const missingForFacade =
    facadeFactory.reason ??
    rest.reason ??
    websocket.reason ??
    (clock === undefined ? '@marketdata/backbone does not export systemClock yet' : undefined);
  const marketData: Ours['marketData'] =
    missingForFacade !== undefined
      ? { value: undefined, reason: missingForFacade }
      : {
          value: (restUrl, wsUrl) =>
            facadeFactory.value?.({
              rest: rest.value?.(restUrl, 'upbit'),
              websocket: websocket.value?.(wsUrl),
              clock,
              logger: silent,
              config: {},
            }) as MarketDataFacade,
          reason: undefined,
        };
  const routingAccuracy: Ours['routingAccuracy'] = {
    value: undefined,
    reason: '@marketdata/backbone does not export a routing scenario set',
  };
  return { rest, websocket, marketData, routingAccuracy };
}

export class ComponentMissing extends Error {}

/** Throws ComponentMissing when our component is not built, so the row says so instead of measuring something else. */
export function requireBuilt<T>(component: Availability<T>): T {
  if (component.value === undefined) throw new ComponentMissing(component.reason ?? 'not built');
  return component.value;
}
