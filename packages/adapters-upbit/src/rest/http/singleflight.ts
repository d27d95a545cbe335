interface Flight<T> {
  readonly promise: Promise<T>;
  readonly controller: AbortController;
  callers: number;
}

/**
 * Identical in-flight requests share one call. Each caller may leave early (its own abort or deadline) without
 * disturbing the others; when the last caller leaves, the shared call is aborted.
 *
 * Used by the executor for every endpoint except `/v1/ticker`, whose one sharing step is the source's ticker
 * batcher (a second layer there would only add work).
 */
export class Singleflight<T> {
  private readonly flights = new Map<string, Flight<T>>();

  /** `start` receives a signal that aborts when every caller has left. */
  join(key: string, start: (signal: AbortSignal) => Promise<T>): { promise: Promise<T>; leave: () => void } {
    let flight = this.flights.get(key);
    if (flight === undefined) {
      const controller = new AbortController();
      const promise = start(controller.signal).finally(() => {
        if (this.flights.get(key) === created) this.flights.delete(key);
      });
      // Every caller may have left by the time it settles: that must not be an unhandled rejection.
      promise.catch(() => undefined);
      const created: Flight<T> = { promise, controller, callers: 0 };
      flight = created;
      this.flights.set(key, created);
    }
    const joined = flight;
    joined.callers++;
    let left = false;
    return {
      promise: joined.promise,
      leave: () => {
        if (left) return;
        left = true;
        joined.callers--;
        if (joined.callers === 0 && this.flights.get(key) === joined) {
          this.flights.delete(key);
          joined.controller.abort(new Error('every caller left'));
        }
      },
    };
  }

  size(): number {
    return this.flights.size;
  }
}
