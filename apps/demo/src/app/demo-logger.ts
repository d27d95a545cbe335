import type { LogLevel } from '@marketdata/domain';
import { createPinoLogger, type PinoLogger } from '@marketdata/pino';
import PinoPretty from 'pino-pretty';
import type { BoardEvent } from './board.js';

export interface LogOutput {
  write(text: string): unknown;
}

export interface DemoLogger {
  readonly logger: PinoLogger;
  /**
   * While the table owns the terminal, log lines go to its events pane (stderr lines would be drawn over);
   * `undefined` sends them back to stderr.
   */
  showInBoard(addEvent: ((event: BoardEvent) => void) | undefined): void;
}

const IGNORED_KEYS = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'app']);

function summarizeFields(entry: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(entry)) {
    if (IGNORED_KEYS.has(key) || value === undefined) continue;
    parts.push(`${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  }
  return parts.join(' ');
}

/** One pino JSON line as a board event. */
export function logLineToEvent(line: string): BoardEvent {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return { at: Number.NaN, kind: 'info', text: line.trim() };
  }
  const level = typeof entry.level === 'number' ? entry.level : 30;
  const message = typeof entry.msg === 'string' ? entry.msg : '';
  return {
    at: typeof entry.time === 'number' ? entry.time : Number.NaN,
    kind: level >= 50 ? 'error' : level >= 40 ? 'warn' : 'info',
    text: `${message} ${summarizeFields(entry)}`.trim(),
  };
}

/**
 * The demo's logger: pino through the backbone's adapter, never on stdout (stdout is the table or NDJSON).
 * Pretty lines are formatted synchronously (pino-pretty's `prettyFactory`), so nothing is lost at exit.
 */
export function createDemoLogger(level: LogLevel, stderr: LogOutput, pretty: boolean): DemoLogger {
  const format = pretty
    ? PinoPretty.prettyFactory({ colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,app' })
    : undefined;
  let board: ((event: BoardEvent) => void) | undefined;
  const destination = {
    write(line: string): void {
      if (board !== undefined) board(logLineToEvent(line));
      else stderr.write(format === undefined ? line : format(line));
    },
  };
  return {
    logger: createPinoLogger({ level, destination, bindings: { app: 'demo' } }),
    showInBoard(addEvent) {
      board = addEvent;
    },
  };
}
