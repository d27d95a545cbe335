import type { Clock, Logger, Random } from '@marketdata/domain';
import { startUpbitSim } from '@marketdata/upbit-sim';
import { LIVE_REST_URL, type UpbitEndpoints } from '../config/demo-config.js';
import { checkLiveConnection } from '../live/check-live-connection.js';

const LIVE_HOST = new URL(LIVE_REST_URL).host;

/** Where the demo gets its data, and how it says so on screen. */
export interface DemoEndpoints extends UpbitEndpoints {
  readonly live: boolean;
  /** "LIVE api.upbit.com" or "SIMULATOR 127.0.0.1:PORT (not live data)". */
  readonly title: string;
  /** A line shown under the title, e.g. how to inject simulator faults. */
  readonly hint: string | undefined;
  close(): Promise<void>;
}

/** Starts the simulator in this process (REST and WebSocket on one random loopback port, plus its admin port). */
export async function openSimulator(seed: number | undefined, logger: Logger): Promise<DemoEndpoints> {
  const sim = await startUpbitSim({
    ...(seed === undefined ? {} : { seed }),
    logger: logger.child({ component: 'sim' }),
  });
  logger.info('simulator started', { restUrl: sim.restUrl, wsUrl: sim.wsUrl, adminUrl: sim.adminUrl });
  return {
    live: false,
    restUrl: sim.restUrl,
    wsUrl: sim.wsUrl,
    title: `SIMULATOR 127.0.0.1:${sim.port} (not live data)`,
    hint:
      sim.adminUrl === undefined
        ? undefined
        : `inject faults: curl -X POST ${sim.adminUrl}/faults/drop (or /server/stop, /faults/stall?on=1)`,
    close: () => sim.close(),
  };
}

/** Live Upbit, after checking both endpoints answer (throws `UpbitUnreachableError` within `timeoutMs`). */
export async function openLive(
  endpoints: UpbitEndpoints,
  deps: {
    readonly clock: Clock;
    readonly random: Random;
    readonly timeoutMs: number;
    readonly logger: Logger;
    readonly signal: AbortSignal;
  },
): Promise<DemoEndpoints> {
  deps.logger.info('checking the live connection', { restUrl: endpoints.restUrl, wsUrl: endpoints.wsUrl });
  await checkLiveConnection(endpoints, deps);
  const host = new URL(endpoints.restUrl).host;
  return {
    live: true,
    ...endpoints,
    // Only Upbit itself is called LIVE; an endpoint from the config or environment says what it is.
    title: host === LIVE_HOST ? `LIVE ${host}` : `${host} (configured endpoint, not ${LIVE_HOST})`,
    hint: undefined,
    close: async () => {},
  };
}
