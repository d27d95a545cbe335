import { DEFAULT_UPBIT_REST_URL, UPBIT_WEBSOCKET_URL } from '@marketdata/adapters-upbit';
import type { Clock, Logger } from '@marketdata/domain';
import { startUpbitSim } from '@marketdata/upbit-sim';
import type { ChartMode } from '../protocol/messages.js';

/** Where the data comes from, and how the start line says so. */
export interface ChartEndpoints {
  readonly mode: ChartMode;
  readonly restUrl: string;
  readonly wsUrl: string;
  /** "LIVE api.upbit.com" or "SIMULATOR 127.0.0.1:PORT (not live data)". */
  readonly title: string;
  /** A further line for stderr (how to inject simulator faults). */
  readonly hint: string | undefined;
  close(): Promise<void>;
}

export function liveEndpoints(): ChartEndpoints {
  return {
    mode: 'live',
    restUrl: DEFAULT_UPBIT_REST_URL,
    wsUrl: UPBIT_WEBSOCKET_URL,
    title: `LIVE ${new URL(DEFAULT_UPBIT_REST_URL).host}`,
    hint: undefined,
    close: async () => {},
  };
}

/** An Upbit-compatible endpoint given on the command line (a simulator of its own process, for one). */
export function configuredEndpoints(restUrl: string, wsUrl: string): ChartEndpoints {
  return {
    mode: 'endpoint',
    restUrl,
    wsUrl,
    title: `${new URL(restUrl).host} (configured endpoint, not ${new URL(DEFAULT_UPBIT_REST_URL).host})`,
    hint: undefined,
    close: async () => {},
  };
}

/** The simulator in this process (REST and WebSocket on one loopback port, plus its admin port for faults). */
export async function simulatorEndpoints(options: {
  readonly seed: number | undefined;
  readonly clock: Clock;
  readonly logger: Logger;
}): Promise<ChartEndpoints> {
  const sim = await startUpbitSim({
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    clock: options.clock,
    logger: options.logger.child({ component: 'sim' }),
  });
  return {
    mode: 'sim',
    restUrl: sim.restUrl,
    wsUrl: sim.wsUrl,
    title: `SIMULATOR 127.0.0.1:${sim.port} (not live data)`,
    hint:
      sim.adminUrl === undefined
        ? undefined
        : `inject faults: curl -X POST '${sim.adminUrl}/faults/stall-data?on=1' (then on=0), ${sim.adminUrl}/faults/drop`,
    close: () => sim.close(),
  };
}
