import type { Board, BoardEvent } from './board.js';
import type { DemoLogger } from './demo-logger.js';
import type { DemoRuntime } from './demo-runtime.js';
import type { DemoSettings } from './resolve-settings.js';
import type { ShutdownSteps } from './shutdown-steps.js';
import type { StopControl } from './stop-control.js';

/** Where the demo writes: NDJSON on stdout, the ANSI table on a terminal, or plain snapshots into a pipe. */
export type OutputMode = 'json' | 'ansi' | 'plain';

/** What the phases of one run share. */
export interface Session {
  readonly settings: DemoSettings;
  readonly runtime: DemoRuntime;
  readonly mode: OutputMode;
  readonly board: Board;
  readonly control: StopControl;
  readonly shutdown: ShutdownSteps;
  readonly logger: DemoLogger;
  readonly startedAt: number;
  /** Board events; in --json mode (no board on screen) they are logged to stderr as well. */
  readonly emit: (event: BoardEvent) => void;
}
