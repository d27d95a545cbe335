/** Log levels, lowest first; `silent` writes nothing. */
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'silent';

/** Structured fields of one log line (JSON-serialisable values). */
export type LogFields = Readonly<Record<string, unknown>>;

/** Structured, leveled logging. `child` adds bindings to every line of the child. */
export interface Logger {
  /** Finest detail (every frame, every decision); off by default. */
  trace(message: string, fields?: LogFields): void;
  /** Detail useful while diagnosing. */
  debug(message: string, fields?: LogFields): void;
  /** Normal operation worth a line (connected, started, stopped). */
  info(message: string, fields?: LogFields): void;
  /** Something went wrong and was handled (a retry, a fallback, a refused request). */
  warn(message: string, fields?: LogFields): void;
  /** Something went wrong and was not handled. */
  error(message: string, fields?: LogFields): void;
  /** A logger adding `bindings` to every line (e.g. `{ component: "rest" }`). */
  child(bindings: LogFields): Logger;
}

function noop(): void {}

/** A logger that drops everything. */
export const silentLogger: Logger = {
  trace: noop,
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
  child: () => silentLogger,
};
