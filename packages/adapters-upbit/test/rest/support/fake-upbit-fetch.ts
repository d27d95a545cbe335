import type { Clock } from '@marketdata/domain';
import type { FetchFunction } from '../../../src/rest/index.js';

export interface FakeReply {
  readonly status?: number;
  readonly body?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Never answer; the request only ends when its signal aborts (timeouts). */
  readonly hang?: boolean;
  /** Answer after this many ms of the test clock. */
  readonly delayMs?: number;
  /** Reject like a dropped connection (undici's `fetch failed` with a socket code). */
  readonly networkError?: string;
}

export interface RecordedCall {
  readonly url: URL;
  /** Monotonic time on the test clock when the request was sent. */
  readonly at: number;
}

export type FakeHandler = (url: URL, callIndex: number) => FakeReply;

/** A `fetch` that answers from a handler, records each call with the fake clock's time, and honours abort. */
export function fakeUpbitFetch(handler: FakeHandler, clock: Clock): FetchFunction & { calls: RecordedCall[] } {
  const calls: RecordedCall[] = [];
  const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : undefined;
    const url = new URL(request?.url ?? String(input));
    const signal = init?.signal ?? request?.signal ?? undefined;
    calls.push({ url, at: clock.monotonic() });
    if (signal?.aborted) throw signal.reason;
    const reply = handler(url, calls.length - 1);
    if (reply.networkError !== undefined) {
      throw new TypeError('fetch failed', {
        cause: Object.assign(new Error('other side closed'), { code: reply.networkError }),
      });
    }
    if (reply.hang === true) {
      return new Promise<Response>((_, reject) => {
        signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
      });
    }
    if (reply.delayMs !== undefined) {
      await new Promise<void>((resolve, reject) => {
        const timer = clock.setTimeout(resolve, reply.delayMs ?? 0);
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
    return new Response(reply.body ?? '', {
      status: reply.status ?? 200,
      headers: { 'content-type': 'application/json;charset=UTF-8', ...reply.headers },
    });
  };
  return Object.assign(fetch, { calls });
}

/** `Remaining-Req` as Upbit spells it. */
export function remainingReq(group: string, sec: number): Record<string, string> {
  return { 'remaining-req': `group=${group}; min=600; sec=${sec}` };
}
