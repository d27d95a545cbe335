import { createSystemClock } from '@marketdata/domain';
import { EXIT_RUNTIME_FAILURE } from '../exit-codes.js';
import { createStderrLogger } from '../gateway-logger.js';
import { runConsumer } from './run-consumer.js';

/** Process glue of the fleet consumer: signals, streams, exit code. */
const interrupt = new AbortController();
process.on('SIGINT', () => interrupt.abort('SIGINT'));
process.on('SIGTERM', () => interrupt.abort('SIGTERM'));
process.stdout.on('error', () => interrupt.abort('stdout closed'));

runConsumer({
  argv: process.argv.slice(2),
  stdout: process.stdout,
  stderr: process.stderr,
  clock: createSystemClock(),
  createLogger: (options) => createStderrLogger(options.logLevel, 'fleet-consumer'),
  interrupt: interrupt.signal,
}).then(
  (code) => {
    process.exitCode = code;
    createSystemClock({ unref: true }).setTimeout(() => process.exit(code), 200);
  },
  (error: unknown) => {
    process.stderr.write(
      `consumer: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(EXIT_RUNTIME_FAILURE);
  },
);
