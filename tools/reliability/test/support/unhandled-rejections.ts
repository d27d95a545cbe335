/** Records every promise rejection nobody handled while it is installed (vitest also fails the run on them; this
 * lets a test assert on them next to the fault that would cause them). */
export interface RejectionTracker {
  readonly reasons: readonly unknown[];
  stop(): void;
}

export function trackUnhandledRejections(): RejectionTracker {
  const reasons: unknown[] = [];
  const listener = (reason: unknown): void => {
    reasons.push(reason);
  };
  process.on('unhandledRejection', listener);
  return {
    reasons,
    stop: () => {
      process.off('unhandledRejection', listener);
    },
  };
}
