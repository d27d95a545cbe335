import { createSeededRandom } from '@marketdata/domain';
import { FakeClock, MemoryLogger } from '@marketdata/domain/testing';
import { startUpbitSim, type UpbitSim } from '@marketdata/upbit-sim';
import {
  createUpbitRestSource,
  type FetchFunction,
  type UpbitRestSource,
  type UpbitRestSourceOptions,
} from '../../../src/rest/index.js';

export interface SimHarness {
  readonly sim: UpbitSim;
  readonly clock: FakeClock;
  readonly logger: MemoryLogger;
  readonly source: UpbitRestSource;
  /** Monotonic time (test clock) of every HTTP request the client sent. */
  readonly sentAt: number[];
  close(): Promise<void>;
}

export interface SimHarnessOptions extends UpbitRestSourceOptions {
  /** Rewrites each response body on its way to the client (wrong-type payloads). */
  readonly tamper?: (body: string, url: string) => string;
}

/**
 * The simulator and the REST source on one fake clock: the simulator's rate limiter, slow bodies and latency and
 * the client's pacing, backoff and timeouts all run on the same test time. Requests go over real loopback HTTP.
 * The source uses the process-wide budgets (its simulator's port is its own origin).
 */
export async function startSimHarness(options: SimHarnessOptions = {}): Promise<SimHarness> {
  const clock = new FakeClock();
  const sim = await startUpbitSim({ clock, adminPort: false, seed: 11 });
  const logger = new MemoryLogger();
  const sentAt: number[] = [];
  const { tamper, ...sourceOptions } = options;
  const fetch: FetchFunction = async (input, init) => {
    sentAt.push(clock.monotonic());
    const response = await globalThis.fetch(input, init);
    if (tamper === undefined) return response;
    const url = input instanceof Request ? input.url : String(input);
    return new Response(tamper(await response.text(), url), { status: response.status, headers: response.headers });
  };
  const source = createUpbitRestSource({
    url: sim.restUrl,
    fetch,
    clock,
    logger,
    random: createSeededRandom(42),
    ...sourceOptions,
  });
  return {
    sim,
    clock,
    logger,
    source,
    sentAt,
    async close() {
      await source.close();
      await sim.close();
    },
  };
}
