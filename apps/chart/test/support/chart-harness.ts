import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type Logger, silentLogger, systemClock, systemRandom } from '@marketdata/domain';
import { startUpbitSim, type UpbitSim } from '@marketdata/upbit-sim';
import { type StartedChart, startChart } from '../../src/app/start-chart.js';
import { loadStaticAssets } from '../../src/server/static-assets.js';

/** The built page (the package's test task builds it first). */
export const PUBLIC_DIR = join(import.meta.dirname, '..', '..', 'dist', 'public');

export interface ChartHarness {
  readonly sim: UpbitSim;
  readonly chart: StartedChart;
  /** http://127.0.0.1:PORT/ */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * The simulator (Upbit's limits on) and the chart server on it, both in this process on 127.0.0.1, on the real
 * clock: the browser runs in real time.
 */
export async function startHarness(
  options: { readonly markets?: readonly string[]; readonly seed?: number; readonly logger?: Logger } = {},
): Promise<ChartHarness> {
  if (!existsSync(join(PUBLIC_DIR, 'app.js'))) {
    throw new Error(`${PUBLIC_DIR}/app.js is missing: pnpm --filter @marketdata/chart build`);
  }
  const sim = await startUpbitSim({
    seed: options.seed ?? 11,
    adminPort: false,
    ...(options.markets === undefined ? {} : { markets: [...options.markets] }),
  });
  try {
    const chart = await startChart({
      mode: 'sim',
      restUrl: sim.restUrl,
      wsUrl: sim.wsUrl,
      port: 0,
      assets: await loadStaticAssets(PUBLIC_DIR),
      clock: systemClock,
      random: systemRandom,
      logger: options.logger ?? silentLogger,
      processUsage: () => ({ cpuUserMicros: 0, cpuSystemMicros: 0, rssBytes: 0, heapUsedBytes: 0 }),
    });
    return {
      sim,
      chart,
      url: chart.server.url,
      close: async () => {
        await chart.close();
        await sim.close();
      },
    };
  } catch (error) {
    await sim.close();
    throw error;
  }
}
