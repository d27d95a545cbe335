/**
 * The domain `Logger` port backed by pino: `createPinoLogger`.
 *
 * @module @marketdata/pino
 */
// The public API of @marketdata/pino: the domain `Logger` port backed by pino. A package of its own so that the
// library depends on no logging library; only an application that wants pino installs it.

export { createPinoLogger, type PinoLogger, type PinoLoggerOptions } from './pino-logger.js';
