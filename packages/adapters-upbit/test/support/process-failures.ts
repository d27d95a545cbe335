/**
 * Records unhandled promise rejections and uncaught exceptions while a test runs, so a test can assert there were
 * none (vitest reports them too, but not as a failure of the test that caused them).
 */
export interface ProcessFailures {
  readonly seen: readonly string[];
  dispose(): void;
}

function describe(reason: unknown): string {
  if (reason instanceof Error) return `${reason.name}: ${reason.message}`;
  return String(reason);
}

export function captureProcessFailures(): ProcessFailures {
  const seen: string[] = [];
  const onRejection = (reason: unknown): void => {
    seen.push(`unhandledRejection ${describe(reason)}`);
  };
  const onException = (error: unknown): void => {
    seen.push(`uncaughtException ${describe(error)}`);
  };
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  return {
    seen,
    dispose() {
      process.off('unhandledRejection', onRejection);
      process.off('uncaughtException', onException);
    },
  };
}

/** Lets pending I/O callbacks and rejection tracking run (unhandled rejections are reported after a turn). */
export function ioTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
