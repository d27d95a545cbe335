import { ConfigError, type LogFields, type Logger, type LogLevel } from '@marketdata/domain';
import pino from 'pino';

/** Options of `createPinoLogger`. */
export interface PinoLoggerOptions {
  /** Default `info`. */
  readonly level?: LogLevel | undefined;
  /**
   * Human-readable output through `pino-pretty` (a worker-thread transport). `pino-pretty` must be installed by
   * the application that asks for it; it is resolved from the caller's files, not from this package.
   */
  readonly pretty?: boolean | undefined;
  /**
   * Where lines go: a stream (anything with `write(line)`), a file path, or a file descriptor (1 = stdout,
   * 2 = stderr). Default stdout. Ignored when `pretty` is set (pino-pretty writes to stdout).
   */
  readonly destination?: pino.DestinationStream | string | number | undefined;
  /** Bindings added to every line (e.g. `{ app: 'demo' }`). */
  readonly bindings?: LogFields | undefined;
}

/** The domain `Logger` plus what only a real pino logger has. */
export interface PinoLogger extends Logger {
  /** Writes buffered lines out (file destinations and transports buffer). */
  flush(): void;
  /** The underlying pino instance, for wiring libraries that take one. */
  readonly pino: pino.Logger;
}

function adapt(instance: pino.Logger): PinoLogger {
  // pino takes (fields, message); the domain Logger takes (message, fields).
  return {
    trace: (message, fields) => instance.trace(fields ?? {}, message),
    debug: (message, fields) => instance.debug(fields ?? {}, message),
    info: (message, fields) => instance.info(fields ?? {}, message),
    warn: (message, fields) => instance.warn(fields ?? {}, message),
    error: (message, fields) => instance.error(fields ?? {}, message),
    child: (bindings) => adapt(instance.child(bindings)),
    flush: () => instance.flush(),
    pino: instance,
  };
}

function destinationOf(destination: PinoLoggerOptions['destination']): pino.DestinationStream {
  if (destination === undefined) return pino.destination(1);
  if (typeof destination === 'string' || typeof destination === 'number') return pino.destination(destination);
  return destination;
}

function prettyTransport(): pino.DestinationStream {
  try {
    return pino.transport({ target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l' } });
  } catch (error) {
    throw new ConfigError(
      [{ path: 'pretty', message: 'pino-pretty is not installed for the calling application', value: true }],
      { operation: 'createPinoLogger', cause: error },
    );
  }
}

/** A pino-backed implementation of the domain `Logger` (JSON lines, or pretty output for people). */
export function createPinoLogger(options: PinoLoggerOptions = {}): PinoLogger {
  const stream = options.pretty === true ? prettyTransport() : destinationOf(options.destination);
  const root = pino({ level: options.level ?? 'info' }, stream);
  return adapt(options.bindings === undefined ? root : root.child({ ...options.bindings }));
}
