import type { Clock, Random } from '@marketdata/domain';
import type { FetchFunction } from '../../../src/rest/index.js';
import { remainingReq } from './fake-upbit-fetch.js';

export interface ArrivalCountingOptions {
  readonly clock: Clock;
  readonly random: Random;
  /** Upbit's group budget: requests per sliding window. */
  readonly limit: number;
  readonly windowMs: number;
  /** Each request reaches the server after a random 0..maxArrivalLagMs (event-loop lag, slow connect, network). */
  readonly maxArrivalLagMs: number;
  /** And is answered a random 0..maxAnswerLagMs after it arrived. */
  readonly maxAnswerLagMs: number;
  readonly group: string;
  readonly body: (url: URL) => string;
}

export interface ArrivalCountingUpbit {
  readonly fetch: FetchFunction;
  /** Monotonic arrival times of the requests the fake server accepted. */
  readonly arrivals: number[];
  /** For every request, how long after `fetch` was called it reached the server, ms. */
  readonly arrivalLagsMs: number[];
  sent429(): number;
}

function wait(clock: Clock, ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = clock.setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clock.clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

/**
 * A fake Upbit that, like Upbit and the simulator, counts a request in its group's sliding window when the request
 * arrives (not when the client decided to send it) and answers 429 `Too many API requests.` past the budget, with
 * `Remaining-Req` computed at arrival. Refused requests do not use up the window (as in the simulator).
 */
export function arrivalCountingUpbit(options: ArrivalCountingOptions): ArrivalCountingUpbit {
  const { clock, random } = options;
  const arrivals: number[] = [];
  const arrivalLagsMs: number[] = [];
  let refused = 0;
  const fetch: FetchFunction = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const signal = init?.signal ?? undefined;
    const sentAt = clock.monotonic();
    await wait(clock, Math.floor(random.next() * (options.maxArrivalLagMs + 1)), signal);
    const arrivedAt = clock.monotonic();
    arrivalLagsMs.push(arrivedAt - sentAt);
    const used = arrivals.filter((at) => at > arrivedAt - options.windowMs).length;
    const accepted = used < options.limit;
    if (accepted) arrivals.push(arrivedAt);
    else refused++;
    await wait(clock, Math.floor(random.next() * (options.maxAnswerLagMs + 1)), signal);
    const sec = accepted ? options.limit - used - 1 : 0;
    const headers = remainingReq(options.group, sec);
    return accepted
      ? new Response(options.body(url), { status: 200, headers: { 'content-type': 'application/json', ...headers } })
      : new Response('Too many API requests.', { status: 429, headers: { 'content-type': 'text/plain', ...headers } });
  };
  return { fetch, arrivals, arrivalLagsMs, sent429: () => refused };
}
