import type { LogFields, Logger, LogLevel } from '../ports/logger.js';

/** One line a `MemoryLogger` kept. */
export interface LogEntry {
  readonly level: Exclude<LogLevel, 'silent'>;
  readonly message: string;
  readonly fields: LogFields;
}

/** A logger that keeps every line in memory for assertions. Children share the parent's entries. */
export class MemoryLogger implements Logger {
  readonly entries: LogEntry[];
  private readonly bindings: LogFields;

  constructor(entries: LogEntry[] = [], bindings: LogFields = {}) {
    this.entries = entries;
    this.bindings = bindings;
  }

  /** Keeps the line at `trace`. */
  trace(message: string, fields?: LogFields): void {
    this.push('trace', message, fields);
  }
  /** Keeps the line at `debug`. */
  debug(message: string, fields?: LogFields): void {
    this.push('debug', message, fields);
  }
  /** Keeps the line at `info`. */
  info(message: string, fields?: LogFields): void {
    this.push('info', message, fields);
  }
  /** Keeps the line at `warn`. */
  warn(message: string, fields?: LogFields): void {
    this.push('warn', message, fields);
  }
  /** Keeps the line at `error`. */
  error(message: string, fields?: LogFields): void {
    this.push('error', message, fields);
  }

  /** A logger writing into the same entries with `bindings` added. */
  child(bindings: LogFields): Logger {
    return new MemoryLogger(this.entries, { ...this.bindings, ...bindings });
  }

  /** Entries at a level, or whose message contains `text`. */
  find(level: LogEntry['level'], text?: string): readonly LogEntry[] {
    return this.entries.filter(
      (entry) => entry.level === level && (text === undefined || entry.message.includes(text)),
    );
  }

  private push(level: LogEntry['level'], message: string, fields?: LogFields): void {
    this.entries.push({ level, message, fields: { ...this.bindings, ...fields } });
  }
}
