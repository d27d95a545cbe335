import type { Clock, Random } from '@marketdata/domain';

/** A terminal-or-pipe output: process.stdout / process.stderr, or a capture in tests. */
export interface DemoOutput {
  write(text: string): unknown;
  readonly isTTY?: boolean | undefined;
  readonly columns?: number | undefined;
  readonly rows?: number | undefined;
}

/** Everything the demo takes from the process, so the whole run can be driven from a test. */
export interface DemoRuntime {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: DemoOutput;
  readonly stderr: DemoOutput;
  readonly clock: Clock;
  readonly random: Random;
  readonly readFile: (path: string) => Promise<string>;
  /** Aborted on Ctrl-C, SIGTERM or a closed stdout; the reason (a string) is shown in the summary. */
  readonly interrupt: AbortSignal;
  /** Colours allowed (a terminal, and NO_COLOR not set). */
  readonly color: boolean;
}
