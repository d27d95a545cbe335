import type { LogLevel } from '@marketdata/domain';
import { createPinoLogger, type PinoLogger } from '@marketdata/pino';

/** JSON lines on stderr (fd 2): stdout carries only what the program serves. */
export function createStderrLogger(level: LogLevel, app: string): PinoLogger {
  return createPinoLogger({ level, destination: 2, bindings: { app } });
}
