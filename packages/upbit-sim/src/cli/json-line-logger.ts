import type { Clock, LogFields, Logger, LogLevel } from '@marketdata/domain';

/** pino's numeric levels. */
const LEVEL_NUMBERS: Readonly<Record<Exclude<LogLevel, 'silent'>, number>> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
};
const ORDER: Readonly<Record<LogLevel, number>> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4, silent: 5 };
const CORE_KEYS = new Set(['level', 'time', 'pid', 'hostname', 'msg']);

export interface JsonLineLoggerOptions {
  readonly level: LogLevel;
  readonly clock: Clock;
  readonly pid: number;
  readonly hostname: string;
  /** Where each line goes (the CLI writes to stderr; stdout carries only the URLs). */
  readonly write: (line: string) => void;
}

/**
 * A Logger writing pino-shaped JSON lines: `{"level":30,"time":<epoch ms>,"pid":..,"hostname":..,<bindings and
 * fields>,"msg":".."}`, so pino tooling (pino-pretty, log shippers) reads them. Fields never overwrite the core keys.
 */
export function createJsonLineLogger(options: JsonLineLoggerOptions, bindings: LogFields = {}): Logger {
  const min = ORDER[options.level];
  const line = (at: Exclude<LogLevel, 'silent'>, message: string, fields?: LogFields): void => {
    if (ORDER[at] < min) return;
    const record: Record<string, unknown> = {
      level: LEVEL_NUMBERS[at],
      time: options.clock.now(),
      pid: options.pid,
      hostname: options.hostname,
    };
    for (const source of [bindings, fields ?? {}]) {
      for (const [key, value] of Object.entries(source)) if (!CORE_KEYS.has(key)) record[key] = value;
    }
    record.msg = message;
    options.write(`${safeStringify(record)}\n`);
  };
  return {
    trace: (message, fields) => line('trace', message, fields),
    debug: (message, fields) => line('debug', message, fields),
    info: (message, fields) => line('info', message, fields),
    warn: (message, fields) => line('warn', message, fields),
    error: (message, fields) => line('error', message, fields),
    child: (more) => createJsonLineLogger(options, { ...bindings, ...more }),
  };
}

/** JSON.stringify that never throws: bigints as strings, cycles as "[Circular]", errors as their message. */
function safeStringify(record: Record<string, unknown>): string {
  const seen = new WeakSet<object>();
  return JSON.stringify(record, (_key, value: unknown) => {
    if (typeof value === 'bigint') return value.toString();
    if (value instanceof Error) return { name: value.name, message: value.message };
    if (typeof value === 'object' && value !== null) {
      if (seen.has(value)) return '[Circular]';
      seen.add(value);
    }
    return value;
  });
}
