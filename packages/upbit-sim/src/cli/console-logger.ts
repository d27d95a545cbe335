import type { LogFields, Logger, LogLevel } from '@marketdata/domain';

const ORDER: Readonly<Record<LogLevel, number>> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4, silent: 5 };

/** JSON lines on stderr (stdout carries the URLs), for the CLI only. */
export function createConsoleLogger(level: LogLevel, bindings: LogFields = {}): Logger {
  const min = ORDER[level];
  const line = (at: Exclude<LogLevel, 'silent'>, message: string, fields?: LogFields): void => {
    if (ORDER[at] < min) return;
    process.stderr.write(`${JSON.stringify({ level: at, message, ...bindings, ...fields })}\n`);
  };
  return {
    trace: (message, fields) => line('trace', message, fields),
    debug: (message, fields) => line('debug', message, fields),
    info: (message, fields) => line('info', message, fields),
    warn: (message, fields) => line('warn', message, fields),
    error: (message, fields) => line('error', message, fields),
    child: (more) => createConsoleLogger(level, { ...bindings, ...more }),
  };
}
