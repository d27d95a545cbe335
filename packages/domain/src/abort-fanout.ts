type AbortCallback = (reason: unknown) => void;

interface Fanout {
  readonly callbacks: Set<AbortCallback>;
  readonly listener: () => void;
}

const fanouts = new WeakMap<AbortSignal, Fanout>();

/**
 * Calls `callback` once when `signal` aborts, through a single listener per signal however many calls wait on it:
 * one `addEventListener` per call would make Node warn (MaxListenersExceededWarning) past 10 calls in flight on the
 * facade's lifetime or on one caller's signal. Returns the function that stops listening; the signal's listener is
 * removed with the last callback. Like `addEventListener`, it never fires for a signal already aborted: check first.
 */
export function onAbort(signal: AbortSignal, callback: AbortCallback): () => void {
  let fanout = fanouts.get(signal);
  if (fanout === undefined) {
    const callbacks = new Set<AbortCallback>();
    const listener = (): void => {
      fanouts.delete(signal);
      for (const waiting of [...callbacks]) waiting(signal.reason);
      callbacks.clear();
    };
    fanout = { callbacks, listener };
    fanouts.set(signal, fanout);
    signal.addEventListener('abort', listener, { once: true });
  }
  const { callbacks, listener } = fanout;
  // A wrapper per registration, so the same function registered twice is also removed twice.
  const entry: AbortCallback = (reason) => callback(reason);
  callbacks.add(entry);
  return () => {
    if (!callbacks.delete(entry) || callbacks.size > 0) return;
    if (fanouts.get(signal)?.callbacks === callbacks) fanouts.delete(signal);
    signal.removeEventListener('abort', listener);
  };
}
