import { createSystemClock } from '@marketdata/domain';
import { EXIT_RUNTIME_FAILURE } from './exit-codes.js';
import { createStderrLogger } from './gateway-logger.js';
import { runGateway } from './run-gateway.js';

/** Process glue only: signals, streams, exit code. Everything else is in runGateway. */
const interrupt = new AbortController();
/**
 * One Ctrl-C reaches us twice (from the terminal and forwarded by pnpm): signals this close to the first are the
 * same request; a later one means "now".
 */
const SAME_REQUEST_MS = 500;
let firstSignalAt: number | undefined;
const onSignal = (name: string) => () => {
  const now = performance.now();
  if (firstSignalAt !== undefined) {
    if (now - firstSignalAt > SAME_REQUEST_MS) process.exit(EXIT_RUNTIME_FAILURE);
    return;
  }
  firstSignalAt = now;
  interrupt.abort(name === 'SIGINT' ? 'Ctrl-C' : name);
};
process.on('SIGINT', onSignal('SIGINT'));
process.on('SIGTERM', onSignal('SIGTERM'));
process.stdout.on('error', () => interrupt.abort('stdout closed'));

let logger: ReturnType<typeof createStderrLogger> | undefined;
runGateway({
  argv: process.argv.slice(2),
  stdout: process.stdout,
  stderr: process.stderr,
  clock: createSystemClock(),
  createLogger: (options) => {
    logger = createStderrLogger(options.logLevel, 'gateway');
    return logger;
  },
  interrupt: interrupt.signal,
}).then(
  (code) => {
    logger?.flush();
    process.exitCode = code;
    // Everything has been closed; a stray handle must not hold the exit.
    createSystemClock({ unref: true }).setTimeout(() => process.exit(code), 200);
  },
  (error: unknown) => {
    process.stderr.write(
      `gateway: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(EXIT_RUNTIME_FAILURE);
  },
);
