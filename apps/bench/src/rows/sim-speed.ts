import { rawFetchTicker } from '../clients/raw-rest.js';
import { type BenchSection, type Cell, na, notApplicable, value } from '../report/model.js';
import { withSim } from '../sim/sim-client.js';
import { monoNowMs } from '../system-clock.js';
import { measureStep, type Outcome, type RowContext } from './context.js';
import type { WindowCount } from './stream-load.js';

const CONCURRENCY = 16;
const REST_TARGET = 5_000;
const WS_TARGET = 50_000;

/**
 * Row S: the simulator's own speed (issue 4: ≥ 50k WS msgs/s to one client, ≥ 5k REST req/s with limits off), so
 * a reader can tell when a row is bounded by the simulator rather than by the client.
 */
export async function runSimSpeed(ctx: RowContext, rawIngest: Outcome<WindowCount> | undefined): Promise<BenchSection> {
  const rest = await measureStep(ctx, 'S simulator REST req/s', () =>
    withSim(ctx.sims, { rateLimits: false }, async (sim) => {
      const total = ctx.plan.simSpeedRestRequests;
      let issued = 0;
      const started = monoNowMs();
      const worker = async (): Promise<void> => {
        while (issued < total) {
          const code = sim.marketCodes[issued % sim.marketCodes.length] as string;
          issued += 1;
          await rawFetchTicker(sim.restUrl, code);
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      return (total / (monoNowMs() - started)) * 1000;
    }),
  );
  const wsCell: Cell =
    rawIngest === undefined
      ? na('not measured (runs with row 2)')
      : rawIngest.ok
        ? value(rawIngest.value.simFramesPerSecond, 'msg/s')
        : na(rawIngest.reason);
  const only = notApplicable('simulator figure');
  return {
    rows: [
      {
        id: 'S.rest',
        group: 'S',
        title: 'simulator REST, limits off',
        metric: 'requests/s served',
        cells: { raw: rest.ok ? value(rest.value, 'req/s') : na(rest.reason), ours: only, ccxt: only },
        ratio: 'none',
        notes: [`${CONCURRENCY} concurrent raw fetch loops; issue 4 asks ≥ ${REST_TARGET.toLocaleString('en-US')}/s`],
      },
      {
        id: 'S.ws',
        group: 'S',
        title: 'simulator WS push to one client',
        metric: 'messages/s sent',
        cells: { raw: wsCell, ours: only, ccxt: only },
        ratio: 'none',
        notes: [`sent to the raw client during row 2; issue 4 asks ≥ ${WS_TARGET.toLocaleString('en-US')}/s`],
      },
    ],
    distributions: [],
  };
}
